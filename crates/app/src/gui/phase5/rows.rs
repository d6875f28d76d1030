//! [`Rows`]: long lists drawn only where they can be seen (the marketplace's sheets and
//! matching views, phase 5's actions).

use egui::{Ui, Vec2};

/// A list whose rows are drawn only where they can be seen: a row outside the visible area
/// reserves its height (as measured when it was last drawn, else the first measured row's)
/// instead of being drawn, so a frame costs the visible rows, not the whole list. The reserved
/// heights are kept in a Fenwick tree, so finding the first visible row and the height of the
/// rows below the visible area costs O(log n), not a walk over all rows (hundreds of thousands
/// of matches on a huge trajectory).
#[derive(Debug, Default)]
pub(super) struct Rows {
    /// Measured height of each row; NaN until the row is drawn.
    heights: Vec<f32>,
    /// Fenwick tree over each row's reserved height plus item spacing.
    tree: Vec<f64>,
    /// The first height measured in this list: the estimate for rows not drawn yet.
    estimate: Option<f32>,
    /// Estimate and spacing the tree was built with.
    built_with: (f32, f32),
}

impl Rows {
    /// Draws the visible rows of a list of `n` (`row(ui, i)` draws row `i`) and reserves the
    /// height of the others.
    pub(super) fn show(&mut self, ui: &mut Ui, n: usize, mut row: impl FnMut(&mut Ui, usize)) {
        let spacing = ui.spacing().item_spacing.y;
        let estimate = self.estimate.unwrap_or(ui.spacing().interact_size.y);
        if self.heights.len() != n || self.built_with != (estimate, spacing) {
            self.heights.resize(n, f32::NAN);
            self.rebuild(estimate, spacing);
        }
        let clip = ui.clip_rect();
        let width = ui.available_width();
        let top = ui.cursor().min.y;
        // Rows whose bottom is above the visible area: prefix(i + 1) - spacing < clip top.
        let mut i = self.count_below(f64::from(clip.top() - top + spacing));
        let skipped = self.prefix(i) as f32;
        if skipped > 0.0 {
            ui.allocate_space(Vec2::new(width, (skipped - spacing).max(0.0)));
        }
        while i < n && ui.cursor().min.y <= clip.bottom() {
            let h = ui.scope(|ui| row(ui, i)).response.rect.height();
            let old = self.reserved(i);
            self.heights[i] = h;
            if self.estimate.is_none() {
                // The tree is rebuilt with this estimate in the next frame.
                self.estimate = Some(h);
            }
            let new = self.reserved(i);
            if new != old {
                self.add(i, new - old);
            }
            i += 1;
        }
        let below = (self.prefix(n) - self.prefix(i)) as f32;
        if below > 0.0 {
            ui.allocate_space(Vec2::new(width, (below - spacing).max(0.0)));
        }
    }

    /// Height row `i` reserves in the tree, its spacing included.
    fn reserved(&self, i: usize) -> f64 {
        let h = self.heights[i];
        let (estimate, spacing) = self.built_with;
        f64::from(if h.is_finite() { h } else { estimate } + spacing)
    }

    fn rebuild(&mut self, estimate: f32, spacing: f32) {
        self.built_with = (estimate, spacing);
        let n = self.heights.len();
        self.tree = (0..n).map(|i| self.reserved(i)).collect();
        for k in 1..=n {
            let parent = k + (k & k.wrapping_neg());
            if parent <= n {
                self.tree[parent - 1] += self.tree[k - 1];
            }
        }
    }

    fn add(&mut self, i: usize, delta: f64) {
        let mut k = i + 1;
        while k <= self.tree.len() {
            self.tree[k - 1] += delta;
            k += k & k.wrapping_neg();
        }
    }

    /// Reserved height of the rows before row `i`.
    fn prefix(&self, i: usize) -> f64 {
        let mut sum = 0.0;
        let mut k = i;
        while k > 0 {
            sum += self.tree[k - 1];
            k &= k - 1;
        }
        sum
    }

    /// The largest k with prefix(k) < target (0 if none).
    fn count_below(&self, target: f64) -> usize {
        let n = self.tree.len();
        let mut pos = 0;
        let mut rest = target;
        let mut step = if n == 0 { 0 } else { 1 << n.ilog2() };
        while step > 0 {
            if pos + step <= n && self.tree[pos + step - 1] < rest {
                pos += step;
                rest -= self.tree[pos - 1];
            }
            step >>= 1;
        }
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::Rows;

    /// The tree's offsets and search agree with a plain walk over the rows, before and after
    /// rows are measured.
    #[test]
    fn row_offsets_match_a_plain_walk() {
        let n = 1000;
        let mut rows = Rows {
            heights: vec![f32::NAN; n],
            ..Default::default()
        };
        rows.rebuild(20.0, 4.0);
        for (i, h) in [(0, 31.0), (5, 18.5), (999, 60.0), (500, 0.0), (5, 22.0)] {
            let old = rows.reserved(i);
            rows.heights[i] = h;
            let new = rows.reserved(i);
            rows.add(i, new - old);
        }
        let plain: Vec<f64> = (0..=n)
            .map(|k| (0..k).map(|i| rows.reserved(i)).sum())
            .collect();
        for (k, want) in plain.iter().enumerate() {
            assert!((rows.prefix(k) - want).abs() < 1e-6, "prefix({k})");
        }
        for target in [-5.0, 0.0, 1.0, 24.0, 35.0, 35.1, 1234.5, 24_000.0, 1e9] {
            let want = plain.iter().rposition(|&p| p < target).unwrap_or(0);
            assert_eq!(rows.count_below(target), want, "count_below({target})");
        }
    }
}

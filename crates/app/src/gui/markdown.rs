//! A small Markdown reader for the information letter: headings, paragraphs, bullet and
//! numbered lists, `**bold**` and `*italic*`. Enough to show the letter as it will read, not a
//! general Markdown engine.

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, Ui};

/// One block of the letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `#`, `##`, `###` heading (level 1–3) with its text.
    Heading(u8, String),
    /// A paragraph (lines joined).
    Paragraph(String),
    /// A list item: its marker (`•` or `3.`) and text.
    Item(String, String),
}

/// Splits Markdown text into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join(" ")));
            para.clear();
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, &mut out);
            continue;
        }
        let hashes = t.bytes().take_while(|b| *b == b'#').count();
        if (1..=3).contains(&hashes) && t[hashes..].starts_with(' ') {
            flush(&mut para, &mut out);
            out.push(Block::Heading(hashes as u8, t[hashes..].trim().to_owned()));
        } else if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush(&mut para, &mut out);
            out.push(Block::Item("•".to_owned(), rest.trim().to_owned()));
        } else if let Some((num, rest)) = numbered(t) {
            flush(&mut para, &mut out);
            out.push(Block::Item(format!("{num}."), rest.to_owned()));
        } else if let Some(Block::Item(_, prev)) = out
            .last_mut()
            .filter(|_| para.is_empty() && line.starts_with("  "))
        {
            // A continuation line of a list item.
            prev.push(' ');
            prev.push_str(t);
        } else {
            para.push(t);
        }
    }
    flush(&mut para, &mut out);
    out
}

fn numbered(t: &str) -> Option<(&str, &str)> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = t[digits..].strip_prefix(". ")?;
    Some((&t[..digits], rest.trim()))
}

/// Lays out inline `**bold**` and `*italic*` (or `_italic_`).
fn inline(ui: &Ui, text: &str, size: f32, strong: bool) -> LayoutJob {
    let normal = if strong {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    };
    let bold = ui.visuals().strong_text_color();
    let font = FontId::proportional(size);
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    let (mut is_bold, mut is_italic) = (false, false);
    let mut rest = text;
    while !rest.is_empty() {
        let next = [rest.find("**"), rest.find('*'), rest.find('_')]
            .into_iter()
            .flatten()
            .min();
        let Some(i) = next else {
            push(
                &mut job,
                rest,
                &font,
                if is_bold { bold } else { normal },
                is_italic,
            );
            break;
        };
        push(
            &mut job,
            &rest[..i],
            &font,
            if is_bold { bold } else { normal },
            is_italic,
        );
        if rest[i..].starts_with("**") {
            is_bold = !is_bold;
            rest = &rest[i + 2..];
        } else {
            // A lone `_` inside a word (snake_case) is text, not emphasis.
            let c = &rest[i..i + 1];
            let inside_word = c == "_"
                && rest[..i].chars().last().is_some_and(char::is_alphanumeric)
                && rest[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if inside_word {
                push(
                    &mut job,
                    c,
                    &font,
                    if is_bold { bold } else { normal },
                    is_italic,
                );
            } else {
                is_italic = !is_italic;
            }
            rest = &rest[i + 1..];
        }
    }
    job
}

fn push(job: &mut LayoutJob, s: &str, font: &FontId, color: egui::Color32, italics: bool) {
    if s.is_empty() {
        return;
    }
    job.append(
        s,
        0.0,
        TextFormat {
            font_id: font.clone(),
            color,
            italics,
            ..Default::default()
        },
    );
}

/// Shows Markdown text as formatted, selectable text.
pub fn show(ui: &mut Ui, text: &str) {
    let body = ui
        .style()
        .text_styles
        .get(&egui::TextStyle::Body)
        .map_or(16.0, |f| f.size);
    for block in blocks(text) {
        match block {
            Block::Heading(level, t) => {
                let size = match level {
                    1 => body + 8.0,
                    2 => body + 3.0,
                    _ => body + 1.0,
                };
                ui.add_space(if level == 1 { 2.0 } else { 8.0 });
                let job = inline(ui, &t, size, true);
                ui.add(egui::Label::new(job).wrap().selectable(true));
            }
            Block::Paragraph(t) => {
                let job = inline(ui, &t, body, false);
                ui.add(egui::Label::new(job).wrap().selectable(true));
            }
            Block::Item(marker, t) => {
                ui.horizontal_top(|ui| {
                    ui.add_sized([22.0, body + 4.0], egui::Label::new(marker));
                    let job = inline(ui, &t, body, false);
                    ui.add(egui::Label::new(job).wrap().selectable(true));
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_blocks() {
        let b = blocks(
            "# Titel\n\n*Ondertitel*\n\n## Kopje\n\nRegel een\nregel twee.\n\n1. **Start** — eerst\n2. Daarna\n- punt\n  vervolg\n",
        );
        assert_eq!(
            b,
            vec![
                Block::Heading(1, "Titel".into()),
                Block::Paragraph("*Ondertitel*".into()),
                Block::Heading(2, "Kopje".into()),
                Block::Paragraph("Regel een regel twee.".into()),
                Block::Item("1.".into(), "**Start** — eerst".into()),
                Block::Item("2.".into(), "Daarna".into()),
                Block::Item("•".into(), "punt vervolg".into()),
            ]
        );
        assert_eq!(
            blocks("#geen kop"),
            vec![Block::Paragraph("#geen kop".into())]
        );
    }
}

//! Read views, cached per trajectory and rebuilt only after the hub reports a change.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use leerrijk_model::TrajectoryView;

use crate::hub::{Hub, HubEvent};

use super::derived::Derived;
use super::repaint::Repaint;

/// A trajectory as the screens see it: the read view and who this device is in it.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The read view.
    pub view: Arc<TrajectoryView>,
    /// The participant this device acts for, if any.
    pub me: Option<String>,
    /// The model's analyses of `view`, computed at most once per view.
    pub derived: Arc<Derived>,
}

#[derive(Debug, Default)]
struct Dirty {
    trajectories: HashSet<String>,
    list: bool,
}

/// The cache; the hub listener marks entries dirty from any thread.
#[derive(Debug, Default)]
pub struct ViewCache {
    dirty: Arc<Mutex<Dirty>>,
    entries: HashMap<String, Cached>,
    rebuilds: u64,
}

fn lock(m: &Mutex<Dirty>) -> MutexGuard<'_, Dirty> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ViewCache {
    /// Subscribes to the hub: every change marks the trajectory (and the start list) dirty and
    /// wakes the GUI.
    pub fn subscribe(&self, hub: &Hub, repaint: Repaint) {
        let dirty = self.dirty.clone();
        hub.subscribe(move |event| {
            {
                let mut d = lock(&dirty);
                match event {
                    HubEvent::Changed { trajectory, .. } => {
                        d.trajectories.insert(trajectory.clone());
                    }
                    HubEvent::Added(_) => {}
                }
                d.list = true;
            }
            repaint.request();
        });
    }

    /// Whether the start screen's list needs reloading; clears the flag.
    pub fn take_list_dirty(&self) -> bool {
        std::mem::take(&mut lock(&self.dirty).list)
    }

    /// Marks the start list dirty (e.g. on start).
    pub fn mark_list_dirty(&self) {
        lock(&self.dirty).list = true;
    }

    /// The cached trajectory, rebuilt first if the hub reported a change. `None` while the
    /// trajectory is not open in the hub yet (the caller asks the background loader to open
    /// it, so this never reads the disk).
    pub fn get(&mut self, hub: &Hub, id: &str) -> Option<Cached> {
        let was_dirty = lock(&self.dirty).trajectories.remove(id);
        if !was_dirty && let Some(c) = self.entries.get(id) {
            return Some(c.clone());
        }
        if !hub.is_open(id) {
            if was_dirty {
                lock(&self.dirty).trajectories.insert(id.to_owned());
            }
            return self.entries.get(id).cloned();
        }
        let device = hub.library().device_id().to_owned();
        match hub.read(id, |t| (t.view(), t.participant_for_device(&device))) {
            Ok((view, me)) => {
                self.rebuilds += 1;
                let view = Arc::new(view);
                let c = Cached {
                    derived: Arc::new(Derived::new(view.clone())),
                    view,
                    me,
                };
                self.entries.insert(id.to_owned(), c.clone());
                Some(c)
            }
            Err(e) => {
                tracing::warn!(trajectory = id, error = %e, "could not read trajectory");
                self.entries.get(id).cloned()
            }
        }
    }

    /// How many read views were built so far (tests check views are not rebuilt per frame).
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds
    }
}

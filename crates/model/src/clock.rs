//! Where timestamps come from.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The source of timestamps (milliseconds since the Unix epoch) stored in the document.
///
/// The model does no IO, but reading the system clock is allowed; tests use a manual clock so
/// ordering by `created_at` is deterministic.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A manual clock that advances by one millisecond on every read.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock starting at `start_ms`.
    pub fn manual(start_ms: i64) -> Self {
        Clock::Manual(Arc::new(AtomicI64::new(start_ms)))
    }

    /// The current time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
                .unwrap_or(0),
            Clock::Manual(t) => t.fetch_add(1, Ordering::SeqCst),
        }
    }
}

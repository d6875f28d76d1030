//! Mapping errors to exit codes and one-line messages.

use leerrijk_model::ModelError;
use leerrijk_store::StoreError;

/// An error in what the user asked (bad argument, unknown id, …): exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// Shorthand for returning a [`UserError`].
pub fn user_error(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError(msg.into()))
}

/// 1 for user errors, 2 for everything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.is::<UserError>() {
            return 1;
        }
        if let Some(m) = cause.downcast_ref::<ModelError>() {
            return match m {
                ModelError::Automerge(_) | ModelError::Assets(_) => 2,
                _ => 1,
            };
        }
        if let Some(s) = cause.downcast_ref::<StoreError>() {
            return match s {
                StoreError::InvalidTrajectoryId { .. }
                | StoreError::NotFound { .. }
                | StoreError::InvalidBlobHash { .. } => 1,
                _ => 2,
            };
        }
    }
    2
}

/// The error and its causes on one line.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let s = cause.to_string().replace('\n', " ");
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}

/// Whether the error is stdout having been closed by the reader (e.g. `leerrijk show | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

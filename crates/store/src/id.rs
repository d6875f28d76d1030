//! Validated trajectory ids and notebook names.

use std::fmt;
use std::str::FromStr;

use crate::StoreError;

/// The id of a trajectory: the 32-character lowercase hex ("simple") form of a UUIDv7.
///
/// The id becomes a directory name, so it is validated strictly: exactly 32 characters
/// `0-9a-f`. Anything else (slashes, dots, uppercase, other lengths) is rejected with
/// [`StoreError::InvalidTrajectoryId`], which rules out path tricks such as `../x`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TrajectoryId(String);

impl TrajectoryId {
    /// Length of a trajectory id in characters.
    pub const LEN: usize = 32;

    /// Validates `s` and wraps it.
    pub fn parse(s: &str) -> Result<TrajectoryId, StoreError> {
        let ok = s.len() == Self::LEN
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if ok {
            Ok(TrajectoryId(s.to_owned()))
        } else {
            Err(StoreError::InvalidTrajectoryId { id: s.to_owned() })
        }
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for TrajectoryId {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TrajectoryId::parse(s)
    }
}

impl fmt::Display for TrajectoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for TrajectoryId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Maximum length of a notebook name.
pub(crate) const NOTEBOOK_NAME_MAX: usize = 64;

/// Checks a notebook name: 1–64 characters of `a-z`, `A-Z`, `0-9`, `-`, `_`, starting with
/// a letter or digit (so it can never be `.`, `..` or contain a path separator).
pub(crate) fn validate_notebook_name(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && name.len() <= NOTEBOOK_NAME_MAX
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidNotebookName {
            name: name.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_uuid_simple_form() {
        let id = TrajectoryId::parse("0190f5a8c3e47b2a9d1e5f6a7b8c9d0e").unwrap();
        assert_eq!(id.as_str(), "0190f5a8c3e47b2a9d1e5f6a7b8c9d0e");
        assert_eq!(id.to_string(), "0190f5a8c3e47b2a9d1e5f6a7b8c9d0e");
        let parsed: TrajectoryId = "0190f5a8c3e47b2a9d1e5f6a7b8c9d0e".parse().unwrap();
        assert_eq!(parsed, id);
    }

    #[test]
    fn rejects_path_tricks_and_bad_forms() {
        for bad in [
            "",
            "..",
            "../../../../etc/passwd",
            "0190f5a8c3e47b2a9d1e5f6a7b8c9d0",    // 31
            "0190f5a8c3e47b2a9d1e5f6a7b8c9d0e0",  // 33
            "0190F5A8C3E47B2A9D1E5F6A7B8C9D0E",   // uppercase
            "0190f5a8-c3e4-7b2a-9d1e-5f6a7b8c9d", // hyphenated
            "0190f5a8c3e47b2a9d1e5f6a7b8c9d/e",
            "0190f5a8c3e47b2a9d1e5f6a7b8c9dxz",
        ] {
            let err = TrajectoryId::parse(bad).unwrap_err();
            assert!(
                matches!(&err, StoreError::InvalidTrajectoryId { id } if id == bad),
                "{bad:?} gave {err:?}"
            );
            assert!(err.to_string().contains("not a valid trajectory id"));
        }
    }

    #[test]
    fn notebook_names() {
        for good in [
            "drafts",
            "a",
            "Notes_2025-01",
            &"x".repeat(NOTEBOOK_NAME_MAX),
        ] {
            validate_notebook_name(good).unwrap();
        }
        for bad in [
            "",
            ".",
            "..",
            "-x",
            "_x",
            "a/b",
            "a\\b",
            "a b",
            "é",
            &"x".repeat(NOTEBOOK_NAME_MAX + 1),
        ] {
            assert!(
                matches!(
                    validate_notebook_name(bad),
                    Err(StoreError::InvalidNotebookName { .. })
                ),
                "{bad:?}"
            );
        }
    }
}

//! The on-disk format of one change log (`<32 hex>.log`, format version 1).
//!
//! ```text
//! header (16 bytes)
//!   magic        8 bytes  "LRKLOG\0\0"
//!   version      u32 LE   = 1 (a higher number means a newer Leerrijk wrote it)
//!   check        4 bytes  first 4 bytes of BLAKE3(the 12 bytes above)
//! record (any number, appended one per save)
//!   len          u64 LE   payload length
//!   len_check    4 bytes  first 4 bytes of BLAKE3(len)
//!   hash         32 bytes BLAKE3(payload)
//!   payload      len bytes: the raw bytes of one or more automerge changes, concatenated
//! ```
//!
//! Records are the same as in chunk files ([`crate::chunk_file`]). A log has no record
//! count: it grows by appending. A reader that finds the bytes stop inside a record cannot
//! tell from the bytes alone whether the write is still in progress or was torn by a crash;
//! the writer's lock tells (see the crate documentation).

use std::fmt;

use crate::chunk_file::{self, Record};

/// Magic bytes at the start of every change log.
const MAGIC: [u8; 8] = *b"LRKLOG\0\0";
/// The log format version this code writes and the highest it reads.
pub(crate) const LOG_VERSION: u32 = 1;
/// Length of the log header.
pub(crate) const HEADER_LEN: usize = 16;
/// File name extension of change logs (without dot).
const EXTENSION: &str = "log";

/// The header every log starts with.
pub(crate) fn header() -> [u8; HEADER_LEN] {
    let mut out = [0u8; HEADER_LEN];
    out[..8].copy_from_slice(&MAGIC);
    out[8..12].copy_from_slice(&LOG_VERSION.to_le_bytes());
    let check = chunk_file::check4(&out[..12]);
    out[12..].copy_from_slice(&check);
    out
}

/// A change log name: `<32 lowercase hex>.log`, random per writer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LogName {
    /// The hex part of the name.
    id: String,
}

impl LogName {
    /// A fresh random name (128 bits).
    pub(crate) fn random() -> LogName {
        LogName {
            id: hex::encode(rand::random::<[u8; 16]>()),
        }
    }

    /// Parses a directory entry name; `None` for anything that is not a change log.
    pub(crate) fn parse(file_name: &str) -> Option<LogName> {
        let (id, ext) = file_name.split_once('.')?;
        let hex32 = id.len() == 32
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        (ext == EXTENSION && hex32).then(|| LogName { id: id.to_owned() })
    }
}

impl fmt::Display for LogName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{EXTENSION}", self.id)
    }
}

/// How a piece of a log ends.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tail {
    /// Exactly at a record boundary.
    Clean,
    /// Inside the header or a record: a write in progress (live log) or torn (dead log).
    Incomplete,
    /// A check failed: the bytes were altered, or this is not a change log.
    Corrupt {
        /// Human-readable description.
        reason: String,
    },
    /// The header declares a newer format.
    Newer {
        /// The version found.
        version: u32,
    },
}

/// The result of parsing a piece of a log.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LogPiece<'a> {
    /// The intact records, in order.
    pub(crate) records: Vec<&'a [u8]>,
    /// Bytes of the piece covered by the header (if read) and the intact records.
    pub(crate) valid_len: usize,
    /// How the piece ends after `valid_len`.
    pub(crate) tail: Tail,
}

/// Parses `bytes`, the part of a log from byte `offset` on (`offset` is 0 or a record
/// boundary found by an earlier parse). `records_before` is the number of records before
/// `offset`, for messages.
pub(crate) fn parse(bytes: &[u8], offset: u64, records_before: usize) -> LogPiece<'_> {
    let mut piece = LogPiece {
        records: Vec::new(),
        valid_len: 0,
        tail: Tail::Clean,
    };
    if offset == 0 {
        let magic_len = bytes.len().min(MAGIC.len());
        if bytes[..magic_len] != MAGIC[..magic_len] {
            piece.tail = Tail::Corrupt {
                reason: "it is not a Leerrijk change log (wrong start bytes)".into(),
            };
            return piece;
        }
        if bytes.len() < HEADER_LEN {
            piece.tail = Tail::Incomplete;
            return piece;
        }
        // The header check comes first: an altered version number is damage, not a newer
        // format.
        let version = chunk_file::u32_at(bytes, 8);
        if bytes[12..16] != chunk_file::check4(&bytes[..12]) || version == 0 {
            piece.tail = Tail::Corrupt {
                reason: "its header is damaged".into(),
            };
            return piece;
        }
        if version > LOG_VERSION {
            piece.tail = Tail::Newer { version };
            return piece;
        }
        piece.valid_len = HEADER_LEN;
    }
    while piece.valid_len < bytes.len() {
        let index = records_before + piece.records.len();
        match chunk_file::next_record(&bytes[piece.valid_len..], index) {
            Record::Complete { payload, len } => {
                piece.records.push(payload);
                piece.valid_len += len;
            }
            Record::Incomplete => {
                piece.tail = Tail::Incomplete;
                return piece;
            }
            Record::Corrupt { reason } => {
                piece.tail = Tail::Corrupt { reason };
                return piece;
            }
        }
    }
    piece
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut out = header().to_vec();
        for payload in [&b"one"[..], b"second save", b""] {
            chunk_file::encode_record(&mut out, payload);
        }
        out
    }

    #[test]
    fn whole_log_parses() {
        let bytes = sample();
        let piece = parse(&bytes, 0, 0);
        assert_eq!(piece.tail, Tail::Clean);
        assert_eq!(piece.records, [&b"one"[..], b"second save", b""]);
        assert_eq!(piece.valid_len, bytes.len());
    }

    #[test]
    fn reading_on_from_an_offset_sees_only_new_records() {
        let bytes = sample();
        let first = HEADER_LEN + chunk_file::record_len(3);
        let piece = parse(&bytes[first..], first as u64, 1);
        assert_eq!(piece.tail, Tail::Clean);
        assert_eq!(piece.records, [&b"second save"[..], b""]);
    }

    #[test]
    fn every_cut_is_an_incomplete_tail_after_intact_records() {
        let bytes = sample();
        let ends = [
            HEADER_LEN,
            HEADER_LEN + chunk_file::record_len(3),
            HEADER_LEN + chunk_file::record_len(3) + chunk_file::record_len(11),
        ];
        for cut in 0..bytes.len() {
            let piece = parse(&bytes[..cut], 0, 0);
            let boundary = cut == 0 || ends.contains(&cut);
            let want_tail = if boundary && cut >= HEADER_LEN {
                Tail::Clean
            } else {
                Tail::Incomplete
            };
            assert_eq!(piece.tail, want_tail, "cut at {cut}");
            let kept = ends.iter().filter(|&&e| e <= cut).count().saturating_sub(1);
            assert_eq!(piece.records.len(), kept, "cut at {cut}");
            assert!(piece.valid_len <= cut);
        }
    }

    #[test]
    fn every_single_byte_flip_is_detected() {
        let bytes = sample();
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x40;
            let piece = parse(&damaged, 0, 0);
            assert!(
                matches!(piece.tail, Tail::Corrupt { .. }),
                "flip at {at}: {piece:?}"
            );
        }
    }

    #[test]
    fn names() {
        let name = LogName::random();
        let text = name.to_string();
        assert!(text.ends_with(".log") && text.len() == 36, "{text}");
        assert_eq!(LogName::parse(&text), Some(name.clone()));
        assert_ne!(LogName::random(), name);
        for not_log in [
            "join.secret",
            &format!("{text}.damaged"),
            &text[1..],
            &text.to_uppercase(),
            &format!("{}.chg", &text[..32]),
        ] {
            assert_eq!(LogName::parse(not_log), None, "{not_log}");
        }
    }
}

//! The on-disk format of one chunk file (format version 1).
//!
//! ```text
//! header (21 bytes)
//!   magic        8 bytes  "LRKCHUNK"
//!   version      u32 LE   = 1 (a higher number means a newer Leerrijk wrote it)
//!   kind         u8       1 = snapshot (`.snap`), 2 = changes (`.chg`)
//!   count        u32 LE   number of records that follow
//!   check        4 bytes  first 4 bytes of BLAKE3(the 17 bytes above)
//! record (count times)
//!   len          u64 LE   payload length
//!   len_check    4 bytes  first 4 bytes of BLAKE3(len)
//!   hash         32 bytes BLAKE3(payload)
//!   payload      len bytes: automerge bytes (a whole `save()` document for a snapshot,
//!                one change's raw bytes for a changes file)
//! ```
//!
//! The file name is the BLAKE3 hash of the whole file. Because every length and payload is
//! checked separately, a file that merely *ends early* (a torn write) can be told apart from
//! one whose bytes were *altered* (corruption): a torn file parses as a valid prefix that
//! stops mid-way, an altered one fails a check.

use std::fmt;

/// Magic bytes at the start of every chunk file.
pub(crate) const MAGIC: [u8; 8] = *b"LRKCHUNK";
/// The chunk file format version this code writes and the highest it reads.
pub(crate) const FORMAT_VERSION: u32 = 1;
/// Length of the file header.
const HEADER_LEN: usize = 21;
/// Length of a record header.
const RECORD_HEADER_LEN: usize = 44;

/// What a chunk file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ChunkKind {
    /// A full document (`AutoCommit::save`), written by `create`, compaction and recovery.
    Snapshot,
    /// Individual changes (one record per automerge change), written by `save`.
    Changes,
}

impl ChunkKind {
    /// The byte stored in the header.
    fn code(self) -> u8 {
        match self {
            ChunkKind::Snapshot => 1,
            ChunkKind::Changes => 2,
        }
    }

    /// The file name extension (without dot).
    pub(crate) fn extension(self) -> &'static str {
        match self {
            ChunkKind::Snapshot => "snap",
            ChunkKind::Changes => "chg",
        }
    }

    /// The kind for a file name extension.
    pub(crate) fn from_extension(ext: &str) -> Option<ChunkKind> {
        match ext {
            "snap" => Some(ChunkKind::Snapshot),
            "chg" => Some(ChunkKind::Changes),
            _ => None,
        }
    }
}

impl fmt::Display for ChunkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChunkKind::Snapshot => "snapshot",
            ChunkKind::Changes => "changes",
        })
    }
}

/// A chunk file name: `<64 hex BLAKE3>.snap` or `<64 hex BLAKE3>.chg`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ChunkName {
    /// Snapshots sort before change files, so they load first.
    pub(crate) kind: ChunkKind,
    /// The hex hash part of the name.
    pub(crate) hash: String,
}

impl ChunkName {
    /// The name for a file with these bytes.
    pub(crate) fn for_bytes(kind: ChunkKind, bytes: &[u8]) -> ChunkName {
        ChunkName {
            kind,
            hash: blake3::hash(bytes).to_hex().to_string(),
        }
    }

    /// Parses a directory entry name; `None` for anything that is not a chunk file
    /// (temp files, `.damaged` files, `join.secret`, …).
    pub(crate) fn parse(file_name: &str) -> Option<ChunkName> {
        let (hash, ext) = file_name.split_once('.')?;
        let kind = ChunkKind::from_extension(ext)?;
        if !is_hex64(hash) {
            return None;
        }
        Some(ChunkName {
            kind,
            hash: hash.to_owned(),
        })
    }

    /// Whether `bytes` hash to this name.
    pub(crate) fn matches(&self, bytes: &[u8]) -> bool {
        blake3::hash(bytes).to_hex().as_str() == self.hash
    }
}

impl fmt::Display for ChunkName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.hash, self.kind.extension())
    }
}

/// Whether `s` is 64 lowercase hex characters (a BLAKE3 hash in hex).
pub(crate) fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// First four bytes of the BLAKE3 hash of `bytes`.
pub(crate) fn check4(bytes: &[u8]) -> [u8; 4] {
    let hash = blake3::hash(bytes);
    let mut out = [0u8; 4];
    out.copy_from_slice(&hash.as_bytes()[..4]);
    out
}

/// Encodes records into a chunk file.
pub(crate) fn encode(kind: ChunkKind, records: &[&[u8]]) -> Vec<u8> {
    let payload_len: usize = records.iter().map(|r| r.len() + RECORD_HEADER_LEN).sum();
    let mut out = Vec::with_capacity(HEADER_LEN + payload_len);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(kind.code());
    let count = u32::try_from(records.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&count.to_le_bytes());
    let check = check4(&out);
    out.extend_from_slice(&check);
    for record in records.iter().take(count as usize) {
        encode_record(&mut out, record);
    }
    out
}

/// The result of parsing a chunk file's bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Parsed<'a> {
    /// Every record is present and intact.
    Complete {
        /// The record payloads.
        records: Vec<&'a [u8]>,
    },
    /// The bytes stop early; everything before that point is intact (a torn write).
    Truncated {
        /// The intact records before the cut.
        records: Vec<&'a [u8]>,
        /// How many records the header announced, if the header was complete.
        expected: Option<u32>,
        /// Bytes of the file covered by the header and the intact records.
        valid_len: usize,
    },
    /// The bytes were altered or are not a chunk file at all.
    Corrupt {
        /// Human-readable description.
        reason: String,
    },
    /// The file declares a newer format version.
    Newer {
        /// The version found.
        version: u32,
    },
}

/// Reads a little-endian u32 at `at` (caller checked bounds).
pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// Appends one record (length, length check, BLAKE3 of payload, payload) to `out`.
pub(crate) fn encode_record(out: &mut Vec<u8>, payload: &[u8]) {
    let len = (payload.len() as u64).to_le_bytes();
    out.extend_from_slice(&len);
    out.extend_from_slice(&check4(&len));
    out.extend_from_slice(blake3::hash(payload).as_bytes());
    out.extend_from_slice(payload);
}

/// The encoded length of a record with a payload of `payload_len` bytes.
pub(crate) fn record_len(payload_len: usize) -> usize {
    RECORD_HEADER_LEN + payload_len
}

/// What the bytes at the start of a record hold.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Record<'a> {
    /// A whole, intact record.
    Complete {
        /// Its payload.
        payload: &'a [u8],
        /// Bytes the record takes (header and payload).
        len: usize,
    },
    /// The bytes stop before the record does; what is there is intact so far.
    Incomplete,
    /// The record is complete but a check fails: the bytes were altered.
    Corrupt {
        /// Human-readable description.
        reason: String,
    },
}

/// Reads the record at the start of `rest` (`index` counts from 0, for messages).
pub(crate) fn next_record(rest: &[u8], index: usize) -> Record<'_> {
    if rest.len() < RECORD_HEADER_LEN {
        return Record::Incomplete;
    }
    let len_bytes = &rest[..8];
    if rest[8..12] != check4(len_bytes) {
        return Record::Corrupt {
            reason: format!("the length of saved item {} is damaged", index + 1),
        };
    }
    let mut len8 = [0u8; 8];
    len8.copy_from_slice(len_bytes);
    let len = u64::from_le_bytes(len8);
    let available = (rest.len() - RECORD_HEADER_LEN) as u64;
    if len > available {
        return Record::Incomplete;
    }
    // len <= available <= usize::MAX, so this conversion is lossless.
    let len = len as usize;
    let payload = &rest[RECORD_HEADER_LEN..RECORD_HEADER_LEN + len];
    if blake3::hash(payload).as_bytes()[..] != rest[12..44] {
        return Record::Corrupt {
            reason: format!("saved item {} is damaged", index + 1),
        };
    }
    Record::Complete {
        payload,
        len: RECORD_HEADER_LEN + len,
    }
}

/// What could still be read from altered bytes.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Salvaged<'a> {
    /// Every intact record, in order.
    pub(crate) records: Vec<&'a [u8]>,
    /// Stretches of bytes that held no intact record (each at least one damaged record).
    pub(crate) damaged: usize,
    /// Bytes skipped in those stretches (including an incomplete record at the end).
    pub(crate) bytes_dropped: u64,
}

/// The length of the complete record at the start of `rest` if its length field is intact
/// (whether or not its payload is).
fn intact_length(rest: &[u8]) -> Option<usize> {
    if rest.len() < RECORD_HEADER_LEN || rest[8..12] != check4(&rest[..8]) {
        return None;
    }
    let mut len8 = [0u8; 8];
    len8.copy_from_slice(&rest[..8]);
    let len = usize::try_from(u64::from_le_bytes(len8)).ok()?;
    let total = RECORD_HEADER_LEN.checked_add(len)?;
    (total <= rest.len()).then_some(total)
}

/// Reads every intact record in `bytes` (a sequence of records), stepping over damaged
/// ones: a record whose length is intact but whose payload is not is skipped as a whole;
/// after a damaged length, the next position where a whole intact record starts is searched
/// for byte by byte (a false match needs a 4-byte length check and a 32-byte BLAKE3 hash to
/// agree by chance).
pub(crate) fn salvage(bytes: &[u8]) -> Salvaged<'_> {
    let mut out = Salvaged::default();
    let mut pos = 0;
    while pos < bytes.len() {
        if let Record::Complete { payload, len } = next_record(&bytes[pos..], 0) {
            out.records.push(payload);
            pos += len;
            continue;
        }
        out.damaged += 1;
        let resume = match intact_length(&bytes[pos..]) {
            Some(len) => Some(pos + len),
            None => (pos + 1..bytes.len())
                .find(|&q| matches!(next_record(&bytes[q..], 0), Record::Complete { .. })),
        };
        let next = resume.unwrap_or(bytes.len());
        out.bytes_dropped += (next - pos) as u64;
        pos = next;
    }
    out
}

/// The records of an altered chunk file: the header is assumed to be where it belongs
/// (whatever it says), and the bytes after it are salvaged.
pub(crate) fn salvage_file(bytes: &[u8]) -> Salvaged<'_> {
    let mut out = salvage(bytes.get(HEADER_LEN..).unwrap_or_default());
    if bytes.len() < HEADER_LEN {
        out.bytes_dropped += bytes.len() as u64;
        out.damaged = out.damaged.max(1);
    }
    out
}

/// Parses a chunk file, expecting `kind` (from its file name).
pub(crate) fn parse(bytes: &[u8], kind: ChunkKind) -> Parsed<'_> {
    let truncated_header = Parsed::Truncated {
        records: Vec::new(),
        expected: None,
        valid_len: 0,
    };
    let corrupt = |reason: String| Parsed::Corrupt { reason };
    let magic_len = bytes.len().min(MAGIC.len());
    if bytes[..magic_len] != MAGIC[..magic_len] {
        return corrupt("it is not a Leerrijk data file (wrong start bytes)".into());
    }
    if bytes.len() < HEADER_LEN {
        return truncated_header;
    }
    // The header check comes first: an altered version number is damage, not a newer
    // format.
    if bytes[17..21] != check4(&bytes[..17]) {
        return corrupt("its header is damaged".into());
    }
    let version = u32_at(bytes, 8);
    if version > FORMAT_VERSION {
        return Parsed::Newer { version };
    }
    if version == 0 {
        return corrupt("its header has format version 0".into());
    }
    if bytes[12] != kind.code() {
        return corrupt(format!(
            "its header says it holds something else than {kind}"
        ));
    }
    let count = u32_at(bytes, 13);
    let mut records = Vec::new();
    let mut pos = HEADER_LEN;
    for index in 0..count {
        match next_record(&bytes[pos..], index as usize) {
            Record::Complete { payload, len } => {
                records.push(payload);
                pos += len;
            }
            Record::Incomplete => {
                return Parsed::Truncated {
                    records,
                    expected: Some(count),
                    valid_len: pos,
                };
            }
            Record::Corrupt { reason } => return corrupt(reason),
        }
    }
    if pos != bytes.len() {
        return corrupt(format!(
            "it has {} unexpected bytes after its last item",
            bytes.len() - pos
        ));
    }
    Parsed::Complete { records }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        encode(ChunkKind::Changes, &[b"first", b"second record", b""])
    }

    #[test]
    fn round_trip() {
        let bytes = sample();
        assert_eq!(
            parse(&bytes, ChunkKind::Changes),
            Parsed::Complete {
                records: vec![&b"first"[..], b"second record", b""]
            }
        );
        let snap = encode(ChunkKind::Snapshot, &[b"doc"]);
        assert_eq!(
            parse(&snap, ChunkKind::Snapshot),
            Parsed::Complete {
                records: vec![&b"doc"[..]]
            }
        );
    }

    #[test]
    fn every_truncation_is_a_valid_prefix() {
        let bytes = sample();
        let first_end = HEADER_LEN + RECORD_HEADER_LEN + 5;
        let second_end = first_end + RECORD_HEADER_LEN + 13;
        for cut in 0..bytes.len() {
            match parse(&bytes[..cut], ChunkKind::Changes) {
                Parsed::Truncated {
                    records, valid_len, ..
                } => {
                    let want = if cut >= second_end {
                        2
                    } else if cut >= first_end {
                        1
                    } else {
                        0
                    };
                    assert_eq!(records.len(), want, "cut at {cut}");
                    assert!(valid_len <= cut);
                }
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
    }

    #[test]
    fn every_single_byte_flip_is_detected() {
        let bytes = sample();
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x40;
            let parsed = parse(&damaged, ChunkKind::Changes);
            // Altered bytes are never mistaken for an intact file, a torn write or a newer
            // format (the version is under the header check).
            assert!(
                matches!(parsed, Parsed::Corrupt { .. }),
                "flip at {at}: {parsed:?}"
            );
            // Salvage keeps every record the flip did not touch.
            let salvaged = salvage_file(&damaged);
            let first_end = HEADER_LEN + RECORD_HEADER_LEN + 5;
            let second_end = first_end + RECORD_HEADER_LEN + 13;
            let hit = if at < HEADER_LEN {
                None
            } else if at < first_end {
                Some(0)
            } else if at < second_end {
                Some(1)
            } else {
                Some(2)
            };
            let want: Vec<&[u8]> = [&b"first"[..], b"second record", b""]
                .into_iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != hit)
                .map(|(_, r)| r)
                .collect();
            assert_eq!(salvaged.records, want, "flip at {at}");
            assert_eq!(salvaged.damaged, usize::from(hit.is_some()), "flip at {at}");
            assert!(!ChunkName::for_bytes(ChunkKind::Changes, &bytes).matches(&damaged));
        }
    }

    #[test]
    fn garbage_and_wrong_kind_and_trailing_bytes_are_corrupt() {
        assert!(matches!(
            parse(b"hello world, not a chunk", ChunkKind::Changes),
            Parsed::Corrupt { .. }
        ));
        let snap = encode(ChunkKind::Snapshot, &[b"doc"]);
        assert!(matches!(
            parse(&snap, ChunkKind::Changes),
            Parsed::Corrupt { .. }
        ));
        let mut long = sample();
        long.extend_from_slice(b"junk");
        assert!(matches!(
            parse(&long, ChunkKind::Changes),
            Parsed::Corrupt { .. }
        ));
    }

    #[test]
    fn newer_version_is_recognised() {
        let mut bytes = sample();
        bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
        let check = check4(&bytes[..17]);
        bytes[17..21].copy_from_slice(&check);
        assert_eq!(
            parse(&bytes, ChunkKind::Changes),
            Parsed::Newer { version: 7 }
        );
    }

    #[test]
    fn names() {
        let bytes = sample();
        let name = ChunkName::for_bytes(ChunkKind::Changes, &bytes);
        assert!(name.matches(&bytes));
        let text = name.to_string();
        assert!(text.ends_with(".chg"));
        assert_eq!(ChunkName::parse(&text), Some(name.clone()));
        for not_chunk in [
            "join.secret",
            ".tmp-1-2",
            &format!("{text}.damaged"),
            &format!("{}.snap", &name.hash[..63]),
            &format!("{}.SNAP", name.hash),
            &format!("{}.txt", name.hash),
        ] {
            assert_eq!(ChunkName::parse(not_chunk), None, "{not_chunk}");
        }
        let snap = ChunkName::parse(&format!("{}.snap", name.hash)).unwrap();
        assert!(snap < name, "snapshots sort first");
    }
}

//! The messages carried in frames, and their binary encoding.
//!
//! A frame payload starts with a one-byte tag. `Hello` always puts the protocol version
//! right after the tag, so any version can read the version of any other.
//!
//! `SyncPart` (tag 9) was added to version 1 without bumping the version: a peer sends it
//! only for a sync message that does not fit in one frame, which older peers could not send
//! or receive at all (the sender closed the session). An older receiver closes such a
//! connection as malformed (unknown tag) and applies nothing, the same outcome as before;
//! small messages travel exactly as before. Bumping the version would instead have cut off
//! every older peer, also for documents that sync fine today.

use crate::blob::BlobHash;
use crate::ids::{MAX_TRAJECTORY_ID_LEN, TrajectoryId};
use crate::proto::frame::MAX_FRAME_LEN;
use crate::proto::presence::Presence;
use crate::proto::wire::{Reader, WireError, Writer};

/// The protocol version this crate speaks.
pub const PROTOCOL_VERSION: u16 = 1;

/// Longest `Bye` detail text, in bytes.
pub const MAX_BYE_DETAIL: usize = 256;

const TAG_HELLO: u8 = 1;
const TAG_PROVE: u8 = 2;
const TAG_REFUSE: u8 = 3;
const TAG_SYNC: u8 = 4;
const TAG_PRESENCE: u8 = 5;
const TAG_BYE: u8 = 6;
const TAG_BLOB_REQUEST: u8 = 7;
const TAG_BLOB: u8 = 8;
const TAG_SYNC_PART: u8 = 9;

/// Bytes a `SyncPart` frame needs besides its data, for the longest trajectory id: tag,
/// id length and id (at most 64 bytes), index, total and data length.
pub const SYNC_PART_OVERHEAD: usize = 1 + 1 + MAX_TRAJECTORY_ID_LEN + 4 + 4 + 4;

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// First message from each side: protocol version and a fresh nonce.
    Hello {
        /// The sender's protocol version.
        version: u16,
        /// 32 fresh random bytes; both nonces go into every proof on this connection.
        nonce: [u8; 32],
    },
    /// "I know this trajectory's join secret": an HMAC proof (see [`crate::proto::auth`]).
    Prove {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// HMAC-SHA256 proof.
        proof: [u8; 32],
    },
    /// The sender will not sync this trajectory on this connection.
    Refuse {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// Why.
        reason: RefuseReason,
    },
    /// An automerge sync message for a trajectory both sides proved.
    Sync {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// Encoded `automerge::sync::Message`.
        data: Vec<u8>,
    },
    /// One part of an automerge sync message too large for one frame. Parts of a message
    /// are sent in order (`index` 0 to `total - 1`), all with the same `total`, with nothing
    /// else for the same trajectory's sync in between; the receiver applies the message once
    /// the last part arrived.
    SyncPart {
        /// The trajectory (both sides proved it).
        trajectory: TrajectoryId,
        /// The part's position, from 0.
        index: u32,
        /// Number of parts of the whole message, at least 2.
        total: u32,
        /// A non-empty slice of the encoded `automerge::sync::Message`.
        data: Vec<u8>,
    },
    /// Ephemeral presence for a trajectory both sides proved.
    Presence(Presence),
    /// "Send me this photo of this trajectory" (both sides proved the trajectory).
    BlobRequest {
        /// The trajectory whose image references the photo.
        trajectory: TrajectoryId,
        /// The photo's BLAKE3 hash.
        hash: BlobHash,
    },
    /// The answer to a [`Message::BlobRequest`].
    Blob {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The photo's BLAKE3 hash.
        hash: BlobHash,
        /// The photo's bytes, or `None` when the sender does not have (or will not send) it.
        bytes: Option<Vec<u8>>,
    },
    /// The sender closes the connection.
    Bye {
        /// Why.
        reason: CloseReason,
        /// A short human-readable detail for logs.
        detail: String,
    },
}

/// Why one trajectory was refused on a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefuseReason {
    /// The refusing side does not have this trajectory. Only older versions send it; this
    /// version answers an unknown trajectory with [`RefuseReason::WrongSecret`].
    UnknownTrajectory,
    /// The refusing side has it but cannot serve it now (storage error, removed).
    Unavailable,
    /// The proof does not grant this trajectory: the refusing side does not have it, or the
    /// proof did not match its join secret. The two are never told apart, so a peer that
    /// has not proved a secret cannot probe which trajectories exist.
    WrongSecret,
}

/// Why a connection is closed. Also the QUIC application close code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseReason {
    /// Orderly shutdown.
    Shutdown,
    /// The peer speaks another protocol version.
    UnsupportedVersion,
    /// A frame or message could not be decoded, or broke the protocol rules.
    Malformed,
    /// A frame exceeded the size cap.
    FrameTooLarge,
    /// A proof did not match the join secret.
    WrongSecret,
    /// No trajectory is shared on this connection.
    NothingShared,
    /// An automerge sync message could not be decoded or applied.
    SyncFailed,
    /// The peer did not complete the handshake in time.
    Timeout,
    /// A sync message sent in parts exceeded the reassembly cap.
    MessageTooLarge,
    /// A local failure.
    Internal,
    /// Incoming changes broke the document's limits (too large, wrong shape); none was
    /// applied.
    ChangesRefused,
    /// Too many peers are waiting to prove a join secret here; try again later.
    Busy,
    /// A code this version does not know.
    Other(u8),
}

impl CloseReason {
    /// The numeric code (used on the wire and as QUIC close code).
    pub fn code(self) -> u8 {
        match self {
            Self::Shutdown => 0,
            Self::UnsupportedVersion => 1,
            Self::Malformed => 2,
            Self::FrameTooLarge => 3,
            Self::WrongSecret => 4,
            Self::NothingShared => 5,
            Self::SyncFailed => 6,
            Self::Timeout => 7,
            Self::Internal => 8,
            Self::MessageTooLarge => 9,
            Self::ChangesRefused => 10,
            Self::Busy => 11,
            Self::Other(c) => c,
        }
    }

    /// The reason for a numeric code.
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => Self::Shutdown,
            1 => Self::UnsupportedVersion,
            2 => Self::Malformed,
            3 => Self::FrameTooLarge,
            4 => Self::WrongSecret,
            5 => Self::NothingShared,
            6 => Self::SyncFailed,
            7 => Self::Timeout,
            8 => Self::Internal,
            9 => Self::MessageTooLarge,
            10 => Self::ChangesRefused,
            11 => Self::Busy,
            c => Self::Other(c),
        }
    }
}

impl std::fmt::Display for CloseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Shutdown => f.write_str("shutdown"),
            Self::UnsupportedVersion => f.write_str("unsupported protocol version"),
            Self::Malformed => f.write_str("malformed message"),
            Self::FrameTooLarge => f.write_str("frame too large"),
            Self::WrongSecret => f.write_str("wrong join secret"),
            Self::NothingShared => f.write_str("no shared trajectory"),
            Self::SyncFailed => f.write_str("sync message rejected"),
            Self::Timeout => f.write_str("handshake timeout"),
            Self::Internal => f.write_str("internal error"),
            Self::MessageTooLarge => f.write_str("sync message too large"),
            Self::ChangesRefused => f.write_str("changes refused"),
            Self::Busy => f.write_str("too many connections waiting for a proof"),
            Self::Other(c) => write!(f, "unknown reason {c}"),
        }
    }
}

impl std::fmt::Display for RefuseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownTrajectory => f.write_str("unknown trajectory"),
            Self::Unavailable => f.write_str("trajectory unavailable"),
            Self::WrongSecret => f.write_str("unknown trajectory or wrong join secret"),
        }
    }
}

impl Message {
    /// Encodes the message as a frame payload (without the length prefix).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            Self::Hello { version, nonce } => {
                w.u8(TAG_HELLO);
                w.u16(*version);
                w.raw(nonce);
            }
            Self::Prove { trajectory, proof } => {
                w.u8(TAG_PROVE);
                w.trajectory(trajectory);
                w.raw(proof);
            }
            Self::Refuse { trajectory, reason } => {
                w.u8(TAG_REFUSE);
                w.trajectory(trajectory);
                w.u8(match reason {
                    RefuseReason::UnknownTrajectory => 1,
                    RefuseReason::Unavailable => 2,
                    RefuseReason::WrongSecret => 3,
                });
            }
            Self::Sync { trajectory, data } => {
                w.u8(TAG_SYNC);
                w.trajectory(trajectory);
                w.bytes(data);
            }
            Self::SyncPart {
                trajectory,
                index,
                total,
                data,
            } => {
                w.u8(TAG_SYNC_PART);
                w.trajectory(trajectory);
                w.u32(*index);
                w.u32(*total);
                w.bytes(data);
            }
            Self::Presence(p) => {
                w.u8(TAG_PRESENCE);
                p.encode(&mut w);
            }
            Self::BlobRequest { trajectory, hash } => {
                w.u8(TAG_BLOB_REQUEST);
                w.trajectory(trajectory);
                w.raw(hash.as_bytes());
            }
            Self::Blob {
                trajectory,
                hash,
                bytes,
            } => {
                w.u8(TAG_BLOB);
                w.trajectory(trajectory);
                w.raw(hash.as_bytes());
                match bytes {
                    Some(b) => {
                        w.u8(1);
                        w.bytes(b);
                    }
                    None => w.u8(0),
                }
            }
            Self::Bye { reason, detail } => {
                w.u8(TAG_BYE);
                w.u8(reason.code());
                w.string(detail, MAX_BYE_DETAIL);
            }
        }
        w.out
    }

    /// Decodes a frame payload. Never allocates more than the payload's size.
    pub fn decode(payload: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(payload);
        let msg = match r.u8()? {
            TAG_HELLO => {
                let version = r.u16()?;
                let nonce = r.array()?;
                if version != PROTOCOL_VERSION {
                    // Another version may append fields; we only need its version.
                    return Ok(Self::Hello { version, nonce });
                }
                Self::Hello { version, nonce }
            }
            TAG_PROVE => Self::Prove {
                trajectory: r.trajectory()?,
                proof: r.array()?,
            },
            TAG_REFUSE => {
                let trajectory = r.trajectory()?;
                let reason = match r.u8()? {
                    1 => RefuseReason::UnknownTrajectory,
                    2 => RefuseReason::Unavailable,
                    3 => RefuseReason::WrongSecret,
                    _ => return Err(WireError::Invalid("refuse reason")),
                };
                Self::Refuse { trajectory, reason }
            }
            TAG_SYNC => {
                let trajectory = r.trajectory()?;
                let data = r.bytes(MAX_FRAME_LEN)?;
                if data.is_empty() {
                    return Err(WireError::Invalid("empty sync message"));
                }
                Self::Sync {
                    trajectory,
                    data: data.to_vec(),
                }
            }
            TAG_SYNC_PART => {
                let trajectory = r.trajectory()?;
                let index = r.u32()?;
                let total = r.u32()?;
                if total < 2 || index >= total {
                    return Err(WireError::Invalid("sync part index"));
                }
                let data = r.bytes(MAX_FRAME_LEN)?;
                if data.is_empty() {
                    return Err(WireError::Invalid("empty sync part"));
                }
                Self::SyncPart {
                    trajectory,
                    index,
                    total,
                    data: data.to_vec(),
                }
            }
            TAG_PRESENCE => Self::Presence(Presence::decode(&mut r)?),
            TAG_BLOB_REQUEST => Self::BlobRequest {
                trajectory: r.trajectory()?,
                hash: BlobHash(r.array()?),
            },
            TAG_BLOB => {
                let trajectory = r.trajectory()?;
                let hash = BlobHash(r.array()?);
                let bytes = match r.u8()? {
                    0 => None,
                    // The session enforces the (smaller) photo cap; decoding only bounds by
                    // the frame, so an oversized photo is refused, not a broken connection.
                    1 => Some(r.bytes(MAX_FRAME_LEN)?.to_vec()),
                    _ => return Err(WireError::Invalid("blob flag")),
                };
                Self::Blob {
                    trajectory,
                    hash,
                    bytes,
                }
            }
            TAG_BYE => Self::Bye {
                reason: CloseReason::from_code(r.u8()?),
                detail: r.string(MAX_BYE_DETAIL)?,
            },
            _ => return Err(WireError::Invalid("message tag")),
        };
        r.finish()?;
        Ok(msg)
    }

    /// A short name for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Hello { .. } => "hello",
            Self::Prove { .. } => "prove",
            Self::Refuse { .. } => "refuse",
            Self::Sync { .. } => "sync",
            Self::SyncPart { .. } => "sync part",
            Self::Presence(_) => "presence",
            Self::BlobRequest { .. } => "blob request",
            Self::Blob { .. } => "blob",
            Self::Bye { .. } => "bye",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use crate::proto::presence::PeerHint;

    fn tid(s: &str) -> TrajectoryId {
        TrajectoryId::new(s).unwrap()
    }

    #[test]
    fn every_message_roundtrips() {
        let msgs = vec![
            Message::Hello {
                version: PROTOCOL_VERSION,
                nonce: [3; 32],
            },
            Message::Prove {
                trajectory: tid("t-1"),
                proof: [9; 32],
            },
            Message::Refuse {
                trajectory: tid("t-2"),
                reason: RefuseReason::UnknownTrajectory,
            },
            Message::Sync {
                trajectory: tid("t-3"),
                data: vec![0x43, 1, 2, 3],
            },
            Message::SyncPart {
                trajectory: tid("t-3"),
                index: 1,
                total: 3,
                data: vec![7, 8],
            },
            Message::Presence(Presence {
                trajectory: tid("t-4"),
                name: "Anne".into(),
                phase: Some(3),
                addrs: vec!["10.0.0.2:7000".parse().unwrap()],
                peers: vec![PeerHint {
                    device: DeviceId([1; 32]),
                    addrs: vec!["[fe80::1]:9".parse().unwrap()],
                }],
            }),
            Message::Bye {
                reason: CloseReason::WrongSecret,
                detail: "nope".into(),
            },
            Message::BlobRequest {
                trajectory: tid("t-5"),
                hash: BlobHash::of(b"photo"),
            },
            Message::Blob {
                trajectory: tid("t-5"),
                hash: BlobHash::of(b"photo"),
                bytes: Some(b"photo".to_vec()),
            },
            Message::Blob {
                trajectory: tid("t-5"),
                hash: BlobHash([0; 32]),
                bytes: None,
            },
        ];
        for m in msgs {
            assert_eq!(Message::decode(&m.encode()).unwrap(), m, "{}", m.kind());
        }
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(Message::decode(&[]).is_err());
        assert!(Message::decode(&[99]).is_err());
        assert!(Message::decode(&[TAG_SYNC, 1, b'a', 0, 0, 0, 5, 1]).is_err());
        let mut hello = Message::Hello {
            version: 1,
            nonce: [0; 32],
        }
        .encode();
        hello.push(0);
        assert_eq!(Message::decode(&hello), Err(WireError::Trailing));
    }

    #[test]
    fn sync_parts_need_a_valid_index_and_data() {
        let part = |index, total, data: Vec<u8>| {
            Message::SyncPart {
                trajectory: tid("t"),
                index,
                total,
                data,
            }
            .encode()
        };
        assert!(Message::decode(&part(0, 2, vec![1])).is_ok());
        assert!(Message::decode(&part(2, 2, vec![1])).is_err());
        assert!(Message::decode(&part(0, 1, vec![1])).is_err());
        assert!(Message::decode(&part(0, 0, vec![1])).is_err());
        assert!(Message::decode(&part(0, 2, vec![])).is_err());
        // The overhead constant covers the longest id.
        let long = TrajectoryId::new("x".repeat(64)).unwrap();
        let m = Message::SyncPart {
            trajectory: long,
            index: 0,
            total: 2,
            data: vec![1; 10],
        };
        assert_eq!(m.encode().len(), SYNC_PART_OVERHEAD + 10);
    }

    #[test]
    fn other_versions_are_readable() {
        let mut hello = Message::Hello {
            version: 7,
            nonce: [1; 32],
        }
        .encode();
        hello.extend_from_slice(b"future fields");
        assert_eq!(
            Message::decode(&hello).unwrap(),
            Message::Hello {
                version: 7,
                nonce: [1; 32]
            }
        );
    }

    #[test]
    fn close_codes_roundtrip() {
        for c in 0..=255u8 {
            assert_eq!(CloseReason::from_code(c).code(), c);
        }
    }
}

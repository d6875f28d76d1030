//! Invite tickets: one line of text that lets another device join a trajectory.
//!
//! Text form: `leerrijk1` followed by lowercase RFC 4648 base32 (no padding) of a binary
//! body. Parsing ignores case and whitespace, so a QR code can carry the upper-case form
//! (QR alphanumeric mode, about 30 % smaller than byte mode) and a ticket wrapped over
//! several lines still reads.
//!
//! Body, format 1 (all integers big-endian):
//!
//! | field | encoding |
//! |---|---|
//! | format | `u8` = 1 |
//! | flags | `u8`: bit 0 id is 32 lowercase hex digits, bit 2 id is a lowercase hyphenated UUID (both stored as 16 bytes), bit 1 relay URL present |
//! | trajectory id | 16 bytes, or `u8` length + ASCII |
//! | join secret | 32 bytes |
//! | inviter endpoint id | 32 bytes |
//! | direct addresses | `u8` count (≤ 16), each `u8` family (4/6) + IP + `u16` port |
//! | relay URL | `u8` length + UTF-8 (only if flag bit 1) |
//! | title | `u8` length + UTF-8, at most [`MAX_TICKET_TITLE`] bytes (display only) |
//! | checksum | first 4 bytes of SHA-256 over everything before it |

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::ids::{DeviceId, JoinSecret, TrajectoryId};
use crate::proto::wire::{Reader, WireError, Writer, truncate_str};

/// The text prefix of every ticket (format 1).
pub const TICKET_PREFIX: &str = "leerrijk1";
/// Longest title carried in a ticket, in bytes (longer titles are cut at a char boundary).
pub const MAX_TICKET_TITLE: usize = 40;
/// Most direct addresses carried in a ticket.
pub const MAX_TICKET_ADDRS: usize = 16;

const FORMAT: u8 = 1;
const FLAG_HEX16: u8 = 1;
const FLAG_RELAY: u8 = 2;
const FLAG_UUID: u8 = 4;

/// An invitation to one trajectory.
#[derive(Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The trajectory to join.
    pub trajectory: TrajectoryId,
    /// Its join secret.
    pub secret: JoinSecret,
    /// The inviting device (its iroh endpoint id).
    pub inviter: DeviceId,
    /// The inviter's direct addresses when the ticket was made.
    pub addrs: Vec<SocketAddr>,
    /// The inviter's home relay URL, if relays are enabled.
    pub relay: Option<String>,
    /// The trajectory title, for display only (may be truncated).
    pub title: String,
}

impl fmt::Debug for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ticket")
            .field("trajectory", &self.trajectory)
            .field("inviter", &self.inviter)
            .field("addrs", &self.addrs)
            .field("relay", &self.relay)
            .field("title", &self.title)
            .finish_non_exhaustive()
    }
}

/// Why a ticket could not be read. Each message is one line meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// The text does not start with the Leerrijk prefix.
    #[error("this is not a Leerrijk ticket (a ticket starts with \"{TICKET_PREFIX}\")")]
    Foreign,
    /// A ticket from another (newer) format.
    #[error(
        "this ticket uses format {0}, which this version of Leerrijk does not know; update Leerrijk"
    )]
    UnsupportedVersion(String),
    /// Characters that cannot occur in a ticket.
    #[error("the ticket contains characters that do not belong in a ticket; copy it again")]
    Encoding,
    /// The text ends too early.
    #[error("the ticket is incomplete (cut off); copy the whole line")]
    Truncated,
    /// The checksum does not match: a changed character.
    #[error("the ticket is damaged (checksum mismatch); copy it again")]
    Checksum,
    /// A field holds an impossible value.
    #[error("the ticket is damaged: {0}")]
    Malformed(&'static str),
}

impl Ticket {
    /// Encodes the binary body (including the checksum).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(FORMAT);
        let compact = compact_id(self.trajectory.as_str());
        let relay = self
            .relay
            .as_deref()
            .filter(|r| !r.is_empty() && r.len() <= 255);
        let mut flags = 0;
        if let Some((flag, _)) = compact {
            flags |= flag;
        }
        if relay.is_some() {
            flags |= FLAG_RELAY;
        }
        w.u8(flags);
        match compact {
            Some((_, b)) => w.raw(&b),
            None => w.trajectory(&self.trajectory),
        }
        w.raw(self.secret.as_bytes());
        w.raw(self.inviter.as_bytes());
        let n = self.addrs.len().min(MAX_TICKET_ADDRS);
        w.u8(n as u8);
        for a in self.addrs.iter().take(n) {
            w.socket_addr(a);
        }
        if let Some(r) = relay {
            w.u8(r.len() as u8);
            w.raw(r.as_bytes());
        }
        let title = truncate_str(&self.title, MAX_TICKET_TITLE);
        w.u8(title.len() as u8);
        w.raw(title.as_bytes());
        let sum = Sha256::digest(&w.out);
        w.raw(&sum[..4]);
        w.out
    }

    /// Decodes a binary body made by [`Ticket::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TicketError> {
        let mut r = Reader::new(bytes);
        let format = r.u8().map_err(wire_err)?;
        if format != FORMAT {
            return Err(TicketError::UnsupportedVersion(format!("{format}")));
        }
        let parsed = parse_body(&mut r);
        // A structural error in a body whose checksum fails is reported as damage.
        let body_len = bytes.len().saturating_sub(4);
        let checksum_ok = bytes.len() >= 4 && {
            let sum = Sha256::digest(&bytes[..body_len]);
            sum[..4] == bytes[body_len..]
        };
        match parsed {
            Ok(t) if checksum_ok && r.remaining() == 4 => Ok(t),
            Ok(_) if r.remaining() < 4 => Err(TicketError::Truncated),
            Ok(_) => Err(TicketError::Checksum),
            Err(TicketError::Truncated) => Err(TicketError::Truncated),
            Err(e) if checksum_ok => Err(e),
            Err(_) => Err(TicketError::Checksum),
        }
    }
}

fn wire_err(e: WireError) -> TicketError {
    match e {
        WireError::Truncated => TicketError::Truncated,
        WireError::Invalid(what) => TicketError::Malformed(what),
        WireError::Trailing => TicketError::Malformed("trailing bytes"),
    }
}

fn parse_body(r: &mut Reader<'_>) -> Result<Ticket, TicketError> {
    let flags = r.u8().map_err(wire_err)?;
    if flags & !(FLAG_HEX16 | FLAG_UUID | FLAG_RELAY) != 0
        || flags & (FLAG_HEX16 | FLAG_UUID) == (FLAG_HEX16 | FLAG_UUID)
    {
        return Err(TicketError::Malformed("unknown flags"));
    }
    let trajectory = if flags & (FLAG_HEX16 | FLAG_UUID) != 0 {
        let b: [u8; 16] = r.array().map_err(wire_err)?;
        let text = if flags & FLAG_UUID != 0 {
            uuid_text(&b)
        } else {
            data_encoding::HEXLOWER.encode(&b)
        };
        TrajectoryId::new(text).map_err(|_| TicketError::Malformed("trajectory id"))?
    } else {
        r.trajectory().map_err(wire_err)?
    };
    let secret = JoinSecret(r.array().map_err(wire_err)?);
    let inviter = DeviceId(r.array().map_err(wire_err)?);
    if iroh::EndpointId::from_bytes(inviter.as_bytes()).is_err() {
        // Not a public key: no device could ever answer to it.
        return Err(TicketError::Malformed("device id"));
    }
    let n = r.u8().map_err(wire_err)? as usize;
    if n > MAX_TICKET_ADDRS {
        return Err(TicketError::Malformed("too many addresses"));
    }
    let mut addrs = Vec::with_capacity(n);
    for _ in 0..n {
        addrs.push(r.socket_addr().map_err(wire_err)?);
    }
    let relay = if flags & FLAG_RELAY != 0 {
        let len = r.u8().map_err(wire_err)? as usize;
        let raw = r.take(len).map_err(wire_err)?;
        Some(
            std::str::from_utf8(raw)
                .map_err(|_| TicketError::Malformed("relay URL"))?
                .to_string(),
        )
    } else {
        None
    };
    let len = r.u8().map_err(wire_err)? as usize;
    let raw = r.take(len).map_err(wire_err)?;
    let title = std::str::from_utf8(raw)
        .map_err(|_| TicketError::Malformed("title"))?
        .to_string();
    Ok(Ticket {
        trajectory,
        secret,
        inviter,
        addrs,
        relay,
        title,
    })
}

impl fmt::Display for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = data_encoding::BASE32_NOPAD
            .encode(&self.to_bytes())
            .to_ascii_lowercase();
        write!(f, "{TICKET_PREFIX}{body}")
    }
}

impl FromStr for Ticket {
    type Err = TicketError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let Some(rest) = text.strip_prefix("leerrijk") else {
            return Err(TicketError::Foreign);
        };
        let Some(body) = rest.strip_prefix('1') else {
            let version: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return Err(if version.is_empty() {
                TicketError::Foreign
            } else {
                TicketError::UnsupportedVersion(version)
            });
        };
        if body.is_empty() {
            return Err(TicketError::Truncated);
        }
        let bytes = data_encoding::BASE32_NOPAD
            .decode(body.to_ascii_uppercase().as_bytes())
            .map_err(|e| match e.kind {
                data_encoding::DecodeKind::Length | data_encoding::DecodeKind::Trailing => {
                    TicketError::Truncated
                }
                _ => TicketError::Encoding,
            })?;
        Ticket::from_bytes(&bytes)
    }
}

/// The compact form of an id: 32 lowercase hex digits or a lowercase hyphenated UUID as
/// 16 bytes, with the flag that says which.
fn compact_id(s: &str) -> Option<(u8, [u8; 16])> {
    let b = s.as_bytes();
    if b.len() == 32
        && b.iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
    {
        let raw = data_encoding::HEXLOWER.decode(b).ok()?;
        return Some((FLAG_HEX16, raw.try_into().ok()?));
    }
    if b.len() != 36 {
        return None;
    }
    let mut hex = Vec::with_capacity(32);
    for (i, c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if *c != b'-' {
                return None;
            }
        } else if c.is_ascii_digit() || (b'a'..=b'f').contains(c) {
            hex.push(*c);
        } else {
            return None;
        }
    }
    let raw = data_encoding::HEXLOWER.decode(&hex).ok()?;
    Some((FLAG_UUID, raw.try_into().ok()?))
}

fn uuid_text(b: &[u8; 16]) -> String {
    let h = data_encoding::HEXLOWER.encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(id: &str) -> Ticket {
        Ticket {
            trajectory: TrajectoryId::new(id).unwrap(),
            secret: JoinSecret([7; 32]),
            inviter: DeviceId([9; 32]),
            addrs: vec![
                "192.168.1.20:53211".parse().unwrap(),
                "[fe80::1:2]:53211".parse().unwrap(),
            ],
            relay: None,
            title: "Leren loont het langst — basisschool De Regenboog, team 2026".into(),
        }
    }

    #[test]
    fn roundtrip_with_uuid_id_is_compact() {
        let t = sample("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        let text = t.to_string();
        assert!(text.starts_with("leerrijk1"));
        assert!(text.len() < 260, "{} chars", text.len());
        let back: Ticket = text.parse().unwrap();
        assert_eq!(back.trajectory, t.trajectory);
        assert_eq!(back.secret, t.secret);
        assert_eq!(back.inviter, t.inviter);
        assert_eq!(back.addrs, t.addrs);
        assert!(t.title.starts_with(&back.title));
        assert!(back.title.len() <= MAX_TICKET_TITLE);
    }

    #[test]
    fn roundtrip_with_model_style_id() {
        let t = sample("0193a1b2c3d47e5f8a9b0c1d2e3f4a5b");
        let back: Ticket = t.to_string().parse().unwrap();
        assert_eq!(back.trajectory, t.trajectory);
        assert_eq!(
            t.to_bytes().len(),
            sample("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
                .to_bytes()
                .len()
        );
    }

    #[test]
    fn roundtrip_with_other_id_relay_and_case() {
        let mut t = sample("my_traj-01");
        t.relay = Some("https://relay.example.org./".into());
        t.title = "kort".into();
        let text = t.to_string().to_ascii_uppercase();
        // Wrapped over lines, upper case (QR form): still parses.
        let wrapped = format!("  {}\n{}  ", &text[..30], &text[30..]);
        assert_eq!(wrapped.parse::<Ticket>().unwrap(), t);
    }

    #[test]
    fn an_inviter_that_is_no_public_key_is_malformed() {
        let bad = (0u8..=255)
            .map(|i| [i; 32])
            .find(|b| iroh::EndpointId::from_bytes(b).is_err())
            .unwrap();
        let mut t = sample("abc");
        t.inviter = DeviceId(bad);
        assert_eq!(
            t.to_string().parse::<Ticket>(),
            Err(TicketError::Malformed("device id"))
        );
    }

    #[test]
    fn errors_are_typed() {
        let text = sample("abc").to_string();
        assert_eq!("hello".parse::<Ticket>(), Err(TicketError::Foreign));
        assert_eq!(
            "leerrijk2abcdef".parse::<Ticket>(),
            Err(TicketError::UnsupportedVersion("2".into()))
        );
        assert_eq!("leerrijk1".parse::<Ticket>(), Err(TicketError::Truncated));
        assert_eq!(
            format!("{}!!", &text[..20]).parse::<Ticket>(),
            Err(TicketError::Encoding)
        );
        // Every truncation is an error (never a wrong ticket).
        for cut in 10..text.len() {
            let err = text[..cut].parse::<Ticket>().unwrap_err();
            assert!(
                matches!(err, TicketError::Truncated | TicketError::Checksum),
                "cut {cut}: {err:?}"
            );
        }
        // A changed character is detected.
        let mut chars: Vec<char> = text.chars().collect();
        let i = chars.len() - 12;
        chars[i] = if chars[i] == 'a' { 'b' } else { 'a' };
        let changed: String = chars.into_iter().collect();
        assert!(changed.parse::<Ticket>().is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        let dbg = format!("{:?}", sample("abc"));
        assert!(!dbg.contains("secret"));
    }
}

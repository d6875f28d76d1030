//! Bounded binary reader and writer for message bodies.
//!
//! Every length read from the input is checked against the bytes that remain before
//! anything is allocated, so decoding never allocates more than the input's size.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::ids::{DeviceId, TrajectoryId};

/// Why a message body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The input ended inside a field.
    #[error("message truncated")]
    Truncated,
    /// A field holds a value this version does not accept.
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// Bytes were left over after the message.
    #[error("trailing bytes after message")]
    Trailing,
}

/// Reads fields from a byte slice.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { input }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.input.len()
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if n > self.input.len() {
            return Err(WireError::Truncated);
        }
        let (head, tail) = self.input.split_at(n);
        self.input = tail;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, WireError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, WireError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A `u32`-length-prefixed byte string of at most `max` bytes.
    pub(crate) fn bytes(&mut self, max: usize) -> Result<&'a [u8], WireError> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(WireError::Invalid("length"));
        }
        self.take(len)
    }

    /// A `u16`-length-prefixed UTF-8 string of at most `max` bytes.
    pub(crate) fn string(&mut self, max: usize) -> Result<String, WireError> {
        let len = self.u16()? as usize;
        if len > max {
            return Err(WireError::Invalid("string length"));
        }
        let raw = self.take(len)?;
        std::str::from_utf8(raw)
            .map(str::to_owned)
            .map_err(|_| WireError::Invalid("utf-8 string"))
    }

    /// A count for a list whose items take at least `min_item` bytes each, at most `max`.
    pub(crate) fn count(&mut self, max: usize, min_item: usize) -> Result<usize, WireError> {
        let n = self.u16()? as usize;
        if n > max {
            return Err(WireError::Invalid("list length"));
        }
        if n.saturating_mul(min_item) > self.remaining() {
            return Err(WireError::Truncated);
        }
        Ok(n)
    }

    pub(crate) fn trajectory(&mut self) -> Result<TrajectoryId, WireError> {
        let len = self.u8()? as usize;
        let raw = self.take(len)?;
        let text = std::str::from_utf8(raw).map_err(|_| WireError::Invalid("trajectory id"))?;
        TrajectoryId::new(text).map_err(|_| WireError::Invalid("trajectory id"))
    }

    pub(crate) fn device(&mut self) -> Result<DeviceId, WireError> {
        Ok(DeviceId(self.array()?))
    }

    pub(crate) fn socket_addr(&mut self) -> Result<SocketAddr, WireError> {
        let ip = match self.u8()? {
            4 => IpAddr::V4(Ipv4Addr::from(self.array::<4>()?)),
            6 => IpAddr::V6(Ipv6Addr::from(self.array::<16>()?)),
            _ => return Err(WireError::Invalid("address family")),
        };
        Ok(SocketAddr::new(ip, self.u16()?))
    }

    pub(crate) fn finish(self) -> Result<(), WireError> {
        if self.input.is_empty() {
            Ok(())
        } else {
            Err(WireError::Trailing)
        }
    }
}

/// Appends fields to a byte vector. Callers keep values within the limits the reader checks.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn raw(&mut self, v: &[u8]) {
        self.out.extend_from_slice(v);
    }

    /// Writes a `u32` length and the bytes; the length saturates (and decoding then fails)
    /// for inputs over 4 GiB, which the frame cap rules out anyway.
    pub(crate) fn bytes(&mut self, v: &[u8]) {
        self.u32(u32::try_from(v.len()).unwrap_or(u32::MAX));
        self.raw(v);
    }

    /// Writes a string truncated (at a char boundary) to `max` bytes.
    pub(crate) fn string(&mut self, v: &str, max: usize) {
        let v = truncate_str(v, max.min(u16::MAX as usize));
        self.u16(v.len() as u16);
        self.raw(v.as_bytes());
    }

    /// Writes a count clamped to `max`; the caller writes that many items.
    pub(crate) fn count(&mut self, n: usize, max: usize) -> usize {
        let n = n.min(max).min(u16::MAX as usize);
        self.u16(n as u16);
        n
    }

    pub(crate) fn trajectory(&mut self, id: &TrajectoryId) {
        // Ids are at most 64 bytes by construction.
        self.u8(id.as_str().len() as u8);
        self.raw(id.as_str().as_bytes());
    }

    pub(crate) fn device(&mut self, id: &DeviceId) {
        self.raw(id.as_bytes());
    }

    pub(crate) fn socket_addr(&mut self, addr: &SocketAddr) {
        match addr.ip() {
            IpAddr::V4(ip) => {
                self.u8(4);
                self.raw(&ip.octets());
            }
            IpAddr::V6(ip) => {
                self.u8(6);
                self.raw(&ip.octets());
            }
        }
        self.u16(addr.port());
    }
}

/// The longest prefix of `s` that fits in `max` bytes and ends at a char boundary.
pub(crate) fn truncate_str(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate_str("héllo", 2), "h");
        assert_eq!(truncate_str("héllo", 3), "hé");
        assert_eq!(truncate_str("abc", 10), "abc");
    }

    #[test]
    fn reader_rejects_lengths_beyond_input() {
        let mut w = Writer::default();
        w.u32(1_000_000);
        let mut r = Reader::new(&w.out);
        assert_eq!(r.bytes(2_000_000), Err(WireError::Truncated));
        let mut r = Reader::new(&w.out);
        assert_eq!(r.bytes(10), Err(WireError::Invalid("length")));
    }

    #[test]
    fn addresses_roundtrip() {
        let addrs: [SocketAddr; 2] = [
            "127.0.0.1:4000".parse().unwrap(),
            "[::1]:5".parse().unwrap(),
        ];
        let mut w = Writer::default();
        for a in &addrs {
            w.socket_addr(a);
        }
        let mut r = Reader::new(&w.out);
        assert_eq!(r.socket_addr().unwrap(), addrs[0]);
        assert_eq!(r.socket_addr().unwrap(), addrs[1]);
        r.finish().unwrap();
    }
}

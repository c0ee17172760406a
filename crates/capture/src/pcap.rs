//! The classic pcap format (pcap-savefile(5)).

use crate::{adjust_snaplen, max_snaplen, Record};

const MAGIC_USEC: u32 = 0xa1b2_c3d4;
const MAGIC_NSEC: u32 = 0xa1b2_3c4d;
/// Alexey Kuznetzov's patched format: four more bytes a record header.
const MAGIC_KUZNETZOV: u32 = 0xa1b2_cd34;

/// The file header tcpdump writes: native (little-endian here) byte order, version 2.4,
/// microsecond timestamps.
pub fn file_header(snaplen: u32, linktype: u32) -> [u8; 24] {
    let mut h = [0u8; 24];
    h[0..4].copy_from_slice(&MAGIC_USEC.to_le_bytes());
    h[4..6].copy_from_slice(&2u16.to_le_bytes());
    h[6..8].copy_from_slice(&4u16.to_le_bytes());
    h[16..20].copy_from_slice(&snaplen.to_le_bytes());
    h[20..24].copy_from_slice(&linktype.to_le_bytes());
    h
}

/// Appends one record (microsecond timestamp) to `out`.
pub fn write_record(out: &mut Vec<u8>, ts_sec: i64, ts_usec: u32, data: &[u8], wire_len: u32) {
    out.extend_from_slice(&(ts_sec as u32).to_le_bytes());
    out.extend_from_slice(&ts_usec.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&wire_len.to_le_bytes());
    out.extend_from_slice(data);
}

/// A pcap file being read.
pub struct Reader<'a> {
    rest: &'a [u8],
    swapped: bool,
    nsec: bool,
    hdrsize: usize,
    /// Version 2.3 files and older may have caplen and len interchanged.
    swap_lens: bool,
    linktype: u32,
    snaplen: u32,
}

impl<'a> Reader<'a> {
    /// `Ok(None)` if the bytes are not a pcap file (another format may take them).
    pub fn new(bytes: &'a [u8]) -> Result<Option<Reader<'a>>, String> {
        let m = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let known = |m| m == MAGIC_USEC || m == MAGIC_NSEC || m == MAGIC_KUZNETZOV;
        let (magic, swapped) = if known(m) {
            (m, false)
        } else if known(m.swap_bytes()) {
            (m.swap_bytes(), true)
        } else {
            return Ok(None);
        };
        if bytes.len() < 24 {
            return Err(format!(
                "truncated dump file; tried to read 24 file header bytes, only got {}",
                bytes.len() - 4
            ));
        }
        let u16at = |i: usize| {
            let v = u16::from_le_bytes([bytes[i], bytes[i + 1]]);
            if swapped {
                v.swap_bytes()
            } else {
                v
            }
        };
        let u32at = |i: usize| {
            let v = u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
            if swapped {
                v.swap_bytes()
            } else {
                v
            }
        };
        let (major, minor) = (u16at(4), u16at(6));
        if major < 2 {
            return Err("archaic pcap savefile format".to_string());
        }
        if !((major == 2 && minor <= 4) || (major == 543 && minor == 0)) {
            return Err(format!("unsupported pcap savefile version {major}.{minor}"));
        }
        // The upper bits of the link type field carry other information (LT_LINKTYPE).
        let linktype = u32at(20) & 0x03ff_ffff;
        Ok(Some(Reader {
            rest: &bytes[24..],
            swapped,
            nsec: magic == MAGIC_NSEC,
            hdrsize: if magic == MAGIC_KUZNETZOV { 24 } else { 16 },
            swap_lens: major == 2 && minor < 3,
            linktype,
            snaplen: adjust_snaplen(linktype, u32at(16)),
        }))
    }

    pub fn linktype(&self) -> u32 {
        self.linktype
    }

    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// The next record (`pcap_next_packet`).
    pub fn next_record(&mut self) -> Option<Result<Record, String>> {
        if self.rest.is_empty() {
            return None;
        }
        if self.rest.len() < self.hdrsize {
            let got = self.rest.len();
            self.rest = &[];
            return Some(Err(format!(
                "truncated dump file; tried to read {} header bytes, only got {got}",
                self.hdrsize
            )));
        }
        let h = &self.rest[..self.hdrsize];
        let word = |i: usize| {
            let v = u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
            if self.swapped {
                v.swap_bytes()
            } else {
                v
            }
        };
        let (sec, frac) = (word(0), word(4));
        let (mut caplen, mut len) = (word(8), word(12));
        if self.swap_lens && caplen > len {
            std::mem::swap(&mut caplen, &mut len);
        }
        let rest = &self.rest[self.hdrsize..];
        let fail = |me: &mut Self, msg: String| {
            me.rest = &[];
            Some(Err(msg))
        };
        if caplen > max_snaplen(self.linktype) {
            let msg = if caplen > self.snaplen {
                format!(
                    "invalid packet capture length {caplen}, bigger than snaplen of {}",
                    self.snaplen
                )
            } else {
                format!(
                    "invalid packet capture length {caplen}, bigger than maximum of {}",
                    max_snaplen(self.linktype)
                )
            };
            return fail(self, msg);
        }
        if (rest.len() as u64) < u64::from(caplen) {
            let msg = format!(
                "truncated dump file; tried to read {caplen} captured bytes, only got {}",
                rest.len()
            );
            return fail(self, msg);
        }
        // A record longer than the snapshot length is cut to it, as libpcap does.
        let keep = caplen.min(self.snaplen) as usize;
        let data = rest[..keep].to_vec();
        self.rest = &rest[caplen as usize..];
        let ts_nsec = if self.nsec {
            frac
        } else {
            frac.saturating_mul(1000)
        };
        Some(Ok(Record {
            ts_sec: i64::from(sec),
            ts_nsec,
            data,
            wire_len: len,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reader as AnyReader;

    fn file(records: &[(&[u8], u32)]) -> Vec<u8> {
        let mut v = file_header(262_144, 1).to_vec();
        for (i, (d, len)) in records.iter().enumerate() {
            write_record(&mut v, 1_700_000_000 + i as i64, 250_000, d, *len);
        }
        v
    }

    #[test]
    fn writes_what_an_independent_reader_reads() {
        let bytes = file(&[(&[1, 2, 3, 4], 60), (&[9; 98], 98)]);
        let mut r = pcap_file::pcap::PcapReader::new(&bytes[..]).unwrap();
        assert_eq!(r.header().snaplen, 262_144);
        assert_eq!(r.header().datalink, pcap_file::DataLink::ETHERNET);
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(
            p.timestamp,
            std::time::Duration::new(1_700_000_000, 250_000_000)
        );
        assert_eq!((&p.data[..], p.orig_len), (&[1u8, 2, 3, 4][..], 60));
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!((p.data.len(), p.orig_len), (98, 98));
        assert!(r.next_packet().is_none());
    }

    #[test]
    fn reads_back_what_it_writes() {
        let bytes = file(&[(&[1, 2, 3], 3)]);
        let mut r = AnyReader::new(&bytes).unwrap();
        assert_eq!((r.linktype(), r.snaplen()), (1, 262_144));
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!(
            (rec.ts_sec, rec.ts_nsec, rec.data, rec.wire_len),
            (1_700_000_000, 250_000_000, vec![1, 2, 3], 3)
        );
        assert!(r.next_record().is_none());
    }

    #[test]
    fn damaged_files_get_libpcaps_messages() {
        let msg = |b: &[u8]| match AnyReader::new(b) {
            Err(e) => e,
            Ok(mut r) => r.next_record().unwrap().unwrap_err(),
        };
        assert_eq!(
            msg(b"abc"),
            "truncated dump file; tried to read 4 file header bytes, only got 3"
        );
        assert_eq!(msg(b"[package]\nname"), "unknown file format");
        let h = file_header(262_144, 1);
        assert_eq!(
            msg(&h[..10]),
            "truncated dump file; tried to read 24 file header bytes, only got 6"
        );
        let mut f = file(&[(&[0; 10], 98)]);
        f[32..36].copy_from_slice(&98u32.to_le_bytes());
        assert_eq!(
            msg(&f),
            "truncated dump file; tried to read 98 captured bytes, only got 10"
        );
        let f = file(&[(&[0; 10], 10)]);
        assert_eq!(
            msg(&f[..30]),
            "truncated dump file; tried to read 16 header bytes, only got 6"
        );
        let mut f = file(&[]);
        f[4] = 1;
        assert_eq!(msg(&f), "archaic pcap savefile format");
        f[4] = 3;
        assert_eq!(msg(&f), "unsupported pcap savefile version 3.4");
    }

    #[test]
    fn reads_either_byte_order_and_nanoseconds() {
        let mut v = Vec::new();
        v.extend_from_slice(&MAGIC_NSEC.to_be_bytes());
        v.extend_from_slice(&2u16.to_be_bytes());
        v.extend_from_slice(&4u16.to_be_bytes());
        v.extend_from_slice(&[0; 8]);
        v.extend_from_slice(&65535u32.to_be_bytes());
        v.extend_from_slice(&1u32.to_be_bytes());
        for w in [5u32, 123_456_789, 2, 2] {
            v.extend_from_slice(&w.to_be_bytes());
        }
        v.extend_from_slice(&[7, 8]);
        let mut r = AnyReader::new(&v).unwrap();
        assert_eq!((r.linktype(), r.snaplen()), (1, 65535));
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!(
            (rec.ts_sec, rec.ts_nsec, rec.data),
            (5, 123_456_789, vec![7, 8])
        );
    }
}

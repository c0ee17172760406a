//! pcapng (draft-ietf-opsawg-pcapng): what Wireshark writes, and what tsunagi writes for a
//! whole lab, one interface description per device with its name and nanosecond timestamps.

use crate::{adjust_snaplen, max_snaplen, Record};

const BT_SHB: u32 = 0x0A0D_0D0A;
const BT_IDB: u32 = 1;
const BT_PB: u32 = 2;
const BT_SPB: u32 = 3;
const BT_EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

const OPT_ENDOFOPT: u16 = 0;
const OPT_SHB_USERAPPL: u16 = 4;
const OPT_IF_NAME: u16 = 2;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_IF_TSOFFSET: u16 = 14;
const OPT_EPB_FLAGS: u16 = 2;

/// Which way a packet went, as `epb_flags` records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
}

/// Builds pcapng blocks (little-endian) into a byte buffer the caller writes out.
#[derive(Default)]
pub struct Writer {
    interfaces: u32,
}

fn option(out: &mut Vec<u8>, code: u16, value: &[u8]) {
    out.extend_from_slice(&code.to_le_bytes());
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    out.extend_from_slice(value);
    out.resize(out.len().next_multiple_of(4), 0);
}

/// Wraps a block body into a block: type, total length, body, total length.
fn block(out: &mut Vec<u8>, btype: u32, body: &[u8]) {
    let total = (12 + body.len()) as u32;
    out.extend_from_slice(&btype.to_le_bytes());
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&total.to_le_bytes());
}

impl Writer {
    /// The section header that starts a file, naming the application that wrote it.
    pub fn section_header(&mut self, out: &mut Vec<u8>, application: &str) {
        self.interfaces = 0;
        let mut b = Vec::new();
        b.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        // Section length not given.
        b.extend_from_slice(&u64::MAX.to_le_bytes());
        option(&mut b, OPT_SHB_USERAPPL, application.as_bytes());
        option(&mut b, OPT_ENDOFOPT, &[]);
        block(out, BT_SHB, &b);
    }

    /// Describes an interface with nanosecond timestamps; returns its id in this section.
    pub fn interface(&mut self, out: &mut Vec<u8>, linktype: u16, snaplen: u32, name: &str) -> u32 {
        let mut b = Vec::new();
        b.extend_from_slice(&linktype.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(&snaplen.to_le_bytes());
        option(&mut b, OPT_IF_NAME, name.as_bytes());
        option(&mut b, OPT_IF_TSRESOL, &[9]);
        option(&mut b, OPT_ENDOFOPT, &[]);
        block(out, BT_IDB, &b);
        self.interfaces += 1;
        self.interfaces - 1
    }

    /// One packet on interface `iface`, its time in nanoseconds since the epoch.
    pub fn packet(
        &self,
        out: &mut Vec<u8>,
        iface: u32,
        ts_ns: u64,
        data: &[u8],
        wire_len: u32,
        dir: Direction,
    ) {
        // Built in place: type, total length, body, total length (no buffer of its own, as
        // this runs for every frame of a lab-wide capture).
        let padded = data.len().next_multiple_of(4);
        let total = (12 + 20 + padded + 8 + 4) as u32;
        out.reserve(total as usize);
        out.extend_from_slice(&BT_EPB.to_le_bytes());
        out.extend_from_slice(&total.to_le_bytes());
        out.extend_from_slice(&iface.to_le_bytes());
        out.extend_from_slice(&((ts_ns >> 32) as u32).to_le_bytes());
        out.extend_from_slice(&(ts_ns as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&wire_len.to_le_bytes());
        out.extend_from_slice(data);
        out.resize(out.len() + padded - data.len(), 0);
        let flags: u32 = match dir {
            Direction::Inbound => 1,
            Direction::Outbound => 2,
        };
        option(out, OPT_EPB_FLAGS, &flags.to_le_bytes());
        option(out, OPT_ENDOFOPT, &[]);
        out.extend_from_slice(&total.to_le_bytes());
    }
}

/// An interface described in the file being read.
struct Iface {
    /// Timestamp units a second, and whether they are a power of ten (else of two).
    units: u64,
    offset: i64,
}

/// A pcapng file being read.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    big_endian: bool,
    ifaces: Vec<Iface>,
    linktype: u32,
    snaplen: u32,
    failed: bool,
}

/// A block read from the file: its type and body.
struct RawBlock<'a> {
    btype: u32,
    body: &'a [u8],
}

impl<'a> Reader<'a> {
    /// `Ok(None)` if the bytes do not start with a section header block.
    pub fn new(bytes: &'a [u8]) -> Result<Option<Reader<'a>>, String> {
        if u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) != BT_SHB {
            return Ok(None);
        }
        let mut r = Reader {
            bytes,
            pos: 0,
            big_endian: false,
            ifaces: Vec::new(),
            linktype: 0,
            snaplen: 0,
            failed: false,
        };
        // The section header: its length and byte-order magic decide how to read the rest.
        if bytes.len() < 12 {
            return Err(format!(
                "truncated pcapng dump file; tried to read 12 bytes, only got {}",
                bytes.len()
            ));
        }
        let bom = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        r.big_endian = match bom {
            BYTE_ORDER_MAGIC => false,
            x if x.swap_bytes() == BYTE_ORDER_MAGIC => true,
            // Not pcapng after all: libpcap then tries no other format.
            _ => return Ok(None),
        };
        let total = r.u32_at(4);
        if !(28..=16 * 1024 * 1024).contains(&total) {
            return Err(format!(
                "Section Header Block in pcapng dump file has invalid length {} < _{total}_ < {} (BT_SHB_INSANE_MAX)",
                28,
                16 * 1024 * 1024
            ));
        }
        let shb = r
            .block()?
            .ok_or("the capture file has no Interface Description Blocks")?;
        r.section(shb.body)?;
        // Up to the first interface description, which gives the file its link type.
        loop {
            let Some(b) = r.block()? else {
                return Err("the capture file has no Interface Description Blocks".to_string());
            };
            match b.btype {
                BT_IDB => {
                    let (linktype, snaplen) = r.interface(b.body)?;
                    r.linktype = linktype;
                    r.snaplen = adjust_snaplen(linktype, snaplen);
                    break;
                }
                BT_EPB | BT_SPB | BT_PB => return Err(
                    "the capture file has a packet block before any Interface Description Blocks"
                        .to_string(),
                ),
                _ => {}
            }
        }
        Ok(Some(r))
    }

    pub fn linktype(&self) -> u32 {
        self.linktype
    }

    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    fn u32_at(&self, i: usize) -> u32 {
        let b = [
            self.bytes[i],
            self.bytes[i + 1],
            self.bytes[i + 2],
            self.bytes[i + 3],
        ];
        if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    }

    fn u16_of(&self, b: &[u8]) -> u16 {
        let b = [b[0], b[1]];
        if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    }

    fn u32_of(&self, b: &[u8]) -> u32 {
        let b = [b[0], b[1], b[2], b[3]];
        if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    }

    /// The next block (`read_block`), `None` at the end of the file.
    fn block(&mut self) -> Result<Option<RawBlock<'a>>, String> {
        let rest = &self.bytes[self.pos..];
        if rest.is_empty() {
            return Ok(None);
        }
        if rest.len() < 8 {
            return Err(format!(
                "truncated pcapng dump file; tried to read 8 bytes, only got {}",
                rest.len()
            ));
        }
        let btype = self.u32_at(self.pos);
        let total = self.u32_at(self.pos + 4);
        // A new section may not change the byte order (the block type reads the same either
        // way).
        if btype == BT_SHB && rest.len() >= 12 {
            let bom = u32::from_le_bytes([rest[8], rest[9], rest[10], rest[11]]);
            let big = bom != BYTE_ORDER_MAGIC;
            if big && bom.swap_bytes() != BYTE_ORDER_MAGIC {
                return Err("the file has a section with a bad byte order magic field".to_string());
            }
            if big != self.big_endian {
                return Err("the file has sections with different byte orders".to_string());
            }
        }
        if total < 12 {
            return Err(format!(
                "block in pcapng dump file has a length of {total} < 12"
            ));
        }
        if !total.is_multiple_of(4) {
            return Err(format!(
                "block in pcapng dump file has a length of {total} that is not a multiple of 4"
            ));
        }
        if total > 16 * 1024 * 1024 {
            return Err(format!(
                "pcapng block size {total} > maximum {}",
                16 * 1024 * 1024
            ));
        }
        if rest.len() < total as usize {
            return Err(format!(
                "truncated pcapng dump file; tried to read {} bytes, only got {}",
                total - 8,
                rest.len() - 8
            ));
        }
        let trailer = self.u32_at(self.pos + total as usize - 4);
        if trailer != total {
            return Err("block total length in header and trailer don't match".to_string());
        }
        let body = &self.bytes[self.pos + 8..self.pos + total as usize - 4];
        self.pos += total as usize;
        Ok(Some(RawBlock { btype, body }))
    }

    /// A section header: checks the version and forgets the previous section's interfaces.
    fn section(&mut self, body: &[u8]) -> Result<(), String> {
        if body.len() < 16 {
            return Err(format!(
                "block of type {BT_SHB} in pcapng dump file is too short"
            ));
        }
        let (major, minor) = (self.u16_of(&body[4..]), self.u16_of(&body[6..]));
        if major != 1 {
            return Err(format!(
                "unknown pcapng savefile major version number {major}"
            ));
        }
        let _ = minor;
        self.ifaces.clear();
        Ok(())
    }

    /// An interface description: its link type and snapshot length; its timestamp
    /// resolution and offset are kept for its packets.
    fn interface(&mut self, body: &[u8]) -> Result<(u32, u32), String> {
        if body.len() < 8 {
            return Err(format!(
                "block of type {BT_IDB} in pcapng dump file is too short"
            ));
        }
        let linktype = u32::from(self.u16_of(body));
        let snaplen = self.u32_of(&body[4..]);
        let mut units = 1_000_000u64;
        let mut offset = 0i64;
        let (mut seen_res, mut seen_off) = (false, false);
        let mut opts = &body[8..];
        while opts.len() >= 4 {
            let code = self.u16_of(opts);
            let len = self.u16_of(&opts[2..]) as usize;
            let padded = len.next_multiple_of(4);
            if opts.len() < 4 + padded {
                return Err(format!(
                    "block of type {BT_IDB} in pcapng dump file is too short"
                ));
            }
            let v = &opts[4..4 + len];
            match code {
                OPT_ENDOFOPT => {
                    if len != 0 {
                        return Err(format!(
                            "Interface Description Block has opt_endofopt option with length {len} != 0"
                        ));
                    }
                    break;
                }
                OPT_IF_TSRESOL => {
                    if len != 1 {
                        return Err(format!(
                            "Interface Description Block has if_tsresol option with length {len} != 1"
                        ));
                    }
                    if seen_res {
                        return Err(
                            "Interface Description Block has more than one if_tsresol option"
                                .to_string(),
                        );
                    }
                    seen_res = true;
                    let exp = u32::from(v[0] & 0x7f);
                    units = if v[0] & 0x80 != 0 {
                        if exp > 63 {
                            return Err(format!(
                                "Interface Description Block if_tsresol option resolution 2^-{exp} is too high"
                            ));
                        }
                        1u64 << exp
                    } else {
                        if exp > 19 {
                            return Err(format!(
                                "Interface Description Block if_tsresol option resolution 10^-{exp} is too high"
                            ));
                        }
                        10u64.pow(exp)
                    };
                }
                OPT_IF_TSOFFSET => {
                    if len != 8 {
                        return Err(format!(
                            "Interface Description Block has if_tsoffset option with length {len} != 8"
                        ));
                    }
                    if seen_off {
                        return Err(
                            "Interface Description Block has more than one if_tsoffset option"
                                .to_string(),
                        );
                    }
                    seen_off = true;
                    let mut b = [0u8; 8];
                    b.copy_from_slice(v);
                    offset = if self.big_endian {
                        i64::from_be_bytes(b)
                    } else {
                        i64::from_le_bytes(b)
                    };
                }
                _ => {}
            }
            opts = &opts[4 + padded..];
        }
        self.ifaces.push(Iface { units, offset });
        Ok((linktype, snaplen))
    }

    /// The next packet (`pcap_ng_next_packet`).
    pub fn next_record(&mut self) -> Option<Result<Record, String>> {
        if self.failed {
            return None;
        }
        let r = self.next_inner().transpose();
        if matches!(r, Some(Err(_))) {
            self.failed = true;
        }
        r
    }

    fn next_inner(&mut self) -> Result<Option<Record>, String> {
        loop {
            let Some(b) = self.block()? else {
                return Ok(None);
            };
            let (iface, ts, caplen, len, data) = match b.btype {
                BT_EPB | BT_PB => {
                    if b.body.len() < 20 {
                        return Err(format!(
                            "block of type {} in pcapng dump file is too short",
                            b.btype
                        ));
                    }
                    let iface = if b.btype == BT_PB {
                        u32::from(self.u16_of(b.body))
                    } else {
                        self.u32_of(b.body)
                    };
                    let ts = (u64::from(self.u32_of(&b.body[4..])) << 32)
                        | u64::from(self.u32_of(&b.body[8..]));
                    let caplen = self.u32_of(&b.body[12..]);
                    let len = self.u32_of(&b.body[16..]);
                    (iface, ts, caplen, len, &b.body[20..])
                }
                BT_SPB => {
                    if b.body.len() < 4 {
                        return Err(format!(
                            "block of type {BT_SPB} in pcapng dump file is too short"
                        ));
                    }
                    let len = self.u32_of(b.body);
                    let caplen = len.min(self.snaplen).min((b.body.len() - 4) as u32);
                    (0, 0, caplen, len, &b.body[4..])
                }
                BT_IDB => {
                    let (linktype, snaplen) = self.interface(b.body)?;
                    if linktype != self.linktype {
                        return Err(format!(
                            "an interface has a type {linktype} different from the type of the first interface"
                        ));
                    }
                    if adjust_snaplen(linktype, snaplen) != self.snaplen {
                        return Err(format!(
                            "an interface has a snapshot length {snaplen} different from the snapshot length of the first interface"
                        ));
                    }
                    continue;
                }
                BT_SHB => {
                    self.section(b.body)?;
                    continue;
                }
                _ => continue,
            };
            let Some(ifc) = self.ifaces.get(iface as usize) else {
                return Err(format!(
                    "a packet arrived on interface {iface}, but there's no Interface Description Block for that interface"
                ));
            };
            if caplen > max_snaplen(self.linktype) || caplen as usize > data.len() {
                return Err(format!(
                    "invalid packet capture length {caplen}, bigger than snaplen of {}",
                    self.snaplen
                ));
            }
            let sec = (ts / ifc.units) as i64 + ifc.offset;
            let frac = ts % ifc.units;
            let ts_nsec = (u128::from(frac) * 1_000_000_000 / u128::from(ifc.units)) as u32;
            let keep = caplen.min(self.snaplen) as usize;
            return Ok(Some(Record {
                ts_sec: sec,
                ts_nsec,
                data: data[..keep].to_vec(),
                wire_len: len,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reader as AnyReader;

    fn lab_file() -> Vec<u8> {
        let mut w = Writer::default();
        let mut out = Vec::new();
        w.section_header(&mut out, "tsunagi");
        let a = w.interface(&mut out, 1, 262_144, "ns1-veth0");
        let b = w.interface(&mut out, 1, 262_144, "lo");
        w.packet(
            &mut out,
            a,
            1_700_000_000_123_456_789,
            &[1, 2, 3],
            3,
            Direction::Outbound,
        );
        w.packet(
            &mut out,
            b,
            1_700_000_001_000_000_001,
            &[4; 42],
            42,
            Direction::Inbound,
        );
        out
    }

    #[test]
    fn writes_what_an_independent_reader_reads() {
        use pcap_file::pcapng::{Block, PcapNgReader};
        let bytes = lab_file();
        let mut r = PcapNgReader::new(&bytes[..]).unwrap();
        let mut names = Vec::new();
        let mut packets = Vec::new();
        while let Some(b) = r.next_block() {
            match b.unwrap() {
                Block::InterfaceDescription(i) => {
                    for o in &i.options {
                        if let pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption::IfName(n) = o {
                            names.push(n.to_string());
                        }
                    }
                }
                // pcap-file reads the timestamp as nanoseconds, which is what was written.
                Block::EnhancedPacket(p) => packets.push((
                    p.interface_id,
                    p.timestamp.as_nanos(),
                    p.data.to_vec(),
                    p.original_len,
                )),
                _ => {}
            }
        }
        assert_eq!(names, ["ns1-veth0", "lo"]);
        assert_eq!(packets[0], (0, 1_700_000_000_123_456_789, vec![1, 2, 3], 3));
        assert_eq!(packets[1].0, 1);
        assert_eq!(packets[1].3, 42);
    }

    #[test]
    fn reads_back_with_each_interfaces_resolution() {
        let bytes = lab_file();
        let mut r = AnyReader::new(&bytes).unwrap();
        assert_eq!((r.linktype(), r.snaplen()), (1, 262_144));
        let a = r.next_record().unwrap().unwrap();
        assert_eq!(
            (a.ts_sec, a.ts_nsec, a.data, a.wire_len),
            (1_700_000_000, 123_456_789, vec![1, 2, 3], 3)
        );
        let b = r.next_record().unwrap().unwrap();
        assert_eq!((b.ts_sec, b.ts_nsec, b.wire_len), (1_700_000_001, 1, 42));
        assert!(r.next_record().is_none());
    }

    #[test]
    fn microsecond_interfaces_by_default() {
        let mut out = Vec::new();
        let mut w = Writer::default();
        w.section_header(&mut out, "x");
        // An interface without if_tsresol: microseconds.
        let mut b = Vec::new();
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        block(&mut out, BT_IDB, &b);
        w.packet(&mut out, 0, 1_500_000, &[9], 1, Direction::Inbound);
        let mut r = AnyReader::new(&out).unwrap();
        let a = r.next_record().unwrap().unwrap();
        assert_eq!((a.ts_sec, a.ts_nsec), (1, 500_000_000));
    }

    #[test]
    fn damaged_files_get_libpcaps_messages() {
        let msg = |b: &[u8]| match AnyReader::new(b) {
            Err(e) => e,
            Ok(mut r) => loop {
                match r.next_record() {
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => break e,
                    None => break "no error".to_string(),
                }
            },
        };
        let f = lab_file();
        // Only the section header.
        let shb_len = u32::from_le_bytes([f[4], f[5], f[6], f[7]]) as usize;
        assert_eq!(
            msg(&f[..shb_len]),
            "the capture file has no Interface Description Blocks"
        );
        let mut g = f.clone();
        let last = g.len() - 1;
        g[last] ^= 1;
        assert_eq!(
            msg(&g),
            "block total length in header and trailer don't match"
        );
        assert_eq!(
            msg(&f[..f.len() - 10]),
            "truncated pcapng dump file; tried to read 80 bytes, only got 70"
        );
    }
}

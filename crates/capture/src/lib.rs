//! Capture files: the classic pcap format tcpdump writes with `-w`, and pcapng, which Wireshark
//! writes and tsunagi uses to record a whole lab (`tsunagi run --capture DIR`).
//!
//! Reading follows libpcap 1.10: the same checks in the same order and the same messages, so
//! `tcpdump -r` on a damaged file says what real tcpdump says. pcap files may be of either byte
//! order with micro- or nanosecond timestamps; pcapng files may hold several sections and
//! interfaces with their own timestamp resolutions (all interfaces must share one link type, as
//! libpcap requires).
//!
//! Written by hand rather than with a general pcap crate: the point is libpcap's exact
//! behaviour on bad input, and per-interface timestamp resolution, which the crates on hand do
//! not follow. Tests check the writers against an independent reader (the `pcap-file` crate).
//!
//! References: pcap-savefile(5), draft-ietf-opsawg-pcapng, libpcap's sf-pcap.c and
//! sf-pcapng.c.

pub mod pcap;
pub mod pcapng;

/// `LINKTYPE_ETHERNET`.
pub const LINKTYPE_ETHERNET: u32 = 1;
/// `LINKTYPE_RAW`: raw IPv4/IPv6.
pub const LINKTYPE_RAW: u32 = 101;
/// `LINKTYPE_LINUX_SLL`: Linux cooked capture v1.
pub const LINKTYPE_LINUX_SLL: u32 = 113;
/// `LINKTYPE_LINUX_SLL2`: Linux cooked capture v2 (`tcpdump -i any`).
pub const LINKTYPE_LINUX_SLL2: u32 = 276;

/// One packet read from a file. Timestamps are in nanoseconds since the epoch whatever the
/// file's resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub ts_sec: i64,
    pub ts_nsec: u32,
    pub data: Vec<u8>,
    /// The length on the wire.
    pub wire_len: u32,
}

/// A capture file opened for reading, pcap or pcapng.
pub enum Reader<'a> {
    Pcap(pcap::Reader<'a>),
    Pcapng(pcapng::Reader<'a>),
}

impl<'a> Reader<'a> {
    /// Opens the bytes of a capture file as `pcap_open_offline` does; the error is libpcap's
    /// message.
    pub fn new(bytes: &'a [u8]) -> Result<Reader<'a>, String> {
        if bytes.len() < 4 {
            return Err(format!(
                "truncated dump file; tried to read 4 file header bytes, only got {}",
                bytes.len()
            ));
        }
        if let Some(r) = pcap::Reader::new(bytes)? {
            return Ok(Reader::Pcap(r));
        }
        if let Some(r) = pcapng::Reader::new(bytes)? {
            return Ok(Reader::Pcapng(r));
        }
        Err("unknown file format".to_string())
    }

    /// The link type (`LINKTYPE_*`).
    pub fn linktype(&self) -> u32 {
        match self {
            Reader::Pcap(r) => r.linktype(),
            Reader::Pcapng(r) => r.linktype(),
        }
    }

    /// The snapshot length, as libpcap adjusts it.
    pub fn snaplen(&self) -> u32 {
        match self {
            Reader::Pcap(r) => r.snaplen(),
            Reader::Pcapng(r) => r.snaplen(),
        }
    }

    /// The next packet, `None` at the end, or libpcap's message for a damaged file.
    pub fn next_record(&mut self) -> Option<Result<Record, String>> {
        match self {
            Reader::Pcap(r) => r.next_record(),
            Reader::Pcapng(r) => r.next_record(),
        }
    }
}

/// The largest capture length libpcap accepts for a link type (`max_snaplen_for_dlt`).
pub(crate) fn max_snaplen(linktype: u32) -> u32 {
    match linktype {
        // DLT_DBUS and DLT_EBHSCR/USBPCAP have bigger limits; none of them occurs here.
        231 => 128 * 1024 * 1024,
        _ => 262_144,
    }
}

/// `pcap_adjust_snapshot`: a snapshot length of 0 or beyond the maximum means the maximum.
pub(crate) fn adjust_snaplen(linktype: u32, snaplen: u32) -> u32 {
    let max = max_snaplen(linktype);
    if snaplen == 0 || snaplen > max {
        max
    } else {
        snaplen
    }
}

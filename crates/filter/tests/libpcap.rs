//! Every filter of tests/corpus/filters.txt against every frame of tests/corpus/frames.pcap,
//! compared with what real tcpdump 4.99.3 (libpcap 1.10.3) accepted or refused
//! (tests/corpus/expected.txt, written by tests/corpus/record).

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use tsunagi_filter::{compile, Frame, LinkType, Options};

/// (captured bytes, wire length) of each record of a classic little-endian pcap file.
fn read_pcap(bytes: &[u8]) -> Vec<(Vec<u8>, u32)> {
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    assert_eq!(u32_at(0), 0xa1b2_c3d4, "a little-endian microsecond pcap");
    let mut frames = Vec::new();
    let mut at = 24;
    while at < bytes.len() {
        let (caplen, wire) = (u32_at(at + 8) as usize, u32_at(at + 12));
        frames.push((bytes[at + 16..at + 16 + caplen].to_vec(), wire));
        at += 16 + caplen;
    }
    frames
}

/// The machine's /etc/hosts as tcpdump saw it when recording.
fn resolve(name: &str) -> Vec<IpAddr> {
    match name {
        "localhost" => vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        _ => Vec::new(),
    }
}

#[test]
fn filters_accept_what_libpcap_accepts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let frames = read_pcap(&std::fs::read(dir.join("frames.pcap")).expect("frames.pcap"));
    let expected = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let opts = Options {
        linktype: LinkType::Ethernet,
        netmask: 0,
        offline: true,
        resolve_host: &resolve,
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in expected.lines() {
        let (filter, want) = line.split_once('\t').expect("filter<TAB>result");
        let got = match compile(filter, &opts) {
            Err(e) => format!("error: {e}"),
            Ok(f) => frames
                .iter()
                .enumerate()
                .filter(|(_, (data, wire))| {
                    f.matches(&Frame {
                        data,
                        wire_len: *wire,
                        direction: None,
                    })
                })
                .map(|(i, _)| i.to_string())
                .collect::<Vec<_>>()
                .join(" "),
        };
        checked += 1;
        if got != want {
            failures.push(format!("{filter:?}\n   libpcap: {want}\n   tsunagi: {got}"));
        }
    }
    assert!(checked > 200, "only {checked} filters");
    assert!(
        failures.is_empty(),
        "{} of {checked} filters differ from libpcap:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

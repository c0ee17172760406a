//! The printer as the tcpdump program uses it: time zones, precision, link types, and
//! packets tcpdump refuses. Expected lines are what tcpdump 4.99.3 printed for the same
//! bytes (noted where recorded with a zone other than UTC).

use tsunagi_netdissect::{Hex, LinkType, NoNames, Options, Packet, Printer, TsFormat};

/// An echo request 10.0.0.1 > 10.0.0.2, id 3, seq 1, as raw IP (tests/corpus/raw.pcap).
fn echo() -> Vec<u8> {
    let mut p = vec![
        0x45, 0, 0, 84, 0x12, 0x34, 0x40, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 8, 0, 0, 0, 0,
        3, 0, 1,
    ];
    p.extend(0x10u8..0x48);
    let sum = |b: &[u8]| {
        let mut s: u32 = b
            .chunks(2)
            .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
            .sum();
        while s >> 16 != 0 {
            s = (s & 0xffff) + (s >> 16);
        }
        !(s as u16)
    };
    let ip = sum(&p[..20]).to_be_bytes();
    p[10..12].copy_from_slice(&ip);
    let icmp = sum(&p[20..]).to_be_bytes();
    p[22..24].copy_from_slice(&icmp);
    p
}

fn print(link: LinkType, opts: Options, sec: i64, nsec: u32, data: &[u8], wire: u32) -> String {
    let mut out = String::new();
    Printer::new(link, opts).print(
        &Packet {
            ts_sec: sec,
            ts_nsec: nsec,
            caplen_data: data,
            wire_len: wire,
        },
        &NoNames,
        &mut out,
    );
    out
}

#[test]
fn local_time_follows_the_offset() {
    // TZ=Asia/Tokyo tcpdump -r raw.pcap -n -tttt
    let opts = Options {
        numeric: 1,
        ts: TsFormat::Date,
        utc_offset_secs: 9 * 3600,
        ..Options::default()
    };
    let data = echo();
    assert_eq!(
        print(LinkType::Raw, opts, 1_700_000_000, 250_013_000, &data, 84),
        "2023-11-15 07:13:20.250013 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 3, seq 1, length 64\n"
    );
}

#[test]
fn nano_precision_prints_nine_digits() {
    let opts = Options {
        numeric: 1,
        ts: TsFormat::Epoch,
        nano: true,
        ..Options::default()
    };
    let out = print(LinkType::Raw, opts, 1_700_000_000, 123_456_789, &echo(), 84);
    assert!(out.starts_with("1700000000.123456789 IP "), "{out}");
}

#[test]
fn deltas_run_from_the_previous_packet() {
    let opts = Options {
        numeric: 1,
        ts: TsFormat::Delta,
        ..Options::default()
    };
    let mut printer = Printer::new(LinkType::Raw, opts);
    let data = echo();
    let mut out = String::new();
    for (sec, nsec) in [(100, 0), (101, 500_000_000), (101, 0)] {
        printer.print(
            &Packet {
                ts_sec: sec,
                ts_nsec: nsec,
                caplen_data: &data,
                wire_len: 84,
            },
            &NoNames,
            &mut out,
        );
    }
    let stamps: Vec<&str> = out.lines().map(|l| &l[..16]).collect();
    assert_eq!(
        stamps,
        [" 00:00:00.000000", " 00:00:01.500000", "-00:00:00.500000"]
    );
}

#[test]
fn packets_tcpdump_refuses_have_no_time_stamp() {
    let out = print(LinkType::Ethernet, Options::default(), 1, 0, &[], 0);
    assert_eq!(out, "[Invalid header: caplen==0, len==0]\n");
    let out = print(LinkType::Ethernet, Options::default(), 1, 0, &[1, 2, 3], 2);
    assert_eq!(out, "[Invalid header: len(2) < caplen(3)]\n");
}

#[test]
fn link_type_codes_are_pcaps() {
    for link in [
        LinkType::Ethernet,
        LinkType::LinuxSll2,
        LinkType::LinuxSll,
        LinkType::Raw,
        LinkType::Null,
    ] {
        assert_eq!(LinkType::from_code(link.code()), Some(link));
    }
    assert_eq!(LinkType::Ethernet.code(), 1);
    assert_eq!(LinkType::LinuxSll2.code(), 276);
}

#[test]
fn any_bytes_print_one_line_at_least() {
    // Every prefix of a frame, under every link type and dump: no panic, a final newline.
    let mut frame = vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00];
    frame.extend(echo());
    for link in [
        LinkType::Ethernet,
        LinkType::LinuxSll2,
        LinkType::LinuxSll,
        LinkType::Raw,
        LinkType::Null,
    ] {
        for hex in [Hex::None, Hex::XX, Hex::HexAscii, Hex::AsciiLink] {
            for cut in 1..frame.len() {
                let opts = Options {
                    verbose: 3,
                    ether: true,
                    hex,
                    ..Options::default()
                };
                let out = print(link, opts, 1, 0, &frame[..cut], frame.len() as u32);
                assert!(out.ends_with('\n'));
            }
        }
    }
}

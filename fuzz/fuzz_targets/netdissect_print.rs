//! tcpdump's printers: any bytes, under every link type and a few option sets, print
//! something and never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagi_netdissect::{Hex, LinkType, NoNames, Options, Packet, Printer, TsFormat};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, frame)) = data.split_first() else {
        return;
    };
    let option_sets = [
        Options::default(),
        Options {
            numeric: 1,
            ether: true,
            verbose: 3,
            hex: Hex::HexAsciiLink,
            ts: TsFormat::Delta,
            ..Options::default()
        },
        Options {
            numeric: 2,
            verbose: 1,
            quiet: true,
            hex: Hex::Ascii,
            absolute_tcp_seq: true,
            ..Options::default()
        },
    ];
    let opts = option_sets[usize::from(sel) % option_sets.len()].clone();
    // Some of the frame may be "not captured": the wire length can exceed what is here.
    let wire = frame.len() as u32 + u32::from(sel >> 4);
    for link in [
        LinkType::Ethernet,
        LinkType::LinuxSll2,
        LinkType::LinuxSll,
        LinkType::Raw,
        LinkType::Null,
    ] {
        let mut printer = Printer::new(link, opts.clone());
        let mut out = String::new();
        for _ in 0..2 {
            printer.print(
                &Packet {
                    ts_sec: 1_700_000_000,
                    ts_nsec: 5,
                    caplen_data: frame,
                    wire_len: wire,
                },
                &NoNames,
                &mut out,
            );
        }
        assert!(out.ends_with('\n'));
    }
});

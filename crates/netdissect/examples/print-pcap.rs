//! Prints a classic pcap file as `tcpdump -r FILE OPTIONS` would (stdout only), for comparing
//! the printers with real tcpdump on any capture:
//!
//!     cargo run -p tsunagi-netdissect --example print-pcap -- FILE [-n] [-e] [-v...] [-x...]
//!
//! Options: -n -e -v -q -t -x -X -A -S (repeatable as tcpdump's) and --nano; times are UTC.

use tsunagi_netdissect::{Hex, LinkType, NoNames, Options, Packet, Printer, TsFormat};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: print-pcap FILE [tcpdump options]");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("print-pcap: {path}: {e}");
            std::process::exit(1);
        }
    };
    let mut o = Options::default();
    let (mut t, mut x, mut xx, mut a) = (0, 0, 0, 0);
    for arg in &args[1..] {
        if arg == "--nano" {
            o.nano = true;
            continue;
        }
        for c in arg.trim_start_matches('-').chars() {
            match c {
                'n' => o.numeric += 1,
                'e' => o.ether = true,
                'v' => o.verbose += 1,
                'q' => o.quiet = true,
                't' => t += 1,
                'x' => x += 1,
                'X' => xx += 1,
                'A' => a += 1,
                'S' => o.absolute_tcp_seq = true,
                _ => {}
            }
        }
    }
    o.ts = [
        TsFormat::Default,
        TsFormat::None,
        TsFormat::Epoch,
        TsFormat::Delta,
        TsFormat::Date,
        TsFormat::SinceFirst,
    ][t.min(5)];
    o.hex = match (xx, x, a) {
        (1, _, _) => Hex::HexAscii,
        (2.., _, _) => Hex::HexAsciiLink,
        (0, 1, _) => Hex::X,
        (0, 2.., _) => Hex::XX,
        (0, 0, 1) => Hex::Ascii,
        (0, 0, 2..) => Hex::AsciiLink,
        _ => Hex::None,
    };
    if bytes.len() < 24 {
        eprintln!("print-pcap: not a pcap file");
        std::process::exit(1);
    }
    let magic = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let (le, nano) = match magic {
        0xa1b2_c3d4 => (true, false),
        0xa1b2_3c4d => (true, true),
        0xd4c3_b2a1 => (false, false),
        0x4d3c_b2a1 => (false, true),
        _ => {
            eprintln!("print-pcap: not a classic pcap file");
            std::process::exit(1);
        }
    };
    let u32_at = |at: usize| {
        let b = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    };
    let Some(link) = LinkType::from_code(u32_at(20) & 0x03ff_ffff) else {
        eprintln!("print-pcap: link type {} is not printed", u32_at(20));
        std::process::exit(1);
    };
    let mut printer = Printer::new(link, o);
    let mut out = String::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let caplen = u32_at(at + 8) as usize;
        let end = (at + 16 + caplen).min(bytes.len());
        let frac = u32_at(at + 4);
        printer.print(
            &Packet {
                ts_sec: i64::from(u32_at(at)),
                ts_nsec: if nano {
                    frac
                } else {
                    frac.saturating_mul(1000)
                },
                caplen_data: &bytes[at + 16..end],
                wire_len: u32_at(at + 12),
            },
            &NoNames,
            &mut out,
        );
        at = end;
    }
    print!("{out}");
}

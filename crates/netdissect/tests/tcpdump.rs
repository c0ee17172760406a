//! Every pcap of tests/corpus printed with every option set of tests/corpus/options.txt,
//! compared with what real tcpdump 4.99.3 printed (tests/corpus/NAME.expected, written by
//! tests/corpus/record).
//!
//! tests/corpus/PENDING lists the runs (`NAME<TAB>OPTIONS`) known to differ still, with the
//! reason; a pending run that starts to match fails the test until it is taken off the list.
//!
//! `NETDISSECT_ONLY=substr` limits the run to the pcap names or option sets containing it;
//! `NETDISSECT_OUT=dir` writes both outputs of each run there (NAME-OPTS.got / .want).

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use tsunagi_netdissect::{Hex, LinkType, Names, Options, Packet, Printer, TsFormat};

struct Frame {
    sec: i64,
    usec: u32,
    data: Vec<u8>,
    wire: u32,
}

/// The link type and records of a classic little-endian microsecond pcap file.
fn read_pcap(bytes: &[u8]) -> (u32, Vec<Frame>) {
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    assert_eq!(u32_at(0), 0xa1b2_c3d4, "a little-endian microsecond pcap");
    let mut frames = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let caplen = u32_at(at + 8) as usize;
        frames.push(Frame {
            sec: i64::from(u32_at(at)),
            usec: u32_at(at + 4),
            data: bytes[at + 16..at + 16 + caplen].to_vec(),
            wire: u32_at(at + 12),
        });
        at += 16 + caplen;
    }
    (u32_at(20), frames)
}

/// What the recording machine told tcpdump: its /etc/hosts, and a network namespace whose
/// only interface is lo.
struct RecordingHost;
impl Names for RecordingHost {
    fn host(&self, addr: IpAddr) -> Option<String> {
        (addr == IpAddr::V4(Ipv4Addr::LOCALHOST)).then(|| "localhost".to_string())
    }
    fn ifname(&self, ifindex: u32) -> Option<String> {
        (ifindex == 1).then(|| "lo".to_string())
    }
}

/// The options of a tcpdump command line of options.txt.
fn parse_options(line: &str) -> Options {
    let mut o = Options::default();
    let (mut t, mut x, mut xx, mut a) = (0, 0, 0, 0);
    for arg in line.split_whitespace() {
        if arg == "--nano" {
            o.nano = true;
            continue;
        }
        let flags = arg.strip_prefix('-').expect("an option");
        for c in flags.chars() {
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
                _ => panic!("option {c} in {line:?}"),
            }
        }
    }
    o.ts = match t {
        0 => TsFormat::Default,
        1 => TsFormat::None,
        2 => TsFormat::Epoch,
        3 => TsFormat::Delta,
        4 => TsFormat::Date,
        _ => TsFormat::SinceFirst,
    };
    o.hex = match (xx, x, a) {
        (1, _, _) => Hex::HexAscii,
        (2.., _, _) => Hex::HexAsciiLink,
        (0, 1, _) => Hex::X,
        (0, 2.., _) => Hex::XX,
        (0, 0, 1) => Hex::Ascii,
        (0, 0, 2..) => Hex::AsciiLink,
        _ => Hex::None,
    };
    o
}

/// Prints `frames` as tcpdump would with `opts`; returns the output and, for each output
/// line, the number of the frame that printed it.
fn print_all(link: LinkType, opts: Options, frames: &[Frame]) -> (String, Vec<usize>) {
    let mut printer = Printer::new(link, opts);
    let mut out = String::new();
    let mut owner = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let before = out.len();
        printer.print(
            &Packet {
                ts_sec: f.sec,
                ts_nsec: f.usec * 1000,
                caplen_data: &f.data,
                wire_len: f.wire,
            },
            &RecordingHost,
            &mut out,
        );
        owner.extend(std::iter::repeat_n(i, out[before..].matches('\n').count()));
    }
    (out, owner)
}

#[test]
fn printers_print_what_tcpdump_prints() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let only = std::env::var("NETDISSECT_ONLY").ok();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| {
            let p = e.ok()?.path();
            if p.extension()? != "pcap" {
                return None;
            }
            Some(p.file_stem()?.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    let pending_text = std::fs::read_to_string(dir.join("PENDING")).unwrap_or_default();
    let pending: Vec<(&str, &str)> = pending_text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next()?))
        })
        .collect();
    let mut failures = Vec::new();
    let (mut checked, mut failed) = (0, 0);
    for name in &names {
        let (linktype, frames) =
            read_pcap(&std::fs::read(dir.join(format!("{name}.pcap"))).expect("pcap"));
        let link = LinkType::from_code(linktype).expect("a known link type");
        let expected =
            std::fs::read_to_string(dir.join(format!("{name}.expected"))).expect("expected");
        for section in expected.split("### ").skip(1) {
            let (opts, want) = section.split_once('\n').expect("options line");
            if let Some(only) = &only {
                if !name.contains(only.as_str()) && !opts.contains(only.as_str()) {
                    continue;
                }
            }
            checked += 1;
            let (got, owner) = print_all(link, parse_options(opts), &frames);
            if let Ok(out) = std::env::var("NETDISSECT_OUT") {
                let base = format!("{out}/{name}{}", opts.replace(' ', ""));
                let _ = std::fs::create_dir_all(&out);
                let _ = std::fs::write(format!("{base}.got"), &got);
                let _ = std::fs::write(format!("{base}.want"), want);
            }
            let is_pending = pending.contains(&(name.as_str(), opts));
            if got != want {
                if let Ok(out) = std::env::var("NETDISSECT_OUT") {
                    use std::io::Write as _;
                    if let Ok(mut f) = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(format!("{out}/differing"))
                    {
                        let _ = writeln!(f, "{name}\t{opts}");
                    }
                }
            }
            if got == want {
                if is_pending {
                    failed += 1;
                    failures.push(format!(
                        "{name}.pcap with `{opts}` matches tcpdump now: take it off tests/corpus/PENDING\n"
                    ));
                }
                continue;
            }
            if is_pending {
                continue;
            }
            failed += 1;
            let (g, w): (Vec<_>, Vec<_>) = (got.lines().collect(), want.lines().collect());
            let at = g
                .iter()
                .zip(&w)
                .position(|(a, b)| a != b)
                .unwrap_or(g.len().min(w.len()));
            let frame = owner.get(at).copied().unwrap_or(frames.len());
            let mut msg = format!(
                "{name}.pcap with `{opts}`: frame {frame}, line {}\n",
                at + 1
            );
            for l in w.iter().skip(at).take(3) {
                msg.push_str(&format!("   tcpdump: {l}\n"));
            }
            for l in g.iter().skip(at).take(3) {
                msg.push_str(&format!("   tsunagi: {l}\n"));
            }
            let differing =
                g.iter().zip(&w).filter(|(a, b)| a != b).count() + g.len().abs_diff(w.len());
            msg.push_str(&format!("   ({differing} lines differ)\n"));
            failures.push(msg);
        }
    }
    assert!(checked > 0, "nothing checked");
    assert!(
        failures.is_empty(),
        "{failed} of {checked} runs differ from tcpdump:\n{}",
        failures.join("\n")
    );
}

//! tcpdump's command line: GNU getopt_long over tcpdump 4.99.3's option string and long
//! options, with its checks and messages (tcpdump.c `main`). GNU getopt permutes, so options
//! may follow the filter expression; the operands left are the expression, joined by spaces.

use crate::cnum::strtol;
use crate::getopt::{getopt_long, HasArg, Item, LongOpt};

/// tcpdump's option string as Debian builds it (`SHORTOPTS`).
const OPTSTRING: &str = "aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#";

/// Codes of the long options that have no short letter (tcpdump's `OPTION_*`).
const OPT_MICRO: char = '\u{80}';
const OPT_NANO: char = '\u{81}';
const OPT_PRECISION: char = '\u{82}';
const OPT_IMMEDIATE: char = '\u{83}';
const OPT_COUNT: char = '\u{84}';
const OPT_FP_TYPE: char = '\u{85}';
const OPT_PRINT: char = '\u{86}';
const OPT_VERSION: char = '\u{87}';

const fn long(name: &'static str, has_arg: HasArg, val: char) -> LongOpt {
    LongOpt { name, has_arg, val }
}

/// tcpdump's long options (`longopts`).
const LONGOPTS: &[LongOpt] = &[
    long("buffer-size", HasArg::Required, 'B'),
    long("list-interfaces", HasArg::No, 'D'),
    long("help", HasArg::No, 'h'),
    long("interface", HasArg::Required, 'i'),
    long("monitor-mode", HasArg::No, 'I'),
    long("time-stamp-type", HasArg::Required, 'j'),
    long("list-time-stamp-types", HasArg::No, 'J'),
    long("micro", HasArg::No, OPT_MICRO),
    long("nano", HasArg::No, OPT_NANO),
    long("time-stamp-precision", HasArg::Required, OPT_PRECISION),
    long("dont-verify-checksums", HasArg::No, 'K'),
    long("list-data-link-types", HasArg::No, 'L'),
    long("no-optimize", HasArg::No, 'O'),
    long("no-promiscuous-mode", HasArg::No, 'p'),
    long("direction", HasArg::Required, 'Q'),
    long("snapshot-length", HasArg::Required, 's'),
    long("absolute-tcp-sequence-numbers", HasArg::No, 'S'),
    long("packet-buffered", HasArg::No, 'U'),
    long("linktype", HasArg::Required, 'y'),
    long("immediate-mode", HasArg::No, OPT_IMMEDIATE),
    long("debug-filter-parser", HasArg::No, 'Y'),
    long("relinquish-privileges", HasArg::Required, 'Z'),
    long("count", HasArg::No, OPT_COUNT),
    long("fp-type", HasArg::No, OPT_FP_TYPE),
    long("number", HasArg::No, '#'),
    long("print", HasArg::No, OPT_PRINT),
    long("version", HasArg::No, OPT_VERSION),
];

/// The largest snapshot length (`MAXIMUM_SNAPLEN`).
pub const MAXIMUM_SNAPLEN: u32 = 262_144;

/// Which way of the traffic to capture (`-Q`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    InOut,
}

/// What the command line asks for.
#[derive(Clone, Debug)]
pub struct Opts {
    pub ascii: u8,
    pub count: Option<u32>,
    pub count_mode: bool,
    pub list_devices: bool,
    pub ether: u8,
    pub interface: Option<String>,
    pub line_buffered: bool,
    pub numeric: u8,
    pub no_promisc: bool,
    pub quiet: bool,
    pub direction: Option<Direction>,
    pub read: Option<String>,
    pub snaplen: u32,
    pub absolute_seq: bool,
    pub t: u8,
    pub packet_buffered: bool,
    pub verbose: u8,
    pub write: Option<String>,
    pub x: u8,
    pub xx: u8,
    pub nano: bool,
    pub immediate: bool,
    pub print: bool,
    pub number: bool,
    pub buffer_kib: Option<u32>,
    pub dump_filter: u8,
    pub list_dlts: bool,
    pub linktype: Option<String>,
    pub filter_file: Option<String>,
    /// The operands: the filter expression.
    pub expression: Vec<String>,
}

impl Default for Opts {
    fn default() -> Opts {
        Opts {
            ascii: 0,
            count: None,
            count_mode: false,
            list_devices: false,
            ether: 0,
            interface: None,
            line_buffered: false,
            numeric: 0,
            no_promisc: false,
            quiet: false,
            direction: None,
            read: None,
            snaplen: MAXIMUM_SNAPLEN,
            absolute_seq: false,
            t: 0,
            packet_buffered: false,
            verbose: 0,
            write: None,
            x: 0,
            xx: 0,
            nano: false,
            immediate: false,
            print: false,
            number: false,
            buffer_kib: None,
            dump_filter: 0,
            list_dlts: false,
            linktype: None,
            filter_file: None,
            expression: Vec::new(),
        }
    }
}

/// How parsing ended early.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    /// `error(...)`: `tcpdump: MSG` on stderr, status 1.
    Error(String),
    /// A bad option: getopt's message, then the usage on stderr, status 1.
    Usage(String),
    /// `-h`: the usage on stdout, status 0.
    Help,
    /// `--version`: the version on stdout, status 0.
    Version,
}

/// `tcpdump version ...` and the libraries, as `print_version` writes them.
pub const VERSION: &str = "tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n";

/// `print_usage`.
pub fn usage() -> String {
    format!(
        "{VERSION}Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n\
         \t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n\
         \t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n\
         \t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n\
         \t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n\
         \t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n\
         \t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n\
         \t\t[ -z postrotate-command ] [ -Z user ] [ expression ]\n"
    )
}

/// C's `atoi`: leading blanks, a sign, digits; anything else ends it.
fn atoi(s: &str) -> i64 {
    strtol(s, 10).value.clamp(i32::MIN as i64, i32::MAX as i64)
}

/// Parses `argv` (with `argv[0]`). Options act in order, so the first bad one decides.
pub fn parse(argv: &[String]) -> Result<Opts, Exit> {
    let mut o = Opts::default();
    let args = argv.get(1..).unwrap_or(&[]);
    let (items, operands) = getopt_long("tcpdump", args, OPTSTRING, LONGOPTS, false);
    for item in items {
        let (c, arg) = match item {
            Item::Error(m) => return Err(Exit::Usage(m)),
            Item::Opt(c, arg) => (c, arg.unwrap_or_default()),
        };
        match c {
            OPT_MICRO => o.nano = false,
            OPT_NANO => o.nano = true,
            OPT_PRECISION => match arg.as_str() {
                "micro" => o.nano = false,
                "nano" => o.nano = true,
                _ => return Err(Exit::Error("unsupported time stamp precision".into())),
            },
            OPT_IMMEDIATE => o.immediate = true,
            OPT_COUNT => o.count_mode = true,
            OPT_FP_TYPE => {}
            OPT_PRINT => o.print = true,
            OPT_VERSION => return Err(Exit::Version),
            c => apply(&mut o, c, &arg)?,
        }
    }
    if o.t > 5 {
        return Err(Exit::Error(
            "only -t, -tt, -ttt, -tttt and -ttttt are supported".into(),
        ));
    }
    o.expression = operands;
    Ok(o)
}

fn apply(o: &mut Opts, c: char, arg: &str) -> Result<(), Exit> {
    let err = |m: String| Err(Exit::Error(m));
    match c {
        'a' | 'b' | 'f' | 'H' | 'I' | 'K' | 'N' | 'O' | 'u' | 'Y' => {}
        'A' => o.ascii += 1,
        'B' => {
            let v = atoi(arg);
            if v <= 0 {
                return err(format!("invalid packet buffer size {arg}"));
            }
            o.buffer_kib = Some(v as u32);
        }
        'c' => {
            let v = atoi(arg);
            if v <= 0 {
                return err(format!("invalid packet count {arg}"));
            }
            o.count = Some(v as u32);
        }
        'd' => o.dump_filter += 1,
        'D' => o.list_devices = true,
        'e' => o.ether += 1,
        'F' => o.filter_file = Some(arg.to_string()),
        'h' => return Err(Exit::Help),
        'i' => o.interface = Some(arg.to_string()),
        'l' => o.line_buffered = true,
        'L' => o.list_dlts = true,
        'n' => o.numeric += 1,
        'p' => o.no_promisc = true,
        'q' => o.quiet = true,
        'Q' => {
            o.direction = Some(match arg.to_ascii_lowercase().as_str() {
                "in" => Direction::In,
                "out" => Direction::Out,
                "inout" => Direction::InOut,
                _ => return err(format!("unknown capture direction `{arg}'")),
            })
        }
        'r' => o.read = Some(arg.to_string()),
        's' => {
            let p = strtol(arg, 0);
            if arg.is_empty()
                || p.end != arg.len()
                || p.value < 0
                || p.value > MAXIMUM_SNAPLEN as i64
            {
                return err(format!(
                    "invalid snaplen {arg} (must be >= 0 and <= {MAXIMUM_SNAPLEN})"
                ));
            }
            // 0 means the maximum.
            o.snaplen = if p.value == 0 {
                MAXIMUM_SNAPLEN
            } else {
                p.value as u32
            };
        }
        'S' => o.absolute_seq = true,
        't' => o.t += 1,
        'U' => o.packet_buffered = true,
        'v' => o.verbose += 1,
        'w' => o.write = Some(arg.to_string()),
        'x' => o.x += 1,
        'X' => o.xx += 1,
        'y' => o.linktype = Some(arg.to_string()),
        '#' => o.number = true,
        'j' if !matches!(
            arg.to_ascii_lowercase().as_str(),
            "host"
                | "host_lowprec"
                | "host_hiprec"
                | "adapter"
                | "adapter_unsynced"
                | "host_hiprec_unsynced"
        ) =>
        {
            return err(format!("invalid time stamp type {arg}"));
        }
        // Options tsunagi accepts but whose effect (file rotation, privileges, crypto
        // secrets, packet types) does not arise in a lab.
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Opts, Exit> {
        let mut v = vec!["tcpdump".to_string()];
        v.extend(args.iter().map(|s| s.to_string()));
        parse(&v)
    }

    #[test]
    fn clusters_and_permutes_like_gnu_getopt() {
        let o = p(&["-tnel", "-i", "ns1-veth0", "icmp", "or", "-c2", "arp"]).unwrap();
        assert_eq!((o.t, o.numeric, o.ether, o.line_buffered), (1, 1, 1, true));
        assert_eq!(o.interface.as_deref(), Some("ns1-veth0"));
        assert_eq!(o.count, Some(2));
        assert_eq!(o.expression, ["icmp", "or", "arp"]);
    }

    #[test]
    fn long_options_by_prefix() {
        let o = p(&["--nan", "--interf=any", "--print"]).unwrap();
        assert!(o.nano && o.print);
        assert_eq!(o.interface.as_deref(), Some("any"));
        assert_eq!(
            p(&["--bogus"]).unwrap_err(),
            Exit::Usage("tcpdump: unrecognized option '--bogus'\n".into())
        );
    }

    #[test]
    fn tcpdumps_messages() {
        assert_eq!(
            p(&["-c", "x"]).unwrap_err(),
            Exit::Error("invalid packet count x".into())
        );
        assert_eq!(
            p(&["-s", "300000"]).unwrap_err(),
            Exit::Error("invalid snaplen 300000 (must be >= 0 and <= 262144)".into())
        );
        assert_eq!(
            p(&["-Q"]).unwrap_err(),
            Exit::Usage("tcpdump: option requires an argument -- 'Q'\n".into())
        );
        assert_eq!(
            p(&["-k"]).unwrap_err(),
            Exit::Usage("tcpdump: invalid option -- 'k'\n".into())
        );
        assert_eq!(
            p(&["-tttttt"]).unwrap_err(),
            Exit::Error("only -t, -tt, -ttt, -tttt and -ttttt are supported".into())
        );
    }
}

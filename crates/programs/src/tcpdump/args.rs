//! tcpdump's command line: GNU getopt_long over tcpdump 4.99.3's option string and long
//! options, with its checks and messages (tcpdump.c `main`). GNU getopt permutes, so options
//! may follow the filter expression; the operands left are the expression, joined by spaces.

use crate::cnum::strtol;

/// tcpdump's option string as Debian builds it (`SHORTOPTS`).
const OPTSTRING: &str = "aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#";

/// Long options: name, takes an argument, what it stands for.
const LONGOPTS: &[(&str, bool, Long)] = &[
    ("buffer-size", true, Long::Short('B')),
    ("list-interfaces", false, Long::Short('D')),
    ("help", false, Long::Short('h')),
    ("interface", true, Long::Short('i')),
    ("monitor-mode", false, Long::Short('I')),
    ("time-stamp-type", true, Long::Short('j')),
    ("list-time-stamp-types", false, Long::Short('J')),
    ("micro", false, Long::Micro),
    ("nano", false, Long::Nano),
    ("time-stamp-precision", true, Long::Precision),
    ("dont-verify-checksums", false, Long::Short('K')),
    ("list-data-link-types", false, Long::Short('L')),
    ("no-optimize", false, Long::Short('O')),
    ("no-promiscuous-mode", false, Long::Short('p')),
    ("direction", true, Long::Short('Q')),
    ("snapshot-length", true, Long::Short('s')),
    ("absolute-tcp-sequence-numbers", false, Long::Short('S')),
    ("packet-buffered", false, Long::Short('U')),
    ("linktype", true, Long::Short('y')),
    ("immediate-mode", false, Long::Immediate),
    ("debug-filter-parser", false, Long::Short('Y')),
    ("relinquish-privileges", true, Long::Short('Z')),
    ("count", false, Long::Count),
    ("fp-type", false, Long::FpType),
    ("number", false, Long::Short('#')),
    ("print", false, Long::Print),
    ("version", false, Long::Version),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Long {
    Short(char),
    Micro,
    Nano,
    Precision,
    Immediate,
    Count,
    FpType,
    Print,
    Version,
}

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

/// Parses `argv` (with `argv[0]`).
pub fn parse(argv: &[String]) -> Result<Opts, Exit> {
    let mut o = Opts::default();
    let args = argv.get(1..).unwrap_or(&[]);
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            // An exact name wins; otherwise a unique prefix (getopt_long).
            let matches: Vec<_> = LONGOPTS
                .iter()
                .filter(|(n, ..)| n.starts_with(name))
                .collect();
            let found = LONGOPTS
                .iter()
                .find(|(n, ..)| *n == name)
                .or(if matches.len() == 1 {
                    Some(matches[0])
                } else {
                    None
                });
            let Some(&(full, takes, what)) = found else {
                if matches.len() > 1 {
                    let list: Vec<String> =
                        matches.iter().map(|(n, ..)| format!("'--{n}'")).collect();
                    return Err(Exit::Usage(format!(
                        "tcpdump: option '{a}' is ambiguous; possibilities: {}\n",
                        list.join(" ")
                    )));
                }
                return Err(Exit::Usage(format!("tcpdump: unrecognized option '{a}'\n")));
            };
            let arg = if takes {
                match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(Exit::Usage(format!(
                            "tcpdump: option '--{full}' requires an argument\n"
                        )))
                    }
                }
            } else {
                if inline.is_some() {
                    return Err(Exit::Usage(format!(
                        "tcpdump: option '--{full}' doesn't allow an argument\n"
                    )));
                }
                String::new()
            };
            match what {
                Long::Short(c) => apply(&mut o, c, &arg)?,
                Long::Micro => o.nano = false,
                Long::Nano => o.nano = true,
                Long::Precision => match arg.as_str() {
                    "micro" => o.nano = false,
                    "nano" => o.nano = true,
                    _ => return Err(Exit::Error("unsupported time stamp precision".into())),
                },
                Long::Immediate => o.immediate = true,
                Long::Count => o.count_mode = true,
                Long::FpType => {}
                Long::Print => o.print = true,
                Long::Version => return Err(Exit::Version),
            }
            continue;
        }
        if !a.starts_with('-') || a == "-" {
            operands.push(a.clone());
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            k += 1;
            let spec = if c == ':' { None } else { OPTSTRING.find(c) };
            let Some(pos) = spec else {
                return Err(Exit::Usage(format!("tcpdump: invalid option -- '{c}'\n")));
            };
            let takes_arg = OPTSTRING[pos + c.len_utf8()..].starts_with(':');
            let arg = if takes_arg {
                if k < chars.len() {
                    let rest: String = chars[k..].iter().collect();
                    k = chars.len();
                    rest
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(Exit::Usage(format!(
                        "tcpdump: option requires an argument -- '{c}'\n"
                    )));
                }
            } else {
                String::new()
            };
            apply(&mut o, c, &arg)?;
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

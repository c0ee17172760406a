//! ping's command line: GNU getopt(3) over iputils' option string, with iputils' checks and
//! messages (ping/ping.c `main`, iputils_common.c `strtol_or_err`). Options are acted on in
//! the order given, so the first bad one decides the message, and `-V` exits at once.

use std::net::Ipv4Addr;

use crate::cnum::{strtod, strtol, strtoul};
use crate::getopt::{getopt_long, Item};
use crate::netdb::inet_pton;

/// iputils' option string (ping.c).
const OPTSTRING: &str = "h?4bRT:6F:N:aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:";

/// `MAX_DUP_CHK`: the largest preload.
pub const MAX_DUP_CHK: i64 = 0x10000;

pub const USAGE: &str = "
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
";

const VERSION: &str = "ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n";

/// The address family asked for with `-4` / `-6`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Any,
    V4,
    V6,
}

/// Everything the options set (`struct ping_rts` as main() leaves it).
#[derive(Clone, Debug)]
pub struct Opts {
    pub family: Family,
    pub broadcast: bool,
    pub ident: Option<u16>,
    pub rroute: bool,
    pub timestamp: bool,
    pub audible: bool,
    pub adaptive: bool,
    pub strictsource: bool,
    pub npackets: i64,
    pub connect_sk: bool,
    pub ptimeofday: bool,
    pub flood: bool,
    /// Milliseconds (may be negative, as `-i -1` makes it).
    pub interval: i32,
    pub opt_interval: bool,
    pub source: Option<Ipv4Addr>,
    pub device: Option<String>,
    pub preload: i32,
    pub numeric: bool,
    pub outstanding: bool,
    pub pattern: Option<String>,
    pub quiet: bool,
    /// `-M dont`: path MTU discovery off, packets without DF.
    pub pmtudisc_dont: bool,
    pub settos: i32,
    pub datalen: usize,
    pub ttl: Option<i64>,
    pub latency: bool,
    pub verbose: bool,
    /// Seconds.
    pub deadline: i64,
    /// Milliseconds.
    pub lingertime: i32,
    pub targets: Vec<String>,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            family: Family::Any,
            broadcast: false,
            ident: None,
            rroute: false,
            timestamp: false,
            audible: false,
            adaptive: false,
            strictsource: false,
            npackets: 0,
            connect_sk: false,
            ptimeofday: false,
            flood: false,
            interval: 1000,
            opt_interval: false,
            source: None,
            device: None,
            preload: 1,
            numeric: false,
            outstanding: false,
            pattern: None,
            quiet: false,
            pmtudisc_dont: false,
            settos: 0,
            datalen: 56,
            ttl: None,
            latency: false,
            verbose: false,
            deadline: 0,
            lingertime: 10_000,
            targets: Vec::new(),
        }
    }
}

/// How parsing ended early: what to print and the exit status.
#[derive(Debug, PartialEq)]
pub struct Exit {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Exit {
    fn err(code: i32, msg: String) -> Exit {
        Exit {
            stdout: String::new(),
            stderr: format!("ping: {msg}\n"),
            code,
        }
    }

    fn usage(prefix: String) -> Exit {
        Exit {
            stdout: String::new(),
            stderr: format!("{prefix}{USAGE}"),
            code: 2,
        }
    }
}

/// `strtol_or_err`.
fn long_or_err(s: &str, min: i64, max: i64) -> Result<i64, Exit> {
    let p = strtol(s, 10);
    if s.is_empty() || p.end == 0 || p.end != s.len() || p.erange {
        let why = if p.erange {
            ": Numerical result out of range"
        } else {
            ""
        };
        return Err(Exit::err(1, format!("invalid argument: '{s}'{why}")));
    }
    if p.value < min || p.value > max {
        return Err(Exit::err(
            1,
            format!("invalid argument: '{s}': out of range: {min} <= value <= {max}"),
        ));
    }
    Ok(p.value)
}

/// `strtoul_or_err`.
fn ulong_or_err(s: &str, min: u64, max: u64) -> Result<u64, Exit> {
    let p = strtoul(s, 10);
    if s.is_empty() || p.end == 0 || p.end != s.len() || p.erange {
        let why = if p.erange {
            ": Numerical result out of range"
        } else {
            ""
        };
        return Err(Exit::err(1, format!("invalid argument: '{s}'{why}")));
    }
    if p.value < min || p.value > max {
        return Err(Exit::err(
            1,
            format!("invalid argument: '{s}': out of range: {min} <= value <= {max}"),
        ));
    }
    Ok(p.value)
}

/// `ping_strtod`: garbage after the number is only warned about.
fn ping_strtod(s: &str, what: &str, warn: &mut String) -> Result<f64, Exit> {
    if s.is_empty() {
        return Err(Exit::err(2, format!("{what}: {s}")));
    }
    let p = strtod(s);
    if p.erange || p.end == 0 || p.end != s.len() {
        warn.push_str(&format!(
            "ping: option argument contains garbage: {}\nping: this will become fatal error in the future\n",
            &s[p.end..]
        ));
    }
    let v = p.value;
    if v.is_finite() && (v == 0.0 || v.is_normal()) {
        Ok(v)
    } else {
        Err(Exit::err(
            2,
            format!("{what}: {s}: Numerical result out of range"),
        ))
    }
}

/// `parsetos`.
fn parse_tos(s: &str) -> Result<i32, Exit> {
    let (digits, base) = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => (h, 16),
        None => (s, 10),
    };
    let p = strtol(digits, base);
    if p.end != digits.len() {
        return Err(Exit::err(2, format!("bad TOS value: {s}")));
    }
    let tos = p.value as i32;
    if tos > 255 {
        return Err(Exit::err(
            2,
            format!("the decimal value of TOS bits must be in range 0-255: {tos}"),
        ));
    }
    Ok(tos)
}

/// Parses `argv` (with `argv[0]`). `Err` carries what to print and the status for an early
/// exit; warnings that do not stop ping come back in the `String` (stderr text).
pub fn parse(argv: &[String], posix: bool) -> Result<(Opts, String), Exit> {
    let mut o = Opts::default();
    let mut warn = String::new();
    // ping4 / ping6 links pick the family.
    let name = argv.first().map(String::as_str).unwrap_or("ping");
    if name.ends_with('4') {
        o.family = Family::V4;
    } else if name.ends_with('6') {
        o.family = Family::V6;
    }
    let args = argv.get(1..).unwrap_or(&[]);
    // iputils has no long options: every `--name` is unrecognized.
    let (items, operands) = getopt_long("ping", args, OPTSTRING, &[], posix);
    for item in items {
        match item {
            Item::Error(m) => return Err(Exit::usage(m)),
            Item::Opt(c, arg) => apply(&mut o, c, arg.as_deref().unwrap_or(""), &mut warn)?,
        }
    }
    o.targets = operands;
    Ok((o, warn))
}

fn apply(o: &mut Opts, c: char, arg: &str, warn: &mut String) -> Result<(), Exit> {
    match c {
        '4' => {
            if o.family == Family::V6 {
                return Err(Exit::err(
                    2,
                    "only one -4 or -6 option may be specified".into(),
                ));
            }
            o.family = Family::V4;
        }
        '6' => {
            if o.family == Family::V4 {
                return Err(Exit::err(
                    2,
                    "only one -4 or -6 option may be specified".into(),
                ));
            }
            o.family = Family::V6;
        }
        'b' => o.broadcast = true,
        'e' => o.ident = Some(ulong_or_err(arg, 0, 0xffff)? as u16),
        'R' => {
            if o.timestamp {
                return Err(Exit::err(2, "only one of -T or -R may be used".into()));
            }
            o.rroute = true;
        }
        'T' => {
            if o.rroute {
                return Err(Exit::err(2, "only one of -T or -R may be used".into()));
            }
            o.timestamp = true;
            if !matches!(arg, "tsonly" | "tsandaddr" | "tsprespec") {
                return Err(Exit::err(2, format!("invalid timestamp type: {arg}")));
            }
        }
        'F' => {
            let (digits, base) = match arg.strip_prefix("0x").or_else(|| arg.strip_prefix("0X")) {
                Some(h) => (h, 16),
                None => (arg, 10),
            };
            let p = strtoul(digits, base);
            if p.end != digits.len() {
                return Err(Exit::err(2, format!("bad value for flowinfo: {arg}")));
            }
            if (p.value as i32 as i64 as u64) & !0x000f_ffff != 0 {
                return Err(Exit::err(
                    2,
                    format!("flow value is greater than 20 bits: {arg}"),
                ));
            }
        }
        'N' => {}
        'a' => o.audible = true,
        'A' => o.adaptive = true,
        'B' => o.strictsource = true,
        'c' => o.npackets = long_or_err(arg, 1, i64::MAX)?,
        'C' => o.connect_sk = true,
        'd' => {}
        'D' => o.ptimeofday = true,
        'i' => {
            let v = ping_strtod(arg, "bad timing interval", warn)?;
            if v > f64::from(i32::MAX) / 1000.0 {
                return Err(Exit::err(2, format!("bad timing interval: {arg}")));
            }
            o.interval = (v * 1000.0) as i32;
            o.opt_interval = true;
        }
        'I' => {
            if arg.contains(':') {
                let addr = arg.split('%').next().unwrap_or("");
                if addr.parse::<std::net::Ipv6Addr>().is_err() {
                    return Err(Exit::err(2, format!("invalid source address: {arg}")));
                }
                o.strictsource = true;
            } else if let Some(a) = inet_pton(arg) {
                o.source = Some(a);
                o.strictsource = true;
            } else {
                o.device = Some(arg.to_string());
            }
        }
        'l' => o.preload = long_or_err(arg, 1, MAX_DUP_CHK)? as i32,
        'L' => {}
        'm' => {
            ulong_or_err(arg, 0, u64::from(u32::MAX))?;
        }
        // Path MTU discovery: `do` and `want` send with DF, `dont` without.
        'M' => {
            if !matches!(arg, "do" | "dont" | "want") {
                return Err(Exit::err(2, format!("invalid -M argument: {arg}")));
            }
            o.pmtudisc_dont = arg == "dont";
        }
        'n' => o.numeric = true,
        'O' => o.outstanding = true,
        'f' => {
            o.flood = true;
            o.numeric = true;
        }
        'p' => o.pattern = Some(arg.to_string()),
        'q' => o.quiet = true,
        'Q' => o.settos = parse_tos(arg)?,
        'r' => {}
        's' => o.datalen = long_or_err(arg, 0, i64::from(i32::MAX))? as usize,
        'S' => {
            long_or_err(arg, 1, i64::from(i32::MAX))?;
        }
        't' => o.ttl = Some(long_or_err(arg, 0, 255)?),
        'U' => o.latency = true,
        'v' => o.verbose = true,
        'V' => {
            return Err(Exit {
                stdout: VERSION.into(),
                stderr: String::new(),
                code: 0,
            })
        }
        'w' => o.deadline = long_or_err(arg, 0, i64::from(i32::MAX))?,
        'W' => {
            let v = ping_strtod(arg, "bad linger time", warn)?;
            if v < 0.0 || v > f64::from(i32::MAX) / 1000.0 {
                return Err(Exit::err(2, format!("bad linger time: {arg}")));
            }
            o.lingertime = (v * 1000.0) as i32;
        }
        // 'h', '?' and anything else getopt let through.
        _ => return Err(Exit::usage(String::new())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<(Opts, String), Exit> {
        let mut v = vec!["ping".to_string()];
        v.extend(args.iter().map(|s| s.to_string()));
        parse(&v, false)
    }

    #[test]
    fn options_anywhere_joined_or_apart() {
        let (o, _) = p(&["-c1", "192.0.2.2", "-I", "192.0.2.1", "-nq"]).unwrap();
        assert_eq!(o.npackets, 1);
        assert_eq!(o.source, Some(Ipv4Addr::new(192, 0, 2, 1)));
        assert!(o.numeric && o.quiet && o.strictsource);
        assert_eq!(o.targets, ["192.0.2.2"]);
        let (o, _) = p(&["-I", "v0", "--", "-x"]).unwrap();
        assert_eq!(o.device.as_deref(), Some("v0"));
        assert_eq!(o.targets, ["-x"]);
    }

    #[test]
    fn messages_of_bad_values() {
        let e = p(&["-c", "0", "x"]).unwrap_err();
        assert_eq!(
            e.stderr,
            "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n"
        );
        assert_eq!(e.code, 1);
        assert_eq!(
            p(&["-c", "abc"]).unwrap_err().stderr,
            "ping: invalid argument: 'abc'\n"
        );
        assert_eq!(
            p(&["-W", "-1"]).unwrap_err().stderr,
            "ping: bad linger time: -1\n"
        );
        let e = p(&["-Z"]).unwrap_err();
        assert!(e
            .stderr
            .starts_with("ping: invalid option -- 'Z'\n\nUsage\n"));
        assert_eq!(e.code, 2);
        let e = p(&["-c"]).unwrap_err();
        assert!(e
            .stderr
            .starts_with("ping: option requires an argument -- 'c'\n"));
        let (o, w) = p(&["-i", "abc", "x"]).unwrap();
        assert_eq!(o.interval, 0);
        assert_eq!(
            w,
            "ping: option argument contains garbage: abc\nping: this will become fatal error in the future\n"
        );
        assert_eq!(p(&["-i", "-1", "x"]).unwrap().0.interval, -1000);
        assert_eq!(p(&["-V", "-c", "0"]).unwrap_err().code, 0);
        assert_eq!(
            p(&["-Q", "300"]).unwrap_err().stderr,
            "ping: the decimal value of TOS bits must be in range 0-255: 300\n"
        );
    }
}

//! traceroute's command line as its CLIF library parses it (traceroute 2.1.2: libsupp/clif.c
//! and the option table of traceroute/traceroute.c): short options, joined arguments only
//! for the first option of a group, long options with `=`, the two arguments `host` and
//! `packetlen`, and CLIF's messages (`Bad option`, `requires an argument`, `Cannot handle`).
//! Option functions run as they are met; the arguments are handled after every option.

use std::net::Ipv4Addr;

use crate::cnum::{strtod, strtol, strtoul};
use crate::netdb::{GaiError, Hosts};

/// What `--help` (and a bare `traceroute`) prints, on stderr.
pub const HELP: &str = "Usage:
  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]
Options:
  -4                          Use IPv4
  -6                          Use IPv6
  -d  --debug                 Enable socket level debugging
  -F  --dont-fragment         Do not fragment packets
  -f first_ttl  --first=first_ttl
                              Start from the first_ttl hop (instead from 1)
  -g gate,...  --gateway=gate,...
                              Route packets through the specified gateway
                              (maximum 8 for IPv4 and 127 for IPv6)
  -I  --icmp                  Use ICMP ECHO for tracerouting
  -T  --tcp                   Use TCP SYN for tracerouting (default port is 80)
  -i device  --interface=device
                              Specify a network interface to operate with
  -m max_ttl  --max-hops=max_ttl
                              Set the max number of hops (max TTL to be
                              reached). Default is 30
  -N squeries  --sim-queries=squeries
                              Set the number of probes to be tried
                              simultaneously (default is 16)
  -n                          Do not resolve IP addresses to their domain names
  -p port  --port=port        Set the destination port to use. It is either
                              initial udp port value for \"default\" method
                              (incremented by each probe, default is 33434), or
                              initial seq for \"icmp\" (incremented as well,
                              default from 1), or some constant destination
                              port for other methods (with default of 80 for
                              \"tcp\", 53 for \"udp\", etc.)
  -t tos  --tos=tos           Set the TOS (IPv4 type of service) or TC (IPv6
                              traffic class) value for outgoing packets
  -l flow_label  --flowlabel=flow_label
                              Use specified flow_label for IPv6 packets
  -w MAX,HERE,NEAR  --wait=MAX,HERE,NEAR
                              Wait for a probe no more than HERE (default 3)
                              times longer than a response from the same hop,
                              or no more than NEAR (default 10) times than some
                              next hop, or MAX (default 5.0) seconds (float
                              point values allowed too)
  -q nqueries  --queries=nqueries
                              Set the number of probes per each hop. Default is
                              3
  -r                          Bypass the normal routing and send directly to a
                              host on an attached network
  -s src_addr  --source=src_addr
                              Use source src_addr for outgoing packets
  -z sendwait  --sendwait=sendwait
                              Minimal time interval between probes (default 0).
                              If the value is more than 10, then it specifies a
                              number in milliseconds, else it is a number of
                              seconds (float point values allowed too)
  -e  --extensions            Show ICMP extensions (if present), including MPLS
  -A  --as-path-lookups       Perform AS path lookups in routing registries and
                              print results directly after the corresponding
                              addresses
  -M name  --module=name      Use specified module (either builtin or external)
                              for traceroute operations. Most methods have
                              their shortcuts (`-I' means `-M icmp' etc.)
  -O OPTS,...  --options=OPTS,...
                              Use module-specific option OPTS for the
                              traceroute module. Several OPTS allowed,
                              separated by comma. If OPTS is \"help\", print info
                              about available options
  --sport=num                 Use source port num for outgoing packets. Implies
                              `-N 1'
  --fwmark=num                Set firewall mark for outgoing packets
  -U  --udp                   Use UDP to particular port for tracerouting
                              (instead of increasing the port per each probe),
                              default port is 53
  -UL                         Use UDPLITE for tracerouting (default dest port
                              is 53)
  -D  --dccp                  Use DCCP Request for tracerouting (default port
                              is 33434)
  -P prot  --protocol=prot    Use raw packet of protocol prot for tracerouting
  --mtu                       Discover MTU along the path being traced. Implies
                              `-F -N 1'
  --back                      Guess the number of hops in the backward path and
                              print if it differs
  -V  --version               Print version info and exit
  --help                      Read this help and exit

Arguments:
+     host          The host to traceroute to
      packetlen     The full packet length (default is the length of an IP
                    header plus 40). Can be ignored or increased to a minimal
                    allowed value
";

const VERSION: &str = "Modern traceroute for Linux, version 2.1.2\nCopyright (c) 2016  Dmitry Butskoy,   License: GPL v2 or any later\n";

/// The probe methods (`-M`, `-I`, `-U`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Module {
    /// UDP to increasing ports from 33434.
    Default,
    /// ICMP echo on a raw socket.
    Icmp,
    /// UDP to one port (53 by default).
    Udp,
}

/// Everything the options and arguments set (traceroute.c's statics after parsing).
#[derive(Clone, Debug)]
pub struct Config {
    pub first_hop: u32,
    pub max_hops: u32,
    pub sim_probes: u32,
    pub probes_per_hop: u32,
    pub noresolve: bool,
    /// `-F`: probes keep DF set (otherwise the socket turns path MTU discovery off).
    pub dont_fragment: bool,
    pub dst_port_seq: u32,
    pub tos: u32,
    pub wait_secs: f64,
    pub here_factor: f64,
    pub near_factor: f64,
    pub send_secs: f64,
    pub backward: bool,
    pub device: Option<String>,
    pub src_addr: Option<Ipv4Addr>,
    pub src_port: u32,
    pub gateways: usize,
    pub module: Module,
    pub dst_name: String,
    pub dst_addr: Ipv4Addr,
    pub packet_len: i64,
}

/// Parsing ended: print this on stderr and exit with `code`.
#[derive(Debug, PartialEq)]
pub struct Exit {
    pub stderr: String,
    pub code: i32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Af4,
    Af6,
    Flag,
    DontFragment,
    First,
    Gateway,
    Module(&'static str),
    Device,
    MaxHops,
    SimQueries,
    NoResolve,
    Port,
    Tos,
    FlowLabel,
    Wait,
    Queries,
    Source,
    SendWait,
    ModuleName,
    ModOption,
    SrcPort,
    Uint,
    Raw,
    Back,
    Version,
    Help,
}

struct OptDef {
    short: Option<char>,
    long: Option<&'static str>,
    arg: Option<&'static str>,
    /// CLIF_ABBREV: the long form may be shortened.
    abbrev: bool,
    /// CLIF_SEVERAL: the argument is a list.
    several: bool,
    /// CLIF_ONEDASH: the long form is written with one dash (`-UL`).
    onedash: bool,
    act: Act,
}

const fn o(
    short: Option<char>,
    long: Option<&'static str>,
    arg: Option<&'static str>,
    act: Act,
) -> OptDef {
    OptDef {
        short,
        long,
        arg,
        abbrev: false,
        several: false,
        onedash: false,
        act,
    }
}

/// traceroute.c's `option_list`, in its order.
const OPTIONS: &[OptDef] = &[
    o(Some('4'), None, None, Act::Af4),
    o(Some('6'), None, None, Act::Af6),
    o(Some('d'), Some("debug"), None, Act::Flag),
    OptDef {
        abbrev: true,
        ..o(Some('F'), Some("dont-fragment"), None, Act::DontFragment)
    },
    o(Some('f'), Some("first"), Some("first_ttl"), Act::First),
    OptDef {
        several: true,
        ..o(Some('g'), Some("gateway"), Some("gate"), Act::Gateway)
    },
    o(Some('I'), Some("icmp"), None, Act::Module("icmp")),
    o(Some('T'), Some("tcp"), None, Act::Module("tcp")),
    o(Some('i'), Some("interface"), Some("device"), Act::Device),
    o(Some('m'), Some("max-hops"), Some("max_ttl"), Act::MaxHops),
    o(
        Some('N'),
        Some("sim-queries"),
        Some("squeries"),
        Act::SimQueries,
    ),
    o(Some('n'), None, None, Act::NoResolve),
    o(Some('p'), Some("port"), Some("port"), Act::Port),
    o(Some('t'), Some("tos"), Some("tos"), Act::Tos),
    o(
        Some('l'),
        Some("flowlabel"),
        Some("flow_label"),
        Act::FlowLabel,
    ),
    o(Some('w'), Some("wait"), Some("MAX,HERE,NEAR"), Act::Wait),
    o(Some('q'), Some("queries"), Some("nqueries"), Act::Queries),
    o(Some('r'), None, None, Act::Flag),
    o(Some('s'), Some("source"), Some("src_addr"), Act::Source),
    o(Some('z'), Some("sendwait"), Some("sendwait"), Act::SendWait),
    OptDef {
        abbrev: true,
        ..o(Some('e'), Some("extensions"), None, Act::Flag)
    },
    o(Some('A'), Some("as-path-lookups"), None, Act::Flag),
    o(Some('M'), Some("module"), Some("name"), Act::ModuleName),
    OptDef {
        several: true,
        ..o(Some('O'), Some("options"), Some("OPTS"), Act::ModOption)
    },
    o(None, Some("sport"), Some("num"), Act::SrcPort),
    o(None, Some("fwmark"), Some("num"), Act::Uint),
    o(Some('U'), Some("udp"), None, Act::Module("udp")),
    OptDef {
        onedash: true,
        ..o(None, Some("UL"), None, Act::Module("udplite"))
    },
    o(Some('D'), Some("dccp"), None, Act::Module("dccp")),
    o(Some('P'), Some("protocol"), Some("prot"), Act::Raw),
    o(None, Some("mtu"), None, Act::Flag),
    o(None, Some("back"), None, Act::Back),
    o(Some('V'), Some("version"), None, Act::Version),
    o(None, Some("help"), None, Act::Help),
];

/// `show_short` / `show_long` of an option, with or without its argument name.
fn show(opt: &OptDef, short: bool, with_arg: bool) -> String {
    let mut s = if short {
        format!("-{}", opt.short.unwrap_or('?'))
    } else if opt.onedash {
        format!("-{}", opt.long.unwrap_or(""))
    } else {
        format!("--{}", opt.long.unwrap_or(""))
    };
    if let (true, Some(a)) = (with_arg, opt.arg) {
        s.push(if short { ' ' } else { '=' });
        s.push_str(a);
        if opt.several {
            s.push_str(",...");
        }
    }
    s
}

/// `set_uint`: strtoul in any base; the whole text must be a number.
fn uint(s: &str) -> Option<u32> {
    let p = strtoul(s, 0);
    (p.end != 0 && p.end == s.len()).then_some(p.value as u32)
}

struct Parser<'a> {
    c: Config,
    hosts: &'a Hosts,
    af6: bool,
    module: &'static str,
    mod_options: Vec<String>,
    err: String,
}

impl Parser<'_> {
    /// `getaddr`: resolves, or reports on stderr as traceroute does.
    fn getaddr(&mut self, name: &str) -> Option<Ipv4Addr> {
        let r = if self.af6 {
            self.hosts.resolve(name).and(Err(GaiError::AddrFamily))
        } else {
            self.hosts.resolve(name).map(|(a, _)| a)
        };
        match r {
            Ok(a) => Some(a),
            Err(e) => {
                self.err.push_str(&format!("{name}: {}\n", e.message()));
                None
            }
        }
    }

    /// Calls the option's function: false if it refuses the argument. `Err` exits at once.
    fn call(&mut self, opt: &OptDef, arg: Option<&str>) -> Result<bool, Exit> {
        if let (true, Some(a)) = (opt.several, arg) {
            for part in a.split([' ', '\t', ',']).filter(|p| !p.is_empty()) {
                if part.len() >= 80 || !self.call_one(opt, Some(part))? {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        self.call_one(opt, arg)
    }

    fn call_one(&mut self, opt: &OptDef, arg: Option<&str>) -> Result<bool, Exit> {
        let a = arg.unwrap_or("");
        let set = |v: Option<u32>, slot: &mut u32| match v {
            Some(x) => {
                *slot = x;
                true
            }
            None => false,
        };
        Ok(match opt.act {
            Act::Af4 => {
                self.af6 = false;
                true
            }
            Act::Af6 => {
                self.af6 = true;
                true
            }
            Act::Flag | Act::FlowLabel | Act::Uint => match opt.act {
                Act::Flag => true,
                _ => uint(a).is_some(),
            },
            Act::Back => {
                self.c.backward = true;
                true
            }
            Act::DontFragment => {
                self.c.dont_fragment = true;
                true
            }
            Act::NoResolve => {
                self.c.noresolve = true;
                true
            }
            Act::First => set(uint(a), &mut self.c.first_hop),
            Act::MaxHops => set(uint(a), &mut self.c.max_hops),
            Act::SimQueries => set(uint(a), &mut self.c.sim_probes),
            Act::Queries => set(uint(a), &mut self.c.probes_per_hop),
            Act::Tos => set(uint(a), &mut self.c.tos),
            Act::Gateway => {
                if self.c.gateways >= 127 {
                    self.err.push_str("Too many gateways specified.");
                    false
                } else {
                    self.c.gateways += 1;
                    true
                }
            }
            Act::Module(m) => {
                self.module = m;
                true
            }
            Act::ModuleName => {
                self.module = match a {
                    "default" => "default",
                    "icmp" => "icmp",
                    "udp" => "udp",
                    "tcp" => "tcp",
                    "tcpconn" => "tcpconn",
                    "udplite" => "udplite",
                    "dccp" => "dccp",
                    "raw" => "raw",
                    other => {
                        return Err(Exit {
                            stderr: format!("Unknown traceroute module {other}\n"),
                            code: 2,
                        })
                    }
                };
                true
            }
            Act::Device => {
                self.c.device = Some(a.to_string());
                true
            }
            Act::Port | Act::SrcPort => {
                // set_port: a number (what follows it is ignored), or a service name.
                let p = strtoul(a, 0);
                if p.end == 0 {
                    false
                } else {
                    if opt.act == Act::Port {
                        self.c.dst_port_seq = p.value as u32;
                    } else {
                        self.c.src_port = p.value as u32;
                    }
                    true
                }
            }
            Act::Wait => {
                let (mut w, mut h, mut n) = (0.0, 0.0, 0.0);
                let ok = (|| {
                    let p = strtod(a);
                    if p.end == 0 {
                        return false;
                    }
                    w = p.value;
                    let rest = &a[p.end..];
                    let Some(rest) = rest.strip_prefix(|_| true) else {
                        return true;
                    };
                    let p = strtod(rest);
                    if p.end == 0 {
                        return false;
                    }
                    h = p.value;
                    let rest2 = &rest[p.end..];
                    let Some(rest2) = rest2.strip_prefix(|_| true) else {
                        return true;
                    };
                    let p = strtod(rest2);
                    if p.end == 0 || p.end != rest2.len() {
                        return false;
                    }
                    n = p.value;
                    true
                })();
                // set_wait_specs zeroes the factors first, and sets what it parsed.
                self.c.wait_secs = w;
                self.c.here_factor = h;
                self.c.near_factor = n;
                ok
            }
            Act::Source => match self.getaddr(a) {
                Some(x) => {
                    self.c.src_addr = Some(x);
                    true
                }
                None => false,
            },
            Act::SendWait => {
                let p = strtod(a);
                if p.end == 0 || p.end != a.len() {
                    false
                } else {
                    self.c.send_secs = p.value;
                    true
                }
            }
            Act::ModOption => {
                if a == "help" {
                    let text = if self.module == "icmp" {
                        "  --raw                       Use raw sockets way only. Default is try this\n                              way first (probably not allowed for unprivileged\n                              users), then try dgram\n  --dgram                     Use dgram sockets way only. May be not implemented\n                              by old kernels or restricted by sysadmins\n".to_string()
                    } else {
                        format!("No options for module `{}'\n", self.module)
                    };
                    return Err(Exit {
                        stderr: text,
                        code: 0,
                    });
                }
                if self.mod_options.len() >= 15 {
                    self.err.push_str("Too many module options\n");
                    false
                } else {
                    self.mod_options.push(a.to_string());
                    true
                }
            }
            Act::Raw => {
                self.module = "raw";
                true
            }
            Act::Version => {
                return Err(Exit {
                    stderr: VERSION.into(),
                    code: 0,
                })
            }
            Act::Help => {
                return Err(Exit {
                    stderr: HELP.into(),
                    code: 0,
                })
            }
        })
    }

    fn fail(&mut self, msg: String) -> Exit {
        self.err.push_str(&msg);
        self.err.push('\n');
        Exit {
            stderr: std::mem::take(&mut self.err),
            code: 2,
        }
    }
}

/// `find_long`: an exact match, or the one abbreviation allowed. `onedash` looks only at the
/// options written with one dash. Returns the option and any `=value`.
fn find_long<'a>(arg: &'a str, onedash: bool) -> Option<(&'static OptDef, Option<&'a str>)> {
    let mut abbrev: Option<(&'static OptDef, Option<&'a str>)> = None;
    let mut several = false;
    for opt in OPTIONS {
        let Some(long) = opt.long else { continue };
        if opt.onedash != onedash {
            continue;
        }
        let common = arg
            .bytes()
            .zip(long.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let rest = &arg[common..];
        let value = if rest.is_empty() {
            None
        } else if rest.starts_with('=') && opt.arg.is_some() {
            Some(&rest[1..])
        } else {
            continue;
        };
        if common == long.len() {
            return Some((opt, value));
        }
        if opt.abbrev && common >= 2 {
            if abbrev.is_none() && !several {
                abbrev = Some((opt, value));
            } else {
                abbrev = None;
                several = true;
            }
        }
    }
    abbrev
}

/// Parses `argv` (with `argv[0]`). `Err`: print its text on stderr, exit with its code.
/// The warnings of name lookups that did not stop parsing come back in the `String`.
pub fn parse(argv: &[String], hosts: &Hosts, posix: bool) -> Result<(Config, String), Exit> {
    let mut p = Parser {
        c: Config {
            first_hop: 1,
            max_hops: 30,
            sim_probes: 16,
            probes_per_hop: 3,
            noresolve: false,
            dont_fragment: false,
            dst_port_seq: 0,
            tos: 0,
            wait_secs: 5.0,
            here_factor: 3.0,
            near_factor: 10.0,
            send_secs: 0.0,
            backward: false,
            device: None,
            src_addr: None,
            src_port: 0,
            gateways: 0,
            module: Module::Default,
            dst_name: String::new(),
            dst_addr: Ipv4Addr::UNSPECIFIED,
            packet_len: -1,
        },
        hosts,
        af6: argv.first().is_some_and(|a| a.ends_with('6')),
        module: "default",
        mod_options: Vec::new(),
        err: String::new(),
    };
    if argv.len() <= 1 {
        return Err(Exit {
            stderr: HELP.into(),
            code: 0,
        });
    }
    let mut options_on = true;
    let mut args: Vec<usize> = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let arg = argv[i].as_str();
        let here = i;
        i += 1;
        if !options_on || !arg.starts_with('-') || arg == "-" || arg.starts_with("---") {
            args.push(here);
            if posix {
                options_on = false;
            }
            continue;
        }
        // A long option, or a one-dash long one (-UL).
        let long = if let Some(rest) = arg.strip_prefix("--") {
            if rest.is_empty() {
                options_on = false;
                continue;
            }
            match find_long(rest, false) {
                Some(x) => Some(x),
                None => {
                    let msg = match rest.split_once('=') {
                        Some((_, v)) => {
                            format!("Bad option `{arg}' (with arg `{v}') (argc {here})")
                        }
                        None => format!("Bad option `{arg}' (argc {here})"),
                    };
                    return Err(p.fail(msg));
                }
            }
        } else {
            find_long(&arg[1..], true)
        };
        if let Some((opt, value)) = long {
            let mut at = here;
            let value = match (opt.arg, value) {
                (Some(_), None) => {
                    // Without CLIF_MAY_NOEQUAL the argument must be joined with '='.
                    return Err(p.fail(format!(
                        "Option `{}' (argc {at}) requires an argument: `{}'",
                        show(opt, false, false),
                        show(opt, false, true)
                    )));
                }
                (_, v) => v,
            };
            if !p.call(opt, value)? {
                at = here;
                let msg = match (opt.arg, value) {
                    (Some(_), Some(v)) => format!(
                        "Cannot handle `{}' option with arg `{v}' (argc {at})",
                        show(opt, false, false)
                    ),
                    _ => format!(
                        "Cannot handle `{}' option (argc {at})",
                        show(opt, false, false)
                    ),
                };
                return Err(p.fail(msg));
            }
            continue;
        }
        // Short options, possibly grouped.
        let chars: Vec<char> = arg[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            let Some(opt) = OPTIONS.iter().find(|x| x.short == Some(c)) else {
                return Err(p.fail(format!("Bad option `-{c}' (argc {here})")));
            };
            let mut at = here;
            let mut value: Option<String> = None;
            if opt.arg.is_some() {
                if k + 1 == chars.len() {
                    if i >= argv.len() {
                        return Err(p.fail(format!(
                            "Option `{}' (argc {here}) requires an argument: `{}'",
                            show(opt, true, false),
                            show(opt, true, true)
                        )));
                    }
                    value = Some(argv[i].clone());
                    at = i;
                    i += 1;
                } else if k == 0 {
                    value = Some(chars[1..].iter().collect());
                } else {
                    return Err(p.fail(format!(
                        "Option `{}' (argc {here}) requires an argument: `{}'",
                        show(opt, true, false),
                        show(opt, true, true)
                    )));
                }
            }
            if !p.call(opt, value.as_deref())? {
                let msg = match (&value, opt.arg) {
                    (Some(v), Some(_)) => format!(
                        "Cannot handle `{}' option with arg `{v}' (argc {at})",
                        show(opt, true, false)
                    ),
                    _ => format!(
                        "Cannot handle `{}' option (argc {at})",
                        show(opt, true, false)
                    ),
                };
                return Err(p.fail(msg));
            }
            if value.is_some() {
                break;
            }
            k += 1;
        }
    }
    // The arguments: host, then packetlen.
    if args.is_empty() {
        return Err(p.fail("Specify \"host\" missing argument.".into()));
    }
    if args.len() > 2 {
        let n = args[2];
        return Err(p.fail(format!("Extra arg `{}' (position 3, argc {n})", argv[n])));
    }
    let host = argv[args[0]].clone();
    match p.getaddr(&host) {
        Some(a) => {
            p.c.dst_addr = a;
            p.c.dst_name = host;
        }
        None => {
            return Err(p.fail(format!(
                "Cannot handle \"host\" cmdline arg `{host}' on position 1 (argc {})",
                args[0]
            )))
        }
    }
    if let Some(&n) = args.get(1) {
        let s = &argv[n];
        let v = strtol(s, 0);
        if v.end == 0 || v.end != s.len() {
            return Err(p.fail(format!(
                "Cannot handle \"packetlen\" cmdline arg `{s}' on position 2 (argc {n})"
            )));
        }
        p.c.packet_len = i64::from(v.value as i32);
    }
    p.c.module = match p.module {
        "default" => Module::Default,
        "icmp" => Module::Icmp,
        "udp" => Module::Udp,
        other => {
            return Err(Exit {
                stderr: format!("{}Unknown traceroute module {other}\n", p.err),
                code: 2,
            })
        }
    };
    Ok((p.c, p.err))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &str) -> Result<(Config, String), Exit> {
        let hosts = Hosts::parse("192.0.2.2 ns2\n");
        let mut v = vec!["traceroute".to_string()];
        v.extend(args.split_whitespace().map(str::to_string));
        parse(&v, &hosts, false)
    }

    fn err(args: &str) -> String {
        run(args).unwrap_err().stderr
    }

    #[test]
    fn forms_of_options() {
        let (c, _) = run("-n -m5 -q 1 --first=2 ns2 100").unwrap();
        assert!(c.noresolve);
        assert_eq!((c.max_hops, c.probes_per_hop, c.first_hop), (5, 1, 2));
        assert_eq!((c.dst_name.as_str(), c.packet_len), ("ns2", 100));
        let (c, _) = run("192.0.2.2 -I -w 1,2,3 -p 0x8000").unwrap();
        assert_eq!(c.module, Module::Icmp);
        assert_eq!((c.wait_secs, c.here_factor, c.near_factor), (1.0, 2.0, 3.0));
        assert_eq!(c.dst_port_seq, 0x8000);
        let (c, _) = run("-w 2 -- 192.0.2.2").unwrap();
        assert_eq!((c.wait_secs, c.here_factor), (2.0, 0.0));
    }

    #[test]
    fn clif_messages() {
        assert_eq!(err("-Z 192.0.2.1"), "Bad option `-Z' (argc 1)\n");
        assert_eq!(
            err("-nm5 192.0.2.2"),
            "Option `-m' (argc 1) requires an argument: `-m max_ttl'\n"
        );
        assert_eq!(
            err("--max-hops 3 192.0.2.2"),
            "Option `--max-hops' (argc 1) requires an argument: `--max-hops=max_ttl'\n"
        );
        assert_eq!(
            err("-w abc 192.0.2.1"),
            "Cannot handle `-w' option with arg `abc' (argc 2)\n"
        );
        assert_eq!(
            err("-w 1,2,3,4 192.0.2.2"),
            "Cannot handle `-w' option with arg `1,2,3,4' (argc 2)\n"
        );
        assert_eq!(err("-n --foo 192.0.2.2"), "Bad option `--foo' (argc 2)\n");
        assert_eq!(
            err("-n 192.0.2.2 60 70"),
            "Extra arg `70' (position 3, argc 4)\n"
        );
        assert_eq!(
            err("-n 192.0.2.2 abc"),
            "Cannot handle \"packetlen\" cmdline arg `abc' on position 2 (argc 3)\n"
        );
        assert_eq!(
            err("-m"),
            "Option `-m' (argc 1) requires an argument: `-m max_ttl'\n"
        );
        assert_eq!(err("-n"), "Specify \"host\" missing argument.\n");
        assert_eq!(
            err("256.1.1.1"),
            "256.1.1.1: Temporary failure in name resolution\nCannot handle \"host\" cmdline arg `256.1.1.1' on position 1 (argc 1)\n"
        );
        assert_eq!(
            run("-V").unwrap_err(),
            Exit {
                stderr: VERSION.into(),
                code: 0
            }
        );
        assert!(err("").starts_with("Usage:\n  traceroute [ -46dFITnreAUDV ]"));
        assert_eq!(err("-T 192.0.2.2"), "Unknown traceroute module tcp\n");
    }
}

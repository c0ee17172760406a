//! `ip`, as iproute2 6.1 (Debian 12) has it: the global options of ip/ip.c, then one object —
//! `netns`, `link`, `address`, `route`, `neighbour` — each in its own module, with the same
//! keyword abbreviations (`ip a`, `ip r`, `ip n`, `ip li`, `ip address s`...), messages, and
//! exit statuses (a C function returning -1 gives 1, -2 gives 2, `exit(-1)` gives 255).
//!
//! Work is split in three steps so that most of it is pure and testable without a lab:
//! [`parse_args`] turns `argv` into an [`IpCommand`] (what the fuzz target drives); the
//! object modules run it against a [`host::Host`] (the rtnetlink socket and `/run/netns`);
//! [`main`] wires a process to it and runs `ip netns exec` itself. Read ip(8) and the
//! iproute2 sources named in each module.
//!
//! Not modelled: `-timestamp`, objects other than the five above and `ip rule show` (they
//! answer with a clear message), `ip monitor`.

pub mod addr;
pub mod host;
pub mod json;
pub mod link;
pub mod link_bridge;
pub mod neigh;
pub mod netns;
pub mod print;
pub mod route;
pub mod utils;

use tsunagi_lab::{LocalBoxFuture, Proc};

use host::{Host, LabHost};
use link::Outcome;
use print::ColorOpt;
use utils::{atoi, get_unsigned, invarg, matches, Family, IpError, IpResult};

/// The version line of `ip -V` on Debian 12.
pub const VERSION: &str = "ip utility, iproute2-6.1.0, libbpf 1.1.2\n";

/// `usage()` of ip/ip.c.
pub const USAGE: &str = "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n\
\x20      ip [ -force ] -batch filename\n\
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |\n\
\x20                  link | macsec | maddress | monitor | mptcp | mroute | mrule |\n\
\x20                  neighbor | neighbour | netconf | netns | nexthop | ntable |\n\
\x20                  ntbl | route | rule | sr | tap | tcpmetrics |\n\
\x20                  token | tunnel | tuntap | vrf | xfrm }\n\
\x20      OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n\
\x20                   -h[uman-readable] | -iec | -j[son] | -p[retty] |\n\
\x20                   -f[amily] { inet | inet6 | mpls | bridge | link } |\n\
\x20                   -4 | -6 | -M | -B | -0 |\n\
\x20                   -l[oops] { maximum-addr-flush-attempts } | -br[ief] |\n\
\x20                   -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |\n\
\x20                   -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |\n\
\x20                   -c[olor]}\n";

fn usage() -> IpError {
    IpError::raw(USAGE, 255)
}

/// The global options (`ip [ OPTIONS ] OBJECT ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opts {
    pub family: Family,
    pub human: u32,
    pub iec: bool,
    pub stats: u32,
    pub details: u32,
    pub resolve: bool,
    pub oneline: bool,
    pub timestamp: u32,
    pub brief: bool,
    pub json: bool,
    pub pretty: bool,
    pub force: bool,
    pub echo: bool,
    pub numeric: bool,
    /// `-all`.
    pub all: bool,
    pub color: ColorOpt,
    /// Colours are on (`-c`, or `-c=auto` on a terminal).
    pub color_on: bool,
    /// `COLORFGBG` says the background is dark.
    pub dark_bg: bool,
    pub netns: Option<String>,
    pub batch: Option<String>,
    /// `-loops`: how many rounds `ip address flush` may take (0: no limit).
    pub loops: i32,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            family: Family::Unspec,
            human: 0,
            iec: false,
            stats: 0,
            details: 0,
            resolve: false,
            oneline: false,
            timestamp: 0,
            brief: false,
            json: false,
            pretty: false,
            force: false,
            echo: false,
            numeric: false,
            all: false,
            color: ColorOpt::Never,
            color_on: false,
            dark_bg: false,
            netns: None,
            batch: None,
            loops: 10,
        }
    }
}

/// What one `ip` invocation asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum IpCommand {
    /// `ip -V`.
    Version,
    Netns(netns::NetnsCmd),
    Link(link::LinkCmd),
    Addr(addr::AddrCmd),
    Route(route::RouteCmd),
    Neigh(neigh::NeighCmd),
    /// `ip rule show`: the default policy rules (rules cannot be changed yet).
    RuleShow,
    /// A real iproute2 object that is not modelled here.
    Unsupported(&'static str),
}

/// A parsed invocation: options, command, and the warnings parsing printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub opts: Opts,
    pub cmd: IpCommand,
    pub warnings: String,
}

/// Either the options and the remaining arguments, or `ip -V`.
enum Front {
    Version,
    Object(Opts, Vec<String>),
}

/// `matches_color()`: `-c`, `-color`, `-color=always|auto|never`.
fn matches_color(opt: &str) -> Option<ColorOpt> {
    let (name, val) = match opt.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (opt, None),
    };
    if !matches(name, "-color") {
        return None;
    }
    match val {
        None | Some("") | Some("always") => Some(ColorOpt::Always),
        Some("auto") => Some(ColorOpt::Auto),
        Some("never") => Some(ColorOpt::Never),
        Some(_) => None,
    }
}

/// The option loop of ip/ip.c's `main`.
fn parse_opts(argv: &[String]) -> IpResult<Front> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < argv.len() {
        let full = argv[i].as_str();
        if full == "--" {
            i += 1;
            break;
        }
        if !full.starts_with('-') {
            break;
        }
        let opt = if full.as_bytes().get(1) == Some(&b'-') {
            &full[1..]
        } else {
            full
        };
        let mut value = || -> IpResult<String> {
            i += 1;
            argv.get(i).cloned().ok_or_else(usage)
        };
        if matches(opt, "-loops") {
            o.loops = atoi(&value()?);
        } else if matches(opt, "-family") {
            let v = value()?;
            if v == "help" {
                return Err(usage());
            }
            o.family = Family::read(&v);
            if o.family == Family::Unspec {
                return Err(invarg("invalid protocol family", &v));
            }
        } else if opt == "-4" {
            o.family = Family::Inet;
        } else if opt == "-6" {
            o.family = Family::Inet6;
        } else if opt == "-0" {
            o.family = Family::Packet;
        } else if opt == "-M" {
            o.family = Family::Mpls;
        } else if opt == "-B" {
            o.family = Family::Bridge;
        } else if matches(opt, "-human") || matches(opt, "-human-readable") {
            o.human += 1;
        } else if matches(opt, "-iec") {
            o.iec = true;
        } else if matches(opt, "-stats") || matches(opt, "-statistics") {
            o.stats += 1;
        } else if matches(opt, "-details") {
            o.details += 1;
        } else if matches(opt, "-resolve") {
            o.resolve = true;
        } else if matches(opt, "-oneline") {
            o.oneline = true;
        } else if matches(opt, "-timestamp") || matches(opt, "-tshort") {
            o.timestamp += 1;
        } else if matches(opt, "-Version") {
            return Ok(Front::Version);
        } else if matches(opt, "-force") {
            o.force = true;
        } else if matches(opt, "-batch") {
            o.batch = Some(value()?);
        } else if matches(opt, "-brief") {
            o.brief = true;
        } else if matches(opt, "-json") {
            o.json = true;
        } else if matches(opt, "-pretty") {
            o.pretty = true;
        } else if matches(opt, "-rcvbuf") {
            let v = value()?;
            if get_unsigned(&v, 0).is_none() {
                return Err(IpError::new(format!("Invalid rcvbuf size '{v}'"), 255));
            }
        } else if let Some(c) = matches_color(opt) {
            o.color = c;
        } else if matches(opt, "-help") {
            return Err(usage());
        } else if matches(opt, "-netns") {
            i += 1;
            match argv.get(i) {
                Some(n) => o.netns = Some(n.clone()),
                // NEXT_ARG() counts argv[0]: the name read is argv's terminating NULL.
                None => {
                    return Err(IpError::new(
                        "Cannot open network namespace \"(null)\": No such file or directory",
                        255,
                    ))
                }
            }
        } else if matches(opt, "-Numeric") {
            o.numeric = true;
        } else if matches(opt, "-all") {
            o.all = true;
        } else if opt == "-echo" {
            o.echo = true;
        } else {
            return Err(IpError::new(
                format!("Option \"{opt}\" is unknown, try \"ip -help\"."),
                255,
            ));
        }
        i += 1;
    }
    Ok(Front::Object(o, argv[i.min(argv.len())..].to_vec()))
}

/// The objects of ip/ip.c in their matching order, and whether each is modelled.
const OBJECTS: &[&str] = &[
    "address",
    "addrlabel",
    "maddress",
    "route",
    "rule",
    "neighbor",
    "neighbour",
    "ntable",
    "ntbl",
    "link",
    "l2tp",
    "fou",
    "ila",
    "macsec",
    "tunnel",
    "tunl",
    "tuntap",
    "tap",
    "token",
    "tcpmetrics",
    "tcp_metrics",
    "monitor",
    "xfrm",
    "mroute",
    "mrule",
    "netns",
    "netconf",
    "vrf",
    "sr",
    "nexthop",
    "mptcp",
    "ioam",
    "help",
    "stats",
];

/// `do_cmd()`: the object and its command.
fn parse_object(opts: &Opts, rest: &[String], warn: &mut String) -> IpResult<IpCommand> {
    let Some(obj) = rest.first() else {
        return Err(usage());
    };
    let args = &rest[1..];
    let Some(name) = OBJECTS.iter().find(|o| matches(obj, o)) else {
        return Err(IpError::new(
            format!("Object \"{obj}\" is unknown, try \"ip help\"."),
            1,
        ));
    };
    Ok(match *name {
        "address" => IpCommand::Addr(addr::parse(args, opts, warn)?),
        "route" => IpCommand::Route(route::parse(args, opts, warn)?),
        "neighbor" | "neighbour" => IpCommand::Neigh(neigh::parse(args, opts)?),
        "link" => IpCommand::Link(link::parse(args, opts)?),
        "netns" => IpCommand::Netns(netns::parse(args, opts)?),
        "rule" => match args.first().map(String::as_str) {
            None => IpCommand::RuleShow,
            Some(a) if matches(a, "list") || matches(a, "show") || matches(a, "lst") => {
                IpCommand::RuleShow
            }
            Some(_) => IpCommand::Unsupported("rule"),
        },
        "help" => return Err(usage()),
        other => IpCommand::Unsupported(other),
    })
}

/// Parses a whole `ip` command line (without `argv[0]`): pure, never panics. Errors carry
/// what `ip` prints and its exit status.
pub fn parse_args(argv: &[String]) -> Result<Parsed, IpError> {
    match parse_opts(argv)? {
        Front::Version => Ok(Parsed {
            opts: Opts::default(),
            cmd: IpCommand::Version,
            warnings: String::new(),
        }),
        Front::Object(opts, rest) => {
            let mut warnings = String::new();
            let cmd = parse_object(&opts, &rest, &mut warnings).map_err(|mut e| {
                e.stderr.insert_str(0, &warnings);
                e
            })?;
            Ok(Parsed {
                opts,
                cmd,
                warnings,
            })
        }
    }
}

/// Runs a parsed command (all but `ip netns exec`) against `host`.
pub fn execute(p: &Parsed, host: &mut dyn Host) -> Outcome {
    let opts = &p.opts;
    let mut warn = p.warnings.clone();
    let mut out = match &p.cmd {
        IpCommand::Version => Outcome::ok(VERSION.to_string()),
        IpCommand::Netns(c) => {
            let d = netns::run(c, host, opts);
            Outcome {
                out: d.out,
                err: d.err,
                code: d.code,
            }
        }
        IpCommand::Link(c) => match c {
            link::LinkCmd::Show(f) => addr::list(f, host, opts),
            other => link::run_modify(other, host),
        },
        IpCommand::Addr(c) => match c {
            addr::AddrCmd::List(f) => addr::list(f, host, opts),
            addr::AddrCmd::Modify(r) => addr::run_modify(r, host, &mut warn),
            addr::AddrCmd::Unsupported(what) => unsupported(&format!("address {what}")),
        },
        IpCommand::Route(c) => match c {
            route::RouteCmd::Modify(r) => route::run_modify(r, host),
            route::RouteCmd::List(f) => route::run_list(f, host, opts),
            route::RouteCmd::Get(g) => route::run_get(g, host, opts),
            route::RouteCmd::Unsupported(what) => unsupported(&format!("route {what}")),
        },
        IpCommand::Neigh(c) => match c {
            neigh::NeighCmd::Modify(r) => neigh::run_modify(r, host),
            neigh::NeighCmd::List(f) => neigh::run_list(f, host, opts),
            neigh::NeighCmd::Get { dst, dev } => neigh::run_get(dst, dev, host, opts),
        },
        IpCommand::RuleShow => Outcome::ok(if opts.family == Family::Inet6 {
            "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n".to_string()
        } else {
            "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n"
                .to_string()
        }),
        IpCommand::Unsupported(obj) => unsupported(obj),
    };
    out.err.insert_str(0, &warn);
    out
}

fn unsupported(what: &str) -> Outcome {
    Outcome {
        out: String::new(),
        err: format!("ip: \"{what}\" is not supported by tsunagi yet\n"),
        code: 1,
    }
}

/// Writes what a command printed. iproute2 flushes standard output after every record, so
/// what it printed comes before its error messages; an unfinished line (the `[` of a JSON
/// dump that failed) was still in the buffer when the error went out, and comes after.
fn emit(proc: &Proc, out: &str, err: &str) {
    let late = !out.is_empty() && !out.ends_with('\n') && !err.is_empty();
    if !out.is_empty() && !late {
        proc.out(out);
    }
    if !err.is_empty() {
        proc.err(err);
    }
    if late {
        proc.out(out);
    }
}

/// The `ip` program.
pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    Box::pin(run(proc))
}

async fn run(mut proc: Proc) -> i32 {
    let argv: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
    let (mut opts, rest) = match parse_opts(&argv) {
        Ok(Front::Version) => {
            proc.out(VERSION);
            return 0;
        }
        Ok(Front::Object(o, r)) => (o, r),
        Err(e) => {
            emit(&proc, &e.stdout, &e.stderr);
            return e.code;
        }
    };
    let tty = proc.fd(1).is_some_and(|f| f.is_terminal());
    opts.color_on = match opts.color {
        ColorOpt::Always => !opts.json,
        ColorOpt::Auto => tty && !opts.json,
        ColorOpt::Never => false,
    };
    opts.dark_bg = proc.env.get("COLORFGBG").is_some_and(|v| {
        v.rsplit_once(';').is_some_and(|(_, last)| {
            last.len() == 1 && matches!(last.as_bytes()[0], b'0'..=b'6' | b'8')
        })
    });
    let mut host = LabHost::new(proc.sys.clone(), proc.netns, proc.pid);
    if let Some(name) = &opts.netns {
        match (!name.contains('/'))
            .then(|| host.netns_by_name(name))
            .flatten()
        {
            Some(ns) => {
                host.switch_ns(ns);
                proc.sys.set_netns(proc.pid, ns);
                proc.netns = ns;
            }
            None => {
                proc.err(format!(
                    "Cannot open network namespace \"{name}\": No such file or directory\n"
                ));
                return 255;
            }
        }
    }
    if let Some(file) = opts.batch.clone() {
        return run_batch(&proc, &mut host, &opts, &file).await;
    }
    let mut warnings = String::new();
    let cmd = match parse_object(&opts, &rest, &mut warnings) {
        Ok(c) => c,
        Err(e) => {
            emit(&proc, &e.stdout, &format!("{warnings}{}", e.stderr));
            return e.code;
        }
    };
    // Warnings went to stderr while parsing, before anything the command prints.
    if !warnings.is_empty() {
        proc.err(&warnings);
    }
    let parsed = Parsed {
        opts,
        cmd,
        warnings: String::new(),
    };
    match &parsed.cmd {
        IpCommand::Netns(netns::NetnsCmd::Exec { name, argv }) => {
            let (name, argv) = (name.clone(), argv.clone());
            return netns_exec(proc, host, &parsed.opts, name, argv).await;
        }
        IpCommand::Netns(netns::NetnsCmd::Monitor) => {
            // `ip netns monitor` waits for events until it is killed.
            std::future::pending::<()>().await;
            return 0;
        }
        _ => {}
    }
    if let Some(code) = binary_dumps(&proc, &parsed.cmd).await {
        return code;
    }
    let o = execute(&parsed, &mut host);
    emit(&proc, &o.out, &o.err);
    o.code
}

/// `ip address|route save|showdump|restore`: binary netlink dumps. Only their checks are
/// modelled: a terminal is refused, and what is read must start with iproute2's magic.
async fn binary_dumps(proc: &Proc, cmd: &IpCommand) -> Option<i32> {
    let (what, magic, fail): (&str, u32, i32) = match cmd {
        IpCommand::Addr(addr::AddrCmd::Unsupported(w)) => (w.as_str(), 0x4736_1222, 255),
        IpCommand::Route(route::RouteCmd::Unsupported(w)) => (w.as_str(), 0x4531_1224, 1),
        IpCommand::Addr(addr::AddrCmd::List(f)) if f.save => ("save", 0x4736_1222, 1),
        _ => return None,
    };
    let noun = if fail == 255 { "address" } else { "route" };
    if what == "save" {
        if proc.fd(1).is_some_and(|f| f.is_terminal()) {
            proc.err("Not sending a binary stream to stdout\n");
            return Some(1);
        }
        // TODO: the dumped messages themselves; only the magic is written.
        proc.out(magic.to_le_bytes());
        return Some(0);
    }
    if proc.fd(0).is_some_and(|f| f.is_terminal()) {
        proc.err(format!("Can't restore {noun} dump from a terminal\n"));
        return Some(fail);
    }
    let data = proc.read_stdin_all().await;
    let got = data
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    match got {
        Some(m) if m == magic => Some(0),
        _ => {
            proc.err(format!(
                "Magic mismatch ({} elems, {:x} magic)\n",
                usize::from(got.is_some()),
                got.unwrap_or(0)
            ));
            Some(fail)
        }
    }
}

/// One command of a batch file: the number of its (last) line and its words.
pub type BatchLine = (usize, Vec<String>);

/// `getcmdline()` and `makeargs()` of lib/utils.c: the commands of a batch file, each with the
/// number of its (last) line. `#` starts a comment, `\` at the end of a line continues it,
/// quotes group words. `Err`: iproute2's message for an unterminated quote or continuation.
pub fn batch_lines(text: &str) -> Result<Vec<BatchLine>, (Vec<BatchLine>, String)> {
    let mut out = Vec::new();
    let mut lines = text.split_inclusive('\n');
    let mut lineno = 0;
    while let Some(first) = lines.next() {
        lineno += 1;
        let strip = |l: &str| -> String {
            match l.find('#') {
                Some(i) => l[..i].to_string(),
                None => l.to_string(),
            }
        };
        let mut line = strip(first);
        while let Some(i) = line.find("\\\n") {
            let Some(next) = lines.next() else {
                return Err((out, "Missing continuation line\n".to_string()));
            };
            lineno += 1;
            line.truncate(i);
            line.push_str(&strip(next));
        }
        let mut words = Vec::new();
        let mut rest = line.as_str();
        loop {
            rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
            let Some(c) = rest.chars().next() else { break };
            if c == '\'' || c == '"' {
                let body = &rest[1..];
                let Some(end) = body.find(c) else {
                    return Err((out, "Unterminated quoted string\n".to_string()));
                };
                words.push(body[..end].to_string());
                rest = &body[end + 1..];
            } else {
                let end = rest.find([' ', '\t', '\r', '\n']).unwrap_or(rest.len());
                words.push(rest[..end].to_string());
                rest = &rest[end..];
                if rest.is_empty() {
                    break;
                }
                rest = &rest[1..];
            }
        }
        if !words.is_empty() {
            out.push((lineno, words));
        }
    }
    Ok(out)
}

/// `ip -batch FILE` (`-` is standard input): one `ip` command a line. A command that fails
/// prints `Command failed FILE:LINE` and stops the batch unless `-force` is given; one that
/// `exit()`s in iproute2 (status 255 here) ends `ip` at once.
async fn run_batch(proc: &Proc, host: &mut LabHost, opts: &Opts, name: &str) -> i32 {
    let text = if name == "-" {
        String::from_utf8_lossy(&proc.read_stdin_all().await).into_owned()
    } else {
        let opened = proc
            .sys
            .open(&proc.cwd, name, tsunagi_lab::OpenMode::READ, proc.netns);
        let data = match opened {
            Ok(f) => f.read_to_end().await,
            Err(e) => Err(e),
        };
        match data {
            Ok(d) => String::from_utf8_lossy(&d).into_owned(),
            Err(e) => {
                proc.err(format!("Cannot open file \"{name}\" for reading: {e}\n"));
                return 1;
            }
        }
    };
    let (cmds, tail_err) = match batch_lines(&text) {
        Ok(c) => (c, None),
        Err((c, e)) => (c, Some(e)),
    };
    let mut ret = 0;
    for (lineno, argv) in cmds {
        let mut warnings = String::new();
        let code = match parse_object(opts, &argv, &mut warnings) {
            Err(e) => {
                emit(proc, &e.stdout, &format!("{warnings}{}", e.stderr));
                e.code
            }
            Ok(IpCommand::Netns(netns::NetnsCmd::Exec {
                name: Some(ns_name),
                argv: cmd,
            })) => {
                // In batch mode `ip netns exec` forks and waits.
                match host.netns_by_name(&ns_name) {
                    None => {
                        proc.err(format!(
                            "Cannot open network namespace \"{ns_name}\": No such file or directory\n"
                        ));
                        255
                    }
                    Some(_) if cmd.is_empty() => {
                        proc.err("No command specified\n");
                        1
                    }
                    Some(ns) => {
                        let mut spec = proc.child_spec(cmd.clone());
                        spec.netns = ns;
                        match proc.spawn(spec) {
                            Ok(pid) => proc.wait(pid).await.code(),
                            Err(e) => {
                                proc.err(format!("exec of \"{}\" failed: {e}\n", cmd[0]));
                                1
                            }
                        }
                    }
                }
            }
            Ok(cmd) => {
                if !warnings.is_empty() {
                    proc.err(&warnings);
                }
                let parsed = Parsed {
                    opts: opts.clone(),
                    cmd,
                    warnings: String::new(),
                };
                let o = execute(&parsed, host);
                emit(proc, &o.out, &o.err);
                o.code
            }
        };
        if code == 255 {
            return 255;
        }
        if code != 0 {
            proc.err(format!("Command failed {name}:{lineno}\n"));
            ret = 1;
            if !opts.force {
                return ret;
            }
        }
    }
    if let Some(e) = tail_err {
        proc.err(e);
        return 1;
    }
    ret
}

/// `ip netns exec NAME CMD...` and `ip -all netns exec CMD...`.
async fn netns_exec(
    mut proc: Proc,
    host: LabHost,
    opts: &Opts,
    name: Option<String>,
    argv: Vec<String>,
) -> i32 {
    if opts.all {
        if argv.is_empty() {
            proc.err("No command specified\n");
            return 1;
        }
        for ns_name in host.netns_names() {
            proc.out(format!("\nnetns: {ns_name}\n"));
            let Some(ns) = host.netns_by_name(&ns_name) else {
                proc.err(format!(
                    "Cannot open network namespace \"{ns_name}\": No such file or directory\n"
                ));
                continue;
            };
            let mut spec = proc.child_spec(argv.clone());
            spec.netns = ns;
            match proc.spawn(spec) {
                Ok(pid) => {
                    proc.wait(pid).await;
                }
                Err(e) => {
                    proc.err(format!("exec of \"{}\" failed: {e}\n", argv[0]));
                }
            }
        }
        return 0;
    }
    let Some(name) = name else {
        proc.err("No netns name specified\n");
        return 1;
    };
    if argv.is_empty() {
        proc.err("No command specified\n");
        return 1;
    }
    let ns = if name.contains('/') {
        None
    } else {
        host.netns_by_name(&name)
    };
    let Some(ns) = ns else {
        proc.err(format!(
            "Cannot open network namespace \"{name}\": No such file or directory\n"
        ));
        return 255;
    };
    proc.sys.set_netns(proc.pid, ns);
    proc.netns = ns;
    let cmd = argv[0].clone();
    match proc.exec(argv).await {
        Ok(code) => code,
        Err((e, proc)) => {
            proc.err(format!("exec of \"{cmd}\" failed: {e}\n"));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Parsed, IpError> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_args(&v)
    }

    #[test]
    fn global_options() {
        assert_eq!(p(&["-V"]).unwrap().cmd, IpCommand::Version);
        assert_eq!(p(&["-Version"]).unwrap().cmd, IpCommand::Version);
        let x = p(&["-4", "-br", "-o", "-s", "-s", "-d", "a"]).unwrap();
        assert_eq!(x.opts.family, Family::Inet);
        assert!(x.opts.brief && x.opts.oneline);
        assert_eq!((x.opts.stats, x.opts.details), (2, 1));
        let x = p(&["--all", "netns", "delete"]).unwrap();
        assert!(x.opts.all);
        let x = p(&["-n", "ns1", "link"]).unwrap();
        assert_eq!(x.opts.netns.as_deref(), Some("ns1"));
        assert_eq!(
            p(&["-color=never", "l"]).unwrap().opts.color,
            ColorOpt::Never
        );
        assert_eq!(p(&["-c", "l"]).unwrap().opts.color, ColorOpt::Always);
        let e = p(&["-z", "link"]).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            ("Option \"-z\" is unknown, try \"ip -help\".\n", 255)
        );
        assert_eq!(
            p(&["--foo", "link"]).unwrap_err().stderr,
            "Option \"-foo\" is unknown, try \"ip -help\".\n"
        );
        assert_eq!(p(&[]).unwrap_err().stderr, USAGE);
        assert_eq!(p(&["help"]).unwrap_err().code, 255);
        assert_eq!(
            p(&["-n"]).unwrap_err().stderr,
            "Cannot open network namespace \"(null)\": No such file or directory\n"
        );
    }

    #[test]
    fn batch_files() {
        let text =
            "link add v0 type veth \\\n peer name v1 # c\n# only a comment\n\nlink show \"l\"o\n";
        let cmds = batch_lines(text).unwrap();
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].0, 2);
        assert_eq!(cmds[0].1.join(" "), "link add v0 type veth peer name v1");
        assert_eq!(
            cmds[1],
            (
                5,
                vec!["link".into(), "show".into(), "l".into(), "o".into()]
            )
        );
        assert_eq!(
            batch_lines("a 'b\n").unwrap_err().1,
            "Unterminated quoted string\n"
        );
        assert_eq!(
            batch_lines("a \\\n").unwrap_err().1,
            "Missing continuation line\n"
        );
    }

    #[test]
    fn objects_and_abbreviations() {
        for (args, want) in [
            (&["a"][..], "addr"),
            (&["addr"], "addr"),
            (&["address", "s"], "addr"),
            (&["a", "sh"], "addr"),
            (&["a", "ls"], "addr"),
            (&["a", "lst"], "addr"),
            (&["r"], "route"),
            (&["ro"], "route"),
            (&["n"], "neigh"),
            (&["neighbor"], "neigh"),
            (&["neighbour", "show"], "neigh"),
            (&["l"], "link"),
            (&["li"], "link"),
            (&["netns"], "netns"),
        ] {
            let got = match p(args).unwrap().cmd {
                IpCommand::Addr(_) => "addr",
                IpCommand::Route(_) => "route",
                IpCommand::Neigh(_) => "neigh",
                IpCommand::Link(_) => "link",
                IpCommand::Netns(_) => "netns",
                _ => "other",
            };
            assert_eq!(got, want, "{args:?}");
        }
        let e = p(&["foo"]).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            ("Object \"foo\" is unknown, try \"ip help\".\n", 1)
        );
        assert_eq!(p(&["ru"]).unwrap().cmd, IpCommand::RuleShow);
        assert_eq!(
            p(&["ru", "add"]).unwrap().cmd,
            IpCommand::Unsupported("rule")
        );
        let e = p(&["link", "foo"]).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            ("Command \"foo\" is unknown, try \"ip link help\".\n", 255)
        );
        let e = p(&["addr", "foo"]).unwrap_err();
        assert_eq!(
            e.stderr,
            "Command \"foo\" is unknown, try \"ip address help\".\n"
        );
        let e = p(&["route", "foo"]).unwrap_err();
        assert_eq!(
            e.stderr,
            "Command \"foo\" is unknown, try \"ip route help\".\n"
        );
    }
}

#[cfg(test)]
mod run_tests {
    use super::host::FakeHost;
    use super::*;

    fn run(args: &[&str]) -> Outcome {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse_args(&v) {
            Ok(p) => execute(&p, &mut FakeHost::new()),
            Err(e) => Outcome::err(e),
        }
    }

    #[test]
    fn runs_against_a_host() {
        let o = run(&["-o", "link", "show", "x0"]);
        assert_eq!(o.code, 0);
        assert!(o
            .out
            .starts_with("4: x0@if9: <NO-CARRIER,BROADCAST,MULTICAST,UP>"));
        assert!(o.out.ends_with("link-netns ns1\n"), "{}", o.out);
        let o = run(&["-br", "addr"]);
        assert_eq!(
            o.out,
            "lo               UNKNOWN        127.0.0.1/8 \n\
             v1@v0            DOWN           \n\
             v0@v1            LOWERLAYERDOWN 192.0.2.1/24 \n\
             x0@if9           LOWERLAYERDOWN \n"
        );
        let o = run(&["route"]);
        assert_eq!(
            o.out,
            "default via 192.0.2.254 dev v0 \n192.0.2.0/24 dev v0 proto kernel scope link \n"
        );
        let o = run(&["neigh"]);
        assert_eq!(
            o.out,
            "192.0.2.254 dev v0 lladdr 00:00:5e:00:53:fe REACHABLE \n"
        );
        let o = run(&["netns"]);
        assert_eq!(o.out, "ns1 (id: 0)\n");
        let o = run(&["link", "set", "nosuch", "up"]);
        assert_eq!(
            (o.err.as_str(), o.code),
            ("Cannot find device \"nosuch\"\n", 1)
        );
        let o = run(&["addr", "show", "dev", "nosuch"]);
        assert_eq!(
            (o.err.as_str(), o.code),
            ("Device \"nosuch\" does not exist.\n", 1)
        );
    }

    #[test]
    fn json_output() {
        let o = run(&["-j", "route"]);
        assert_eq!(
            o.out,
            "[{\"dst\":\"default\",\"gateway\":\"192.0.2.254\",\"dev\":\"v0\",\"flags\":[]},\
             {\"dst\":\"192.0.2.0/24\",\"dev\":\"v0\",\"protocol\":\"kernel\",\"scope\":\"link\",\"flags\":[]}]\n"
        );
        let o = run(&["-j", "-br", "link", "show", "v0"]);
        assert_eq!(
            o.out,
            "[{\"link\":\"v1\",\"ifname\":\"v0\",\"operstate\":\"LOWERLAYERDOWN\",\
             \"address\":\"02:00:5e:00:53:03\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\",\"M-DOWN\"]}]\n"
        );
        let o = run(&["-j", "-p", "netns"]);
        assert_eq!(
            o.out,
            "[ {\n        \"name\": \"ns1\",\n        \"id\": 0\n    } ]\n"
        );
        let o = run(&["-j", "-p", "route", "show", "table", "100"]);
        assert_eq!((o.out.as_str(), o.code), ("[ ", 2));
    }
}

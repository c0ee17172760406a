//! `ip netns`: named network namespaces (ip-netns(8), iproute2 ip/ipnetns.c).
//!
//! `add`, `list` (newest first, with `(id: N)` once the current namespace has an id for the
//! other one), `delete` (also `ip -all netns delete`), `identify`, `pids`, `set`, `list-id`,
//! and the parsing of `exec`; running the command of `exec` needs the process itself and is
//! done by `ip::run`. The messages and exit statuses are iproute2's: most failures return -1
//! from the C function, which `ip` turns into exit status 1; name validation calls `exit(-1)`
//! (status 255).

use super::host::Host;
use super::print::Out;
use super::utils::{duparg, get_integer, invarg, matches, Args, IpError, IpResult};
use super::Opts;

/// `/run/netns`: where iproute2 keeps one file per named namespace.
pub const NETNS_RUN_DIR: &str = "/run/netns";

/// An `ip netns` command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetnsCmd {
    List,
    ListId {
        target_nsid: Option<i32>,
        nsid: Option<i32>,
    },
    Add {
        name: Option<String>,
    },
    Attach {
        name: Option<String>,
        pid: Option<String>,
    },
    Set {
        name: Option<String>,
        nsid: Option<String>,
    },
    Delete {
        name: Option<String>,
    },
    Identify {
        args: Vec<String>,
    },
    Pids {
        args: Vec<String>,
    },
    /// `exec NAME CMD...`, or with `-all` `exec CMD...` (then `name` is `None`).
    Exec {
        name: Option<String>,
        argv: Vec<String>,
    },
    Monitor,
}

pub const USAGE: &str = "Usage:\tip netns list\n\
\tip netns add NAME\n\
\tip netns attach NAME PID\n\
\tip netns set NAME NETNSID\n\
\tip [-all] netns delete [NAME]\n\
\tip netns identify [PID]\n\
\tip netns pids NAME\n\
\tip [-all] netns exec [NAME] cmd ...\n\
\tip netns monitor\n\
\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n\
NETNSID := auto | POSITIVE-INT\n";

fn usage() -> IpError {
    IpError::raw(USAGE, 255)
}

/// `invalid_name()`.
pub fn invalid_name(name: &str) -> bool {
    name.is_empty() || name.len() > 255 || name.contains('/') || name == "." || name == ".."
}

/// `do_netns()` up to the point where it acts.
pub fn parse(argv: &[String], opts: &Opts) -> IpResult<NetnsCmd> {
    let Some(first) = argv.first() else {
        return Ok(NetnsCmd::List);
    };
    if !opts.all {
        if let Some(name) = argv.get(1) {
            if invalid_name(name) {
                return Err(IpError::new(format!("Invalid netns name \"{name}\""), 255));
            }
        }
    }
    let rest = &argv[1..];
    let first = first.as_str();
    let name = || rest.first().cloned();
    if matches(first, "list") || matches(first, "show") || matches(first, "lst") {
        return Ok(NetnsCmd::List);
    }
    if matches(first, "list-id") {
        return parse_list_id(rest);
    }
    if matches(first, "help") {
        return Err(usage());
    }
    if matches(first, "add") {
        return Ok(NetnsCmd::Add { name: name() });
    }
    if matches(first, "set") {
        return Ok(NetnsCmd::Set {
            name: name(),
            nsid: rest.get(1).cloned(),
        });
    }
    if matches(first, "delete") {
        return Ok(NetnsCmd::Delete { name: name() });
    }
    if matches(first, "identify") {
        return Ok(NetnsCmd::Identify {
            args: rest.to_vec(),
        });
    }
    if matches(first, "pids") {
        return Ok(NetnsCmd::Pids {
            args: rest.to_vec(),
        });
    }
    if matches(first, "exec") {
        if opts.all {
            return Ok(NetnsCmd::Exec {
                name: None,
                argv: rest.to_vec(),
            });
        }
        return Ok(NetnsCmd::Exec {
            name: name(),
            argv: rest.get(1..).unwrap_or(&[]).to_vec(),
        });
    }
    if matches(first, "monitor") {
        return Ok(NetnsCmd::Monitor);
    }
    if matches(first, "attach") {
        return Ok(NetnsCmd::Attach {
            name: name(),
            pid: rest.get(1).cloned(),
        });
    }
    Err(IpError::new(
        format!("Command \"{first}\" is unknown, try \"ip netns help\"."),
        255,
    ))
}

fn parse_list_id(argv: &[String]) -> IpResult<NetnsCmd> {
    let mut a = Args::new(argv);
    let mut target_nsid: Option<i32> = None;
    let mut nsid: Option<i32> = None;
    while let Some(arg) = a.cur() {
        if arg == "target-nsid" {
            if target_nsid.is_some() {
                return Err(duparg("target-nsid", arg));
            }
            let v = a.next_arg()?;
            match get_integer(v, 0) {
                None => return Err(invarg("\"target-nsid\" value is invalid", v)),
                Some(n) if n < 0 => {
                    return Err(invarg("\"target-nsid\" value should be >= 0", v));
                }
                Some(n) => target_nsid = Some(n),
            }
        } else if arg == "nsid" {
            if nsid.is_some() {
                return Err(duparg("nsid", arg));
            }
            let v = a.next_arg()?;
            match get_integer(v, 0) {
                None => return Err(invarg("\"nsid\" value is invalid", v)),
                Some(n) if n < 0 => return Err(invarg("\"nsid\" value should be >= 0", v)),
                Some(n) => nsid = Some(n),
            }
        } else {
            return Err(usage());
        }
        a.advance();
    }
    Ok(NetnsCmd::ListId { target_nsid, nsid })
}

/// The outcome of a command that ran: what it printed and its exit status.
pub struct Done {
    pub out: String,
    pub err: String,
    pub code: i32,
}

impl Done {
    fn ok(out: String) -> Done {
        Done {
            out,
            err: String::new(),
            code: 0,
        }
    }
    fn fail(out: String, err: String, code: i32) -> Done {
        Done { out, err, code }
    }
}

/// `netns_map_init()`: the names of the namespaces the current one has ids for, by id. When
/// two names lead to one namespace, the first in `readdir` order wins.
pub fn nsid_names(host: &mut dyn Host) -> std::collections::BTreeMap<i32, String> {
    let mut map = std::collections::BTreeMap::new();
    for name in host.netns_names() {
        if let Some(ns) = host.netns_by_name(&name) {
            if let Some(id) = host.nsid_of(ns) {
                if id >= 0 {
                    map.entry(id).or_insert(name);
                }
            }
        }
    }
    map
}

/// Runs every `ip netns` command but `exec`.
pub fn run(cmd: &NetnsCmd, host: &mut dyn Host, opts: &Opts) -> Done {
    let mut out = Out::new(opts.oneline);
    match cmd {
        NetnsCmd::List if opts.json => {
            let mut w = super::json::JsonWriter::new(opts.pretty);
            for name in host.netns_names() {
                w.start_object();
                w.str_field("name", &name);
                if let Some(id) = host.netns_by_name(&name).and_then(|ns| host.nsid_of(ns)) {
                    if id >= 0 {
                        w.int_field("id", i64::from(id));
                    }
                }
                w.end_object();
            }
            Done::ok(w.finish())
        }
        NetnsCmd::List => {
            for name in host.netns_names() {
                out.s(&name);
                if let Some(id) = host.netns_by_name(&name).and_then(|ns| host.nsid_of(ns)) {
                    if id >= 0 {
                        out.s(&format!(" (id: {id})"));
                    }
                }
                out.s("\n");
            }
            Done::ok(out.take())
        }
        NetnsCmd::ListId { target_nsid, nsid } => {
            if target_nsid.is_some() {
                // Dumping the ids another namespace holds is not modelled.
                return Done::fail(
                    String::new(),
                    "RTNETLINK answers: Operation not supported\n".into(),
                    2,
                );
            }
            // Every id the kernel lists, named when a name in /run/netns leads there.
            let names = nsid_names(host);
            for (id, _) in host.nsid_dump() {
                if nsid.is_some_and(|n| n != id) {
                    continue;
                }
                out.s(&format!("nsid {id} "));
                if let Some(name) = names.get(&id) {
                    out.s(&format!("(iproute2 netns name: {name})"));
                }
                out.s("\n");
            }
            Done::ok(out.take())
        }
        NetnsCmd::Add { name } => {
            let Some(name) = name else {
                return Done::fail(String::new(), "No netns name specified\n".into(), 1);
            };
            let res = if name.contains('/') || name.is_empty() {
                Err(tsunagi_kernel::Errno::ENOENT)
            } else if name.len() > 255 {
                Err(tsunagi_kernel::Errno::ENAMETOOLONG)
            } else {
                host.netns_add(name).map(|_| ())
            };
            match res {
                Ok(()) => Done::ok(String::new()),
                Err(e) => Done::fail(
                    String::new(),
                    format!("Cannot create namespace file \"{NETNS_RUN_DIR}/{name}\": {e}\n"),
                    1,
                ),
            }
        }
        NetnsCmd::Attach { name, pid } => {
            let (Some(name), Some(pid)) = (name, pid) else {
                return Done::fail(String::new(), "No netns name and PID specified\n".into(), 1);
            };
            match super::utils::get_s32(pid, 0) {
                // TODO(lab): naming the namespace of a process needs a lab call.
                Some(p) if p != 0 => Done::fail(
                    String::new(),
                    format!(
                        "Bind /proc/{p}/ns/net -> {NETNS_RUN_DIR}/{name} failed: Operation not supported\n"
                    ),
                    1,
                ),
                _ => Done::fail(String::new(), format!("Invalid PID: {pid}\n"), 1),
            }
        }
        NetnsCmd::Set { name, nsid } => {
            let Some(name) = name else {
                return Done::fail(String::new(), "No netns name specified\n".into(), 1);
            };
            let Some(nsid) = nsid else {
                return Done::fail(String::new(), "No nsid specified\n".into(), 1);
            };
            let id = if nsid == "auto" {
                None
            } else {
                match get_integer(nsid, 0) {
                    None => {
                        let e = invarg("Invalid \"netnsid\" value", nsid);
                        return Done::fail(String::new(), e.stderr, e.code);
                    }
                    Some(n) if n < 0 => {
                        let e = invarg("\"netnsid\" value should be >= 0", nsid);
                        return Done::fail(String::new(), e.stderr, e.code);
                    }
                    Some(n) => Some(n),
                }
            };
            let Some(ns) = host.netns_by_name(name) else {
                return Done::fail(
                    String::new(),
                    format!(
                        "Cannot open network namespace \"{name}\": No such file or directory\n"
                    ),
                    1,
                );
            };
            match host.nsid_set(ns, id) {
                Ok(()) => Done::ok(String::new()),
                Err(e) => Done::fail(String::new(), format!("{e}\n"), 2),
            }
        }
        NetnsCmd::Delete { name } => {
            if opts.all {
                for n in host.netns_names() {
                    if let Err(e) = host.netns_delete(&n) {
                        // netns_foreach stops at the first failure but still returns 0.
                        return Done::fail(
                            String::new(),
                            format!("Cannot remove namespace file \"{NETNS_RUN_DIR}/{n}\": {e}\n"),
                            0,
                        );
                    }
                }
                return Done::ok(String::new());
            }
            let Some(name) = name else {
                return Done::fail(String::new(), "No netns name specified\n".into(), 1);
            };
            let res = if name.contains('/') {
                Err(tsunagi_kernel::Errno::ENOENT)
            } else {
                host.netns_delete(name)
            };
            match res {
                Ok(()) => Done::ok(String::new()),
                Err(e) => Done::fail(
                    String::new(),
                    format!("Cannot remove namespace file \"{NETNS_RUN_DIR}/{name}\": {e}\n"),
                    1,
                ),
            }
        }
        NetnsCmd::Identify { args } => {
            let pid = match args.len() {
                0 => host.self_pid().to_string(),
                1 => {
                    let p = &args[0];
                    if !p.bytes().all(|c| c.is_ascii_digit()) {
                        return Done::fail(
                            String::new(),
                            format!("Specified string '{p}' is not a pid\n"),
                            1,
                        );
                    }
                    p.clone()
                }
                _ => {
                    return Done::fail(String::new(), "extra arguments specified\n".into(), 1);
                }
            };
            let ns = pid.parse::<u32>().ok().and_then(|p| host.pid_netns(p));
            let Some(ns) = ns else {
                return Done::fail(
                    String::new(),
                    "Cannot open network namespace: No such file or directory\n".into(),
                    1,
                );
            };
            // The last name in readdir order that leads to the namespace wins.
            let mut found = String::new();
            for n in host.netns_names() {
                if host.netns_by_name(&n) == Some(ns) {
                    found = n;
                }
            }
            Done::ok(format!("{found}\n"))
        }
        NetnsCmd::Pids { args } => {
            if args.is_empty() {
                return Done::fail(String::new(), "No netns name specified\n".into(), 1);
            }
            if args.len() > 1 {
                return Done::fail(String::new(), "extra arguments specified\n".into(), 1);
            }
            let name = &args[0];
            let ns = if name.contains('/') {
                None
            } else {
                host.netns_by_name(name)
            };
            let Some(ns) = ns else {
                return Done::fail(
                    String::new(),
                    "Cannot open network namespace: No such file or directory\n".into(),
                    1,
                );
            };
            for p in host.pids_in(ns) {
                out.s(&format!("{p}\n"));
            }
            Done::ok(out.take())
        }
        NetnsCmd::Exec { .. } | NetnsCmd::Monitor => Done::ok(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> IpResult<NetnsCmd> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&v, &Opts::default())
    }

    #[test]
    fn parses_subcommands_and_abbreviations() {
        assert_eq!(p(&[]), Ok(NetnsCmd::List));
        assert_eq!(p(&["l"]), Ok(NetnsCmd::List));
        assert_eq!(p(&["s"]), Ok(NetnsCmd::List));
        assert_eq!(
            p(&["a", "x"]),
            Ok(NetnsCmd::Add {
                name: Some("x".into())
            })
        );
        assert_eq!(
            p(&["d", "x"]),
            Ok(NetnsCmd::Delete {
                name: Some("x".into())
            })
        );
        assert_eq!(
            p(&["exec", "x", "ip", "a"]),
            Ok(NetnsCmd::Exec {
                name: Some("x".into()),
                argv: vec!["ip".into(), "a".into()]
            })
        );
        assert_eq!(
            p(&["foo"]).unwrap_err().stderr,
            "Command \"foo\" is unknown, try \"ip netns help\".\n"
        );
        let e = p(&["add", "a/b"]).unwrap_err();
        assert_eq!(
            (e.stderr.as_str(), e.code),
            ("Invalid netns name \"a/b\"\n", 255)
        );
        assert_eq!(p(&["add", ".."]).unwrap_err().code, 255);
        assert_eq!(
            p(&["add", ""]).unwrap_err().stderr,
            "Invalid netns name \"\"\n"
        );
        assert_eq!(p(&["help"]).unwrap_err().stderr, USAGE);
    }
}

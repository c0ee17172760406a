//! The shell's builtins: the commands bash runs inside itself (`cd`, `read`, `set`, `trap`,
//! `wait`, `kill`, ...). They run with the command's redirections already applied to the
//! shell's descriptor table, write through it, and report errors as bash does
//! (`FILE: line N: cd: x: No such file or directory`).
//!
//! Reference: bash(1) "SHELL BUILTIN COMMANDS".

use tsunagi_lab::{ExitStatus, OpenMode, Pid, Signal};

use crate::parser::is_name;
use crate::shell::{
    long_options, read_line, set_long_option, signal_desc, status_word, Ctl, ExecReq, Flow, Shell,
};
use crate::state::{Mode, Value, Var};

const BUILTINS: [&str; 49] = [
    ":",
    ".",
    "[",
    "alias",
    "bg",
    "break",
    "builtin",
    "cd",
    "command",
    "continue",
    "declare",
    "disown",
    "echo",
    "eval",
    "exec",
    "exit",
    "export",
    "false",
    "fg",
    "getopts",
    "hash",
    "help",
    "jobs",
    "kill",
    "let",
    "local",
    "mapfile",
    "printf",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "test",
    "times",
    "trap",
    "true",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
    "caller",
];

/// True if bash has a builtin of this name.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// Where common programs live, for `command -v` and `type`.
pub fn program_path(name: &str) -> String {
    let sbin = [
        "ip",
        "sysctl",
        "tcpdump",
        "iptables",
        "ip6tables",
        "iptables-save",
        "iptables-restore",
        "dnsmasq",
        "dhclient",
        "bridge",
        "arp",
        "ifconfig",
        "route",
        "ethtool",
        "tc",
        "nft",
        "modprobe",
        "sshd",
        "ovs-vsctl",
        "ovs-ofctl",
        "brctl",
        "xtables-nft-multi",
    ];
    if sbin.contains(&name) {
        format!("/usr/sbin/{name}")
    } else {
        format!("/usr/bin/{name}")
    }
}

fn parse_signal(s: &str) -> Option<Signal> {
    Signal::parse(s)
}

/// Trap names: `EXIT`, `ERR`, or a signal name without `SIG`.
fn trap_name(s: &str) -> Option<String> {
    let up = s.to_ascii_uppercase();
    let bare = up.strip_prefix("SIG").unwrap_or(&up);
    match bare {
        "EXIT" | "0" => Some("EXIT".into()),
        "ERR" => Some("ERR".into()),
        "DEBUG" => Some("DEBUG".into()),
        "RETURN" => Some("RETURN".into()),
        _ => parse_signal(s).map(|sig| sig.name().to_string()),
    }
}

impl Shell {
    /// Runs builtin `argv[0]`.
    pub(crate) async fn run_builtin(&mut self, argv: &[String]) -> Flow {
        let name = argv[0].as_str();
        let args = &argv[1..];
        let status = match name {
            ":" | "true" => 0,
            "false" => 1,
            "echo" => {
                let out = if self.dash() {
                    crate::format::echo_dash(args)
                } else {
                    crate::format::echo(args)
                };
                self.write_fd(1, &out)?;
                0
            }
            "printf" => self.b_printf(args)?,
            "pwd" => {
                let p = format!("{}\n", self.st.cwd.to_string_lossy());
                self.write_fd(1, p.as_bytes())?;
                0
            }
            "cd" => self.b_cd(args)?,
            "exit" => return self.b_exit(args),
            "return" => return self.b_return(args),
            "break" | "continue" => return self.b_break(name, args),
            "export" => {
                let st = self.b_export(args)?;
                // bash traces the assignments export makes.
                if self.st.opts.xtrace {
                    for a in args.iter().filter(|a| !a.starts_with('-')) {
                        if let Some((n, v)) = a.split_once('=') {
                            self.xtrace_raw(&format!("{n}={}", crate::shell::quote_for_trace(v)));
                        }
                    }
                }
                st
            }
            "readonly" => self.b_readonly(args)?,
            "unset" => self.b_unset(args),
            "shift" => self.b_shift(args),
            "set" => self.b_set(args)?,
            "read" => self.b_read(args).await?,
            "source" | "." => return self.b_source(name, args).await,
            "eval" => {
                let text = args.join(" ");
                let line = self.st.lineno;
                self.st.status = 0;
                self.st.in_eval += 1;
                let r = self.run_text(&text, line).await;
                self.st.in_eval -= 1;
                self.st.lineno = line;
                return r;
            }
            "local" => {
                if self.st.func_depth == 0 {
                    self.error("local: can only be used in a function");
                    1
                } else {
                    self.b_declare("local", args, true).await?
                }
            }
            "declare" | "typeset" => {
                let local = self.st.func_depth > 0;
                self.b_declare(name, args, local).await?
            }
            "test" | "[" => self.b_test(name, args),
            "trap" => self.b_trap(args)?,
            "wait" => self.b_wait(args).await,
            "jobs" => self.b_jobs(args)?,
            "kill" => self.b_kill(args)?,
            "exec" => {
                if args.is_empty() {
                    self.keep_fds = true;
                    0
                } else {
                    let mut a = args.to_vec();
                    while a.first().is_some_and(|s| s.starts_with('-') && s != "--") {
                        a.remove(0);
                    }
                    if a.first().map(String::as_str) == Some("--") {
                        a.remove(0);
                    }
                    if a.is_empty() {
                        self.keep_fds = true;
                        0
                    } else {
                        let fds = self.st.fds.clone();
                        match self.resolve_program(a, &fds) {
                            Ok(argv) => {
                                let env = self.st.env();
                                return Err(Ctl::Exec(Box::new(ExecReq { argv, env, fds })));
                            }
                            Err(code) => {
                                self.st.status = code;
                                if self.st.mode == Mode::Interactive {
                                    return Ok(());
                                }
                                return Err(Ctl::Exit);
                            }
                        }
                    }
                }
            }
            "command" => return self.b_command(args).await,
            "builtin" => {
                if args.is_empty() {
                    0
                } else if is_builtin(&args[0]) {
                    return Box::pin(self.run_builtin(args)).await;
                } else {
                    self.error(&format!("builtin: {}: not a shell builtin", args[0]));
                    1
                }
            }
            "type" => self.b_type(args)?,
            "let" => {
                if args.is_empty() {
                    self.error("let: expression expected");
                    1
                } else {
                    let mut v = 0;
                    for a in args {
                        v = self.arith(a)?;
                    }
                    i32::from(v == 0)
                }
            }
            "getopts" => self.b_getopts(args),
            "shopt" => self.b_shopt(args)?,
            "hash" | "alias" | "unalias" | "disown" | "help" | "caller" => {
                if name == "disown" {
                    self.st.jobs.clear();
                }
                0
            }
            "umask" => {
                if args.is_empty() {
                    self.write_fd(1, b"0022\n")?;
                }
                0
            }
            "ulimit" => {
                if args.iter().all(|a| a.starts_with('-')) {
                    let v = if args.iter().any(|a| a == "-n") {
                        "1024"
                    } else {
                        "unlimited"
                    };
                    self.write_fd(1, format!("{v}\n").as_bytes())?;
                }
                0
            }
            "times" => {
                self.write_fd(1, b"0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n")?;
                0
            }
            "fg" if self.st.mode == Mode::Interactive => self.b_fg(args).await?,
            "fg" | "bg" => {
                self.error(&format!("{name}: no job control"));
                1
            }
            "mapfile" | "readarray" => self.b_mapfile(name, args).await?,
            _ => 127,
        };
        self.st.status = status;
        Ok(())
    }

    fn b_shopt(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let mut set = None;
        let mut quiet = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-s" => set = Some(true),
                "-u" => set = Some(false),
                "-q" => quiet = true,
                "-p" | "-o" => {}
                _ => names.push(a.clone()),
            }
        }
        let mut status = 0;
        for n in &names {
            let slot = match n.as_str() {
                "nullglob" => Some(&mut self.st.opts.nullglob),
                "dotglob" => Some(&mut self.st.opts.dotglob),
                "expand_aliases"
                | "extglob"
                | "globstar"
                | "nocaseglob"
                | "failglob"
                | "lastpipe"
                | "inherit_errexit"
                | "checkwinsize"
                | "histappend"
                | "cmdhist"
                | "sourcepath"
                | "patsub_replacement"
                | "interactive_comments" => None,
                _ => {
                    self.error(&format!("shopt: {n}: invalid shell option name"));
                    status = 1;
                    continue;
                }
            };
            match (set, slot) {
                (Some(v), Some(s)) => *s = v,
                (None, Some(s)) => {
                    let on = *s;
                    if !quiet {
                        let line = format!("{n:<15}\t{}\n", if on { "on" } else { "off" });
                        self.write_fd(1, line.as_bytes())?;
                    }
                    if !on {
                        status = 1;
                    }
                }
                _ => {}
            }
        }
        Ok(status)
    }

    fn b_printf(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let mut args = args;
        let mut var = None;
        if args.first().map(String::as_str) == Some("-v") {
            var = args.get(1).cloned();
            args = args.get(2..).unwrap_or(&[]);
        }
        if args.first().map(String::as_str) == Some("--") {
            args = &args[1..];
        }
        let Some(fmt) = args.first() else {
            self.error("printf: usage: printf [-v var] format [arguments]");
            return Ok(2);
        };
        let o = crate::format::printf(fmt, &args[1..]);
        for e in &o.errors {
            self.error(&format!("printf: {e}"));
        }
        match var {
            Some(v) => {
                if let Err(m) = self
                    .st
                    .set(&v, String::from_utf8_lossy(&o.out).into_owned())
                {
                    self.error(&m);
                    return Ok(1);
                }
            }
            None => self.write_fd(1, &o.out)?,
        }
        Ok(o.status)
    }

    fn b_cd(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let args: Vec<&String> = args.iter().filter(|a| *a != "-L" && *a != "-P").collect();
        if args.len() > 1 {
            self.error("cd: too many arguments");
            return Ok(1);
        }
        let (target, print) = match args.first().map(|s| s.as_str()) {
            None | Some("") if args.is_empty() => match self.st.get("HOME") {
                Some(h) => (h, false),
                None => {
                    self.error("cd: HOME not set");
                    return Ok(1);
                }
            },
            Some("-") => match self.st.get("OLDPWD") {
                Some(o) => (o, true),
                None => {
                    self.error("cd: OLDPWD not set");
                    return Ok(1);
                }
            },
            Some(t) => (t.to_string(), false),
            None => return Ok(0),
        };
        if target.is_empty() {
            return Ok(0);
        }
        match self.proc.sys.stat(&self.st.cwd, &target, self.proc.netns) {
            Some(true) => {}
            Some(false) => {
                if self.dash() {
                    self.error(&format!("cd: can't cd to {target}"));
                    return Ok(2);
                }
                self.error(&format!("cd: {target}: Not a directory"));
                return Ok(1);
            }
            None => {
                if self.dash() {
                    self.error(&format!("cd: can't cd to {target}"));
                    return Ok(2);
                }
                self.error(&format!("cd: {target}: No such file or directory"));
                return Ok(1);
            }
        }
        let new = normalize(&self.st.cwd, &target);
        let old = self.st.cwd.to_string_lossy().into_owned();
        self.st.cwd = new.clone();
        self.proc.cwd = new.clone();
        let _ = self.st.set("OLDPWD", old);
        let _ = self.st.set("PWD", new.to_string_lossy().into_owned());
        if print {
            self.write_fd(1, format!("{}\n", new.to_string_lossy()).as_bytes())?;
        }
        Ok(0)
    }

    fn b_exit(&mut self, args: &[String]) -> Flow {
        if let Some(a) = args.first() {
            match crate::test::parse_int(a) {
                Some(n) => self.st.status = (n & 0xff) as i32,
                None => {
                    self.error(&format!("exit: {a}: numeric argument required"));
                    self.st.status = 2;
                }
            }
            if args.len() > 1 && self.st.status != 2 {
                self.error("exit: too many arguments");
                self.st.status = 1;
                return Ok(());
            }
        }
        if self.st.mode == Mode::Interactive && self.st.subshell == 0 {
            self.write_err(b"exit\n");
        }
        Err(Ctl::Exit)
    }

    fn b_return(&mut self, args: &[String]) -> Flow {
        if self.st.func_depth == 0 && self.st.source_depth == 0 {
            self.error("return: can only `return' from a function or sourced script");
            self.st.status = 2;
            return Ok(());
        }
        if let Some(a) = args.first() {
            match crate::test::parse_int(a) {
                Some(n) => self.st.status = (n & 0xff) as i32,
                None => {
                    self.error(&format!("return: {a}: numeric argument required"));
                    self.st.status = 2;
                }
            }
        }
        Err(Ctl::Return)
    }

    fn b_break(&mut self, name: &str, args: &[String]) -> Flow {
        let n = match args.first() {
            None => 1,
            Some(a) => match crate::test::parse_int(a) {
                Some(n) if n >= 1 => n as u32,
                Some(_) => {
                    self.error(&format!("{name}: {a}: loop count out of range"));
                    self.st.status = 1;
                    return Ok(());
                }
                None => {
                    self.error(&format!("{name}: {a}: numeric argument required"));
                    self.st.status = 128;
                    return Ok(());
                }
            },
        };
        if self.st.loop_depth == 0 {
            self.error(&format!(
                "{name}: only meaningful in a `for', `while', or `until' loop"
            ));
            self.st.status = 0;
            return Ok(());
        }
        self.st.status = 0;
        let n = n.min(self.st.loop_depth);
        if name == "break" {
            Err(Ctl::Break(n))
        } else {
            Err(Ctl::Continue(n))
        }
    }

    fn assign_arg(&mut self, a: &str) -> Result<Option<String>, String> {
        // `name=value` or `name+=value` or `name`
        if let Some(eq) = a.find('=') {
            let (mut name, value) = (&a[..eq], &a[eq + 1..]);
            let append = name.ends_with('+');
            if append {
                name = &name[..name.len() - 1];
            }
            if !is_name(name) {
                return Err(format!("`{a}': not a valid identifier"));
            }
            let v = if append {
                format!("{}{}", self.st.get(name).unwrap_or_default(), value)
            } else {
                value.to_string()
            };
            self.st.set(name, v)?;
            Ok(Some(name.to_string()))
        } else {
            if !is_name(a) {
                return Err(format!("`{a}': not a valid identifier"));
            }
            Ok(Some(a.to_string()))
        }
    }

    fn b_export(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let mut unexport = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-n" => unexport = true,
                "-p" | "-f" | "--" => {}
                _ => names.push(a.clone()),
            }
        }
        if names.is_empty() {
            let mut out = String::new();
            for (k, v) in &self.st.vars {
                if v.exported {
                    out.push_str(&declare_line(k, v));
                }
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        let mut status = 0;
        for a in names {
            match self.assign_arg(&a) {
                Ok(Some(n)) => {
                    if unexport {
                        if let Some(v) = self.st.vars.get_mut(&n) {
                            v.exported = false;
                        }
                    } else {
                        self.st.export(&n);
                    }
                }
                Ok(None) => {}
                Err(m) => {
                    self.error(&format!("export: {m}"));
                    status = 1;
                }
            }
        }
        Ok(status)
    }

    fn b_readonly(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if names.is_empty() {
            let mut out = String::new();
            for (k, v) in &self.st.vars {
                if v.readonly {
                    out.push_str(&declare_line(k, v));
                }
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        let mut status = 0;
        for a in names {
            match self.assign_arg(a) {
                Ok(Some(n)) => {
                    self.st
                        .vars
                        .entry(n)
                        .or_insert(Var {
                            value: None,
                            exported: false,
                            readonly: false,
                            integer: false,
                        })
                        .readonly = true;
                }
                Ok(None) => {}
                Err(m) => {
                    self.error(&format!("readonly: {m}"));
                    status = 1;
                }
            }
        }
        Ok(status)
    }

    fn b_unset(&mut self, args: &[String]) -> i32 {
        let mut funcs = false;
        let mut status = 0;
        for a in args {
            match a.as_str() {
                "-f" => funcs = true,
                "-v" | "-n" => funcs = false,
                _ => {
                    if funcs {
                        self.st.funcs.remove(a);
                        continue;
                    }
                    let (name, index) = match a.split_once('[') {
                        Some((n, i)) => (n, Some(i.trim_end_matches(']'))),
                        None => (a.as_str(), None),
                    };
                    if !is_name(name) {
                        self.error(&format!("unset: `{a}': not a valid identifier"));
                        status = 1;
                        continue;
                    }
                    if let Some(idx) = index {
                        self.st.unset_element(name, idx);
                        continue;
                    }
                    if self.st.vars.contains_key(name) {
                        if let Err(m) = self.st.unset(name) {
                            self.error(&format!("unset: {m}"));
                            status = 1;
                        }
                    } else {
                        self.st.funcs.remove(name);
                    }
                }
            }
        }
        status
    }

    fn b_shift(&mut self, args: &[String]) -> i32 {
        let n = match args.first() {
            None => 1,
            Some(a) => match crate::test::parse_int(a) {
                Some(n) if n >= 0 => n as usize,
                _ => {
                    self.error(&format!("shift: {a}: numeric argument required"));
                    return 1;
                }
            },
        };
        if n > self.st.positional.len() {
            return 1;
        }
        self.st.positional.drain(..n);
        0
    }

    fn b_set(&mut self, args: &[String]) -> Result<i32, Ctl> {
        if args.is_empty() {
            let mut out = String::new();
            for (k, v) in &self.st.vars {
                if let Some(s) = v.scalar() {
                    if matches!(v.value, Some(Value::Array(_)) | Some(Value::Assoc(_))) {
                        continue;
                    }
                    out.push_str(&format!("{k}={}\n", quote_value(&s)));
                }
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                self.st.positional = args[i + 1..].to_vec();
                return Ok(0);
            }
            if a == "-" {
                self.st.opts.xtrace = false;
                self.st.opts.verbose = false;
                i += 1;
                if i < args.len() {
                    self.st.positional = args[i..].to_vec();
                }
                return Ok(0);
            }
            if a == "-o" || a == "+o" {
                let on = a == "-o";
                match args.get(i + 1) {
                    None => {
                        let mut out = String::new();
                        for (n, v) in long_options(&self.st.opts) {
                            if on {
                                out.push_str(&format!(
                                    "{n:<15}\t{}\n",
                                    if v { "on" } else { "off" }
                                ));
                            } else {
                                out.push_str(&format!("set {}o {n}\n", if v { '-' } else { '+' }));
                            }
                        }
                        self.write_fd(1, out.as_bytes())?;
                        i += 1;
                    }
                    Some(o) => {
                        if !set_long_option(&mut self.st.opts, o, on) {
                            self.error(&format!("set: {o}: invalid option name"));
                            return Ok(2);
                        }
                        i += 2;
                    }
                }
                continue;
            }
            if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 {
                let on = a.starts_with('-');
                let mut takes_name = false;
                for c in a[1..].chars() {
                    let o = &mut self.st.opts;
                    match c {
                        'o' => takes_name = true,
                        'e' => o.errexit = on,
                        'u' => o.nounset = on,
                        'x' => o.xtrace = on,
                        'f' => o.noglob = on,
                        'n' => o.noexec = on,
                        'v' => o.verbose = on,
                        'a' => o.allexport = on,
                        'C' => o.noclobber = on,
                        'E' => o.errtrace = on,
                        'h' | 'B' | 'H' | 'm' | 'b' | 'k' | 'p' | 't' | 'P' | 'T' => {}
                        _ => {
                            self.error(&format!(
                                "set: {}{c}: invalid option",
                                if on { '-' } else { '+' }
                            ));
                            self.write_err(b"set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n");
                            return Ok(2);
                        }
                    }
                }
                i += 1;
                if takes_name {
                    // `set -eo pipefail`: the option name follows.
                    match args.get(i) {
                        Some(o) => {
                            if !set_long_option(&mut self.st.opts, o, on) {
                                self.error(&format!("set: {o}: invalid option name"));
                                return Ok(2);
                            }
                            i += 1;
                        }
                        None => {
                            let mut out = String::new();
                            for (n, v) in long_options(&self.st.opts) {
                                out.push_str(&format!(
                                    "{n:<15}\t{}\n",
                                    if v { "on" } else { "off" }
                                ));
                            }
                            self.write_fd(1, out.as_bytes())?;
                        }
                    }
                }
                continue;
            }
            self.st.positional = args[i..].to_vec();
            return Ok(0);
        }
        Ok(0)
    }

    async fn b_read(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let mut raw = false;
        let mut prompt = None;
        let mut array: Option<String> = None;
        let mut delim = b'\n';
        let mut nchars: Option<usize> = None;
        let mut fd = 0u32;
        let mut timeout: Option<f64> = None;
        let mut names = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a.starts_with('-') && a.len() > 1 && names.is_empty() {
                let mut chars = a[1..].chars();
                while let Some(c) = chars.next() {
                    let rest: String = chars.clone().collect();
                    let take_arg = |i: &mut usize| -> Option<String> {
                        if !rest.is_empty() {
                            Some(rest.clone())
                        } else {
                            *i += 1;
                            args.get(*i).cloned()
                        }
                    };
                    match c {
                        'r' => raw = true,
                        's' => {}
                        'p' => {
                            prompt = take_arg(&mut i);
                            break;
                        }
                        'a' => {
                            array = take_arg(&mut i);
                            break;
                        }
                        'd' => {
                            delim = take_arg(&mut i).and_then(|s| s.bytes().next()).unwrap_or(0);
                            break;
                        }
                        'n' | 'N' => {
                            nchars = take_arg(&mut i).and_then(|s| s.parse().ok());
                            break;
                        }
                        'u' => {
                            fd = take_arg(&mut i).and_then(|s| s.parse().ok()).unwrap_or(0);
                            break;
                        }
                        't' => {
                            timeout = take_arg(&mut i).and_then(|s| s.parse().ok());
                            break;
                        }
                        _ => {
                            self.error(&format!("read: -{c}: invalid option"));
                            self.write_err(b"read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n");
                            return Ok(2);
                        }
                    }
                }
                i += 1;
                continue;
            }
            names.push(a.clone());
            i += 1;
        }
        for n in &names {
            if !is_name(n) {
                self.error(&format!("read: `{n}': not a valid identifier"));
                return Ok(1);
            }
        }
        let Some(input) = self.st.fds.get(&fd).cloned() else {
            self.error(&format!(
                "read: {fd}: invalid file descriptor: Bad file descriptor"
            ));
            return Ok(1);
        };
        if let Some(p) = &prompt {
            if input.is_terminal() {
                self.write_err(p.as_bytes());
            }
        }
        // Read a line (joining backslash-newline continuations unless -r).
        let mut data: Vec<u8> = Vec::new();
        let mut found;
        loop {
            let got = match (nchars, timeout) {
                (Some(n), _) => {
                    let mut buf = Vec::new();
                    let mut hit = false;
                    while buf.len() < n {
                        let chunk = input.read().await.unwrap_or_default();
                        if chunk.is_empty() {
                            break;
                        }
                        let want = n - buf.len();
                        let take = chunk.len().min(want);
                        let part = &chunk[..take];
                        if let Some(k) = part.iter().position(|&b| b == delim) {
                            buf.extend_from_slice(&part[..k]);
                            input.unread(&chunk[k + 1..]);
                            hit = true;
                            break;
                        }
                        buf.extend_from_slice(part);
                        input.unread(&chunk[take..]);
                    }
                    let eof = buf.is_empty() && !hit;
                    (if eof { None } else { Some(buf) }, true)
                }
                (None, Some(t)) => {
                    let d = tsunagi_lab::Duration::from_secs_f64(t);
                    let sys = self.proc.sys.clone();
                    match tsunagi_lab::race(read_line(&input, delim), sys.sleep(d)).await {
                        tsunagi_lab::Either::Left(r) => r,
                        tsunagi_lab::Either::Right(()) => return Ok(142),
                    }
                }
                (None, None) => read_line(&input, delim).await,
            };
            let (line, hit) = got;
            found = hit;
            let Some(mut l) = line else {
                break;
            };
            if !raw && l.last() == Some(&b'\\') && found && delim == b'\n' {
                l.pop();
                data.extend_from_slice(&l);
                continue;
            }
            data.extend_from_slice(&l);
            break;
        }
        let eof = !found;
        let text = String::from_utf8_lossy(&data).into_owned();
        // Backslash removal (not -r).
        let ifs = self.st.ifs();
        let fields_src: Vec<(char, bool)> = if raw {
            text.chars().map(|c| (c, false)).collect()
        } else {
            let mut v = Vec::new();
            let mut it = text.chars();
            while let Some(c) = it.next() {
                if c == '\\' {
                    if let Some(n) = it.next() {
                        v.push((n, true));
                    }
                } else {
                    v.push((c, false));
                }
            }
            v
        };
        if let Some(arr) = array {
            let words = split_read(&fields_src, &ifs, usize::MAX);
            if let Err(m) = self.st.set_array(&arr, words) {
                self.error(&format!("read: {m}"));
                return Ok(1);
            }
            return Ok(i32::from(eof));
        }
        if names.is_empty() {
            let s: String = fields_src.iter().map(|(c, _)| c).collect();
            let _ = self.st.set("REPLY", s);
            return Ok(i32::from(eof));
        }
        let words = split_read(&fields_src, &ifs, names.len());
        for (k, n) in names.iter().enumerate() {
            let v = words.get(k).cloned().unwrap_or_default();
            if let Err(m) = self.st.set(n, v) {
                self.error(&format!("read: {m}"));
                return Ok(1);
            }
        }
        Ok(i32::from(eof))
    }

    async fn b_source(&mut self, name: &str, args: &[String]) -> Flow {
        let Some(file) = args.first() else {
            self.error(&format!("{name}: filename argument required"));
            self.write_err(format!("{name}: usage: {name} filename [arguments]\n").as_bytes());
            self.st.status = 2;
            return Ok(());
        };
        let sys = self.proc.sys.clone();
        let data = match sys.open(&self.st.cwd, file, OpenMode::READ, self.proc.netns) {
            Ok(f) => match f.read_to_end().await {
                Ok(d) => d,
                Err(e) => {
                    self.error(&format!("{file}: {e}"));
                    self.st.status = 1;
                    return Ok(());
                }
            },
            Err(e) => {
                self.error(&format!("{file}: {e}"));
                self.st.status = 1;
                return Ok(());
            }
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        let saved_pos = if args.len() > 1 {
            Some(std::mem::replace(
                &mut self.st.positional,
                args[1..].to_vec(),
            ))
        } else {
            None
        };
        let saved_name = self.st.source_name.replace(file.clone());
        let saved_line = self.st.lineno;
        self.st.source_depth += 1;
        self.st.status = 0;
        let r = self.run_text(&text, 1).await;
        self.st.source_depth -= 1;
        self.st.source_name = saved_name;
        self.st.lineno = saved_line;
        if let Some(p) = saved_pos {
            self.st.positional = p;
        }
        match r {
            Err(Ctl::Return) => Ok(()),
            other => other,
        }
    }

    async fn b_declare(&mut self, name: &str, args: &[String], local: bool) -> Result<i32, Ctl> {
        let mut export = false;
        let mut readonly = false;
        let mut integer = false;
        let mut array = false;
        let mut assoc = false;
        let mut print = false;
        let mut global = false;
        let mut funcs = false;
        let mut names = Vec::new();
        for a in args {
            if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 && names.is_empty() {
                for c in a[1..].chars() {
                    match c {
                        'x' => export = true,
                        'r' => readonly = true,
                        'i' => integer = true,
                        'a' => array = true,
                        'A' => {
                            array = true;
                            assoc = true;
                        }
                        'p' => print = true,
                        'g' => global = true,
                        'f' | 'F' => funcs = true,
                        _ => {}
                    }
                }
            } else {
                names.push(a.clone());
            }
        }
        if funcs {
            return Ok(0);
        }
        if names.is_empty() || print {
            let mut out = String::new();
            if names.is_empty() {
                for (k, v) in &self.st.vars {
                    out.push_str(&declare_line(k, v));
                }
            } else {
                for n in &names {
                    match self.st.vars.get(n) {
                        Some(v) => out.push_str(&declare_line(n, v)),
                        None => {
                            self.error(&format!("{name}: {n}: not found"));
                        }
                    }
                }
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        let mut status = 0;
        for a in names {
            let (n, value) = match a.find('=') {
                Some(eq) => (a[..eq].to_string(), Some(a[eq + 1..].to_string())),
                None => (a.clone(), None),
            };
            let (n, append) = match n.strip_suffix('+') {
                Some(b) => (b.to_string(), true),
                None => (n, false),
            };
            if !is_name(&n) {
                self.error(&format!("{name}: `{a}': not a valid identifier"));
                status = 1;
                continue;
            }
            if local && !global {
                self.st.make_local(&n);
            }
            if let Some(mut v) = value {
                if let Some(body) = v.strip_prefix(crate::parser::COMPOUND_MARK) {
                    // `name=(...)`: elements, some `[key]=value`.
                    let items: Vec<&str> = body
                        .split(crate::parser::ELEMENT_SEP)
                        .filter(|s| !s.is_empty())
                        .collect();
                    if assoc || self.st.is_assoc(&n) {
                        let var = self.st.vars.entry(n.clone()).or_insert(Var {
                            value: None,
                            exported: false,
                            readonly: false,
                            integer: false,
                        });
                        if !append {
                            var.value = Some(Value::Assoc(Vec::new()));
                        }
                        for item in items {
                            let (k, val) = item
                                .strip_prefix('[')
                                .and_then(|r| r.split_once("]="))
                                .unwrap_or(("0", item));
                            let _ = self.st.assoc_set(&n, k, val.to_string());
                        }
                    } else {
                        if !append {
                            let _ = self.st.set_array(&n, Vec::new());
                        }
                        let mut next = self
                            .st
                            .keys(&n)
                            .iter()
                            .filter_map(|k| k.parse::<i64>().ok())
                            .max()
                            .map(|m| m + 1)
                            .unwrap_or(0);
                        for item in items {
                            let (i, val) =
                                match item.strip_prefix('[').and_then(|r| r.split_once("]=")) {
                                    Some((k, val)) => (self.arith(k)?, val),
                                    None => (next, item),
                                };
                            next = i + 1;
                            if let Err(m) = self.st.set_index(&n, i, val.to_string()) {
                                self.error(&m);
                                status = 1;
                            }
                        }
                    }
                } else {
                    if integer || self.st.vars.get(&n).is_some_and(|v| v.integer) {
                        let expr = if append {
                            format!("{}+({v})", self.st.get(&n).unwrap_or_else(|| "0".into()))
                        } else {
                            v.clone()
                        };
                        v = self.arith(&expr)?.to_string();
                    } else if append {
                        v = format!("{}{v}", self.st.get(&n).unwrap_or_default());
                    }
                    if let Err(m) = self.st.set(&n, v) {
                        self.error(&m);
                        status = 1;
                    }
                }
            } else if assoc && !self.st.is_set(&n) {
                let v = self.st.vars.entry(n.clone()).or_insert(Var {
                    value: None,
                    exported: false,
                    readonly: false,
                    integer: false,
                });
                v.value = Some(Value::Assoc(Vec::new()));
            } else if array && !self.st.is_set(&n) {
                let _ = self.st.set_array(&n, Vec::new());
            }
            let var = self.st.vars.entry(n).or_insert(Var {
                value: None,
                exported: false,
                readonly: false,
                integer: false,
            });
            if export {
                var.exported = true;
            }
            if readonly {
                var.readonly = true;
            }
            if integer {
                var.integer = true;
            }
        }
        Ok(status)
    }

    fn b_test(&mut self, name: &str, args: &[String]) -> i32 {
        let mut args = args.to_vec();
        if name == "[" {
            if args.last().map(String::as_str) != Some("]") {
                self.error("[: missing `]'");
                return 2;
            }
            args.pop();
        }
        let t = crate::test::Tester {
            sys: &self.proc.sys,
            cwd: &self.st.cwd,
            netns: self.proc.netns,
            fds: &self.st.fds,
        };
        match t.test(&args) {
            Ok(b) => i32::from(!b),
            Err(m) => {
                self.error(&format!("{name}: {m}"));
                2
            }
        }
    }

    fn b_trap(&mut self, args: &[String]) -> Result<i32, Ctl> {
        if args.is_empty() || args[0] == "-p" {
            let only: Vec<String> = args.iter().skip(1).filter_map(|a| trap_name(a)).collect();
            let mut out = String::new();
            for (k, v) in &self.st.traps {
                if only.is_empty() || only.contains(k) {
                    let name = if ["EXIT", "ERR", "DEBUG", "RETURN"].contains(&k.as_str()) {
                        k.clone()
                    } else {
                        format!("SIG{k}")
                    };
                    out.push_str(&format!("trap -- {} {name}\n", quote_value_single(v)));
                }
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        if args[0] == "-l" {
            let mut out = String::new();
            for n in 1..=15 {
                if let Some(s) = Signal::from_number(n) {
                    out.push_str(&format!("{n:2}) SIG{}\n", s.name()));
                }
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        let mut args = args;
        if args[0] == "--" {
            args = &args[1..];
        }
        // `trap SIG` (one argument that is a signal) resets it.
        let (action, sigs): (Option<&str>, &[String]) = if args.len() == 1 {
            (None, args)
        } else if args[0] == "-" {
            (None, &args[1..])
        } else {
            (Some(args[0].as_str()), &args[1..])
        };
        let mut status = 0;
        for s in sigs {
            let Some(n) = trap_name(s) else {
                self.error(&format!("trap: {s}: invalid signal specification"));
                status = 1;
                continue;
            };
            let sig = Signal::parse(&n);
            match action {
                None => {
                    self.st.traps.remove(&n);
                    if let Some(sig) = sig {
                        if !(sig == Signal::Int && self.st.mode == Mode::Interactive) {
                            self.proc.untrap(sig);
                        }
                    }
                }
                Some(a) => {
                    self.st.traps.insert(n.clone(), a.to_string());
                    if let Some(sig) = sig {
                        if sig == Signal::Kill {
                        } else if a.is_empty() {
                            // `trap '' SIG` is SIG_IGN, which children inherit.
                            self.proc.ignore(sig);
                        } else {
                            self.proc.trap(sig);
                        }
                    }
                }
            }
        }
        Ok(status)
    }

    /// Updates the jobs' statuses from the lab (without reaping).
    fn poll_jobs(&mut self) {
        for j in &mut self.st.jobs {
            if j.status.is_none() {
                if let Some(s) = self.proc.sys.status(j.pid) {
                    j.status = Some(s);
                }
            }
        }
    }

    /// `fg [JOB]` with job control: the job becomes the terminal's foreground process group
    /// (Ctrl-C reaches it) until it ends.
    async fn b_fg(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let spec = args.first().map_or("%+", String::as_str);
        let Some(i) = self.find_job(spec) else {
            let shown = if args.is_empty() { "current" } else { spec };
            self.error(&format!("fg: {shown}: no such job"));
            return Ok(1);
        };
        let job = self.st.jobs.remove(i);
        self.write_fd(1, format!("{}\n", job.text).as_bytes())?;
        let sys = self.proc.sys.clone();
        let own = sys.foreground_pgrp();
        if let Some(pgid) = sys.pgid(job.pid) {
            sys.set_foreground_pgrp(pgid);
        }
        let code = self.wait_fg(job.pid, Some(&job.text)).await;
        sys.set_foreground_pgrp(own);
        Ok(code)
    }

    fn find_job(&self, spec: &str) -> Option<usize> {
        let rest = spec.strip_prefix('%')?;
        let id = match rest {
            "" | "+" | "%" => self.st.jobs.last().map(|j| j.id)?,
            "-" => {
                let n = self.st.jobs.len();
                if n >= 2 {
                    self.st.jobs[n - 2].id
                } else {
                    self.st.jobs.last().map(|j| j.id)?
                }
            }
            _ => match rest.parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    return self.st.jobs.iter().position(|j| j.text.starts_with(rest));
                }
            },
        };
        self.st.jobs.iter().position(|j| j.id == id)
    }

    /// Reaps a job's process and reports a death by signal as bash does.
    async fn reap(&mut self, pid: Pid) -> ExitStatus {
        let st = self.proc.wait(pid).await;
        self.report_signaled(pid, st);
        st
    }

    /// Like `reap`, but a trapped signal interrupts the wait (`Err(status)`, 128 + signal),
    /// as it interrupts bash's `wait`; the handler runs after the builtin.
    async fn reap_interruptible(&mut self, pid: Pid) -> Result<ExitStatus, i32> {
        let trapped = self
            .st
            .traps
            .keys()
            .any(|k| !matches!(k.as_str(), "EXIT" | "ERR" | "DEBUG" | "RETURN"));
        if !trapped {
            return Ok(self.reap(pid).await);
        }
        let r = tsunagi_lab::race(self.proc.wait(pid), self.proc.signal()).await;
        match r {
            tsunagi_lab::Either::Left(st) => {
                self.report_signaled(pid, st);
                Ok(st)
            }
            tsunagi_lab::Either::Right(sig) => {
                self.pending_signals.push(sig);
                Err(128 + sig.number())
            }
        }
    }

    fn report_signaled(&self, pid: Pid, st: ExitStatus) {
        if let ExitStatus::Signaled(sig) = st {
            if !matches!(sig, Signal::Int | Signal::Pipe | Signal::Term) {
                if let Some(j) = self.st.jobs.iter().find(|j| j.pid == pid) {
                    let line = format!(
                        "{}{:>5} {:<24}{}\n",
                        self.prefix(),
                        pid.0,
                        signal_desc(sig),
                        j.text
                    );
                    self.write_err(line.as_bytes());
                }
            }
        }
    }

    async fn b_wait(&mut self, args: &[String]) -> i32 {
        let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "-f").collect();
        if args.first().map(|s| s.as_str()) == Some("-n") {
            let pending: Vec<Pid> = self
                .st
                .jobs
                .iter()
                .filter(|j| j.status.is_none() && !j.inherited)
                .map(|j| j.pid)
                .collect();
            if pending.is_empty() {
                return 127;
            }
            let sys = self.proc.sys.clone();
            // Wait for whichever ends first; only that one is reaped.
            type WaitFut = std::pin::Pin<Box<dyn std::future::Future<Output = ExitStatus>>>;
            let mut futs: Vec<(Pid, WaitFut)> = pending
                .iter()
                .map(|&p| {
                    let s = sys.clone();
                    let f: WaitFut = Box::pin(async move { s.wait(p).await });
                    (p, f)
                })
                .collect();
            let (pid, st) = std::future::poll_fn(|cx| {
                for (p, f) in futs.iter_mut() {
                    if let std::task::Poll::Ready(s) = f.as_mut().poll(cx) {
                        return std::task::Poll::Ready((*p, s));
                    }
                }
                std::task::Poll::Pending
            })
            .await;
            drop(futs);
            self.report_signaled(pid, st);
            self.st.jobs.retain(|j| j.pid != pid);
            return st.code();
        }
        if args.is_empty() {
            let pids: Vec<Pid> = self
                .st
                .jobs
                .iter()
                .filter(|j| j.status.is_none() && !j.inherited)
                .map(|j| j.pid)
                .collect();
            for pid in pids {
                match self.reap_interruptible(pid).await {
                    Ok(st) => {
                        if let Some(j) = self.st.jobs.iter_mut().find(|j| j.pid == pid) {
                            j.status = Some(st);
                        }
                    }
                    Err(code) => {
                        self.st.jobs.retain(|j| j.status.is_none());
                        return code;
                    }
                }
            }
            self.st.jobs.clear();
            return 0;
        }
        let mut status = 0;
        for a in args {
            let idx = if a.starts_with('%') {
                match self.find_job(a) {
                    Some(i) => Some(i),
                    None => {
                        self.error(&format!("wait: {a}: no such job"));
                        status = 127;
                        continue;
                    }
                }
            } else {
                match a.parse::<u32>() {
                    Ok(p) => {
                        let i = self
                            .st
                            .jobs
                            .iter()
                            .position(|j| j.pid == Pid(p) && !j.inherited);
                        if i.is_none() {
                            self.error(&format!("wait: pid {p} is not a child of this shell"));
                            status = 127;
                            continue;
                        }
                        i
                    }
                    Err(_) => {
                        self.error(&format!("wait: `{a}': not a pid or valid job spec"));
                        status = 2;
                        continue;
                    }
                }
            };
            let Some(i) = idx else { continue };
            let job = self.st.jobs[i].clone();
            let st = match job.status {
                Some(s) => s,
                None => match self.reap_interruptible(job.pid).await {
                    Ok(s) => s,
                    Err(code) => return code,
                },
            };
            self.st.jobs.retain(|j| j.pid != job.pid);
            status = st.code();
        }
        status
    }

    fn b_jobs(&mut self, args: &[String]) -> Result<i32, Ctl> {
        self.poll_jobs();
        let long = args.iter().any(|a| a == "-l");
        let pids_only = args.iter().any(|a| a == "-p");
        let running_only = args.iter().any(|a| a == "-r");
        let n = self.st.jobs.len();
        let mut out = String::new();
        for (k, j) in self.st.jobs.iter().enumerate() {
            if running_only && j.status.is_some() {
                continue;
            }
            if pids_only {
                out.push_str(&format!("{}\n", j.pid.0));
                continue;
            }
            let mark = if k + 1 == n {
                '+'
            } else if k + 2 == n {
                '-'
            } else {
                ' '
            };
            let text = if j.status.is_none() {
                format!("{} &", j.text)
            } else {
                j.text.clone()
            };
            if long {
                out.push_str(&format!(
                    "[{}]{mark} {:>5} {:<24}{text}\n",
                    j.id,
                    j.pid.0,
                    status_word(j.status)
                ));
            } else {
                out.push_str(&format!(
                    "[{}]{mark}  {:<24}{text}\n",
                    j.id,
                    status_word(j.status)
                ));
            }
        }
        self.write_fd(1, out.as_bytes())?;
        if !pids_only {
            self.st.jobs.retain(|j| j.status.is_none());
        }
        Ok(0)
    }

    fn b_kill(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let mut sig = Some(Signal::Term);
        let mut i = 0;
        if args.is_empty() {
            self.error("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]");
            return Ok(2);
        }
        match args[0].as_str() {
            "-l" | "-L" => {
                if let Some(a) = args.get(1) {
                    let out = match a.parse::<i32>() {
                        Ok(n) => {
                            let n = if n > 128 { n - 128 } else { n };
                            Signal::from_number(n).map(|s| s.name().to_string())
                        }
                        Err(_) => Signal::parse(a).map(|s| s.number().to_string()),
                    };
                    match out {
                        Some(o) => self.write_fd(1, format!("{o}\n").as_bytes())?,
                        None => {
                            self.error(&format!("kill: {a}: invalid signal specification"));
                            return Ok(1);
                        }
                    }
                } else {
                    let mut out = String::new();
                    for n in 1..=15 {
                        if let Some(s) = Signal::from_number(n) {
                            out.push_str(&format!("{n:2}) SIG{}\n", s.name()));
                        }
                    }
                    self.write_fd(1, out.as_bytes())?;
                }
                return Ok(0);
            }
            "-s" | "-n" => {
                let Some(s) = args.get(1) else {
                    self.error(&format!("kill: {}: option requires an argument", args[0]));
                    return Ok(2);
                };
                match parse_kill_signal(s) {
                    Some(x) => sig = x,
                    None => {
                        self.error(&format!("kill: {s}: invalid signal specification"));
                        return Ok(1);
                    }
                }
                i = 2;
            }
            a if a.starts_with('-') && a.len() > 1 && a != "--" => {
                match parse_kill_signal(&a[1..]) {
                    Some(x) => sig = x,
                    None => {
                        self.error(&format!("kill: {}: invalid signal specification", &a[1..]));
                        return Ok(1);
                    }
                }
                i = 1;
            }
            _ => {}
        }
        if args.get(i).map(String::as_str) == Some("--") {
            i += 1;
        }
        let targets = &args[i..];
        if targets.is_empty() {
            self.error("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]");
            return Ok(2);
        }
        let mut status = 0;
        for t in targets {
            if t.starts_with('%') {
                match self.find_job(t) {
                    Some(k) => {
                        let pid = self.st.jobs[k].pid;
                        if self.send(pid, sig).is_err() {
                            self.error(&format!("kill: ({}) - No such process", pid.0));
                            status = 1;
                        }
                    }
                    None => {
                        self.error(&format!("kill: {t}: no such job"));
                        status = 1;
                    }
                }
                continue;
            }
            match t.parse::<i64>() {
                Ok(n) if n < 0 => {
                    let g = Pid(n.unsigned_abs() as u32);
                    let r = match sig {
                        Some(s) => self.proc.sys.kill_group(g, s),
                        None => Ok(()),
                    };
                    if r.is_err() {
                        self.error(&format!("kill: ({n}) - No such process"));
                        status = 1;
                    }
                }
                Ok(n) => {
                    let pid = Pid(u32::try_from(n).unwrap_or(u32::MAX));
                    if self.send(pid, sig).is_err() {
                        self.error(&format!("kill: ({n}) - No such process"));
                        status = 1;
                    }
                }
                Err(_) => {
                    self.error(&format!("kill: {t}: arguments must be process or job IDs"));
                    status = 1;
                }
            }
        }
        Ok(status)
    }

    /// Sends a signal; `None` is signal 0, which only checks that the process exists.
    fn send(&self, pid: Pid, sig: Option<Signal>) -> Result<(), tsunagi_lab::Errno> {
        match sig {
            Some(s) => self.proc.sys.kill(pid, s),
            None => {
                if self.proc.sys.alive(pid) {
                    Ok(())
                } else {
                    Err(tsunagi_lab::Errno::ESRCH)
                }
            }
        }
    }

    async fn b_command(&mut self, args: &[String]) -> Flow {
        let mut i = 0;
        let mut verbose = None;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-v" => verbose = Some(false),
                "-V" => verbose = Some(true),
                "-p" => {}
                "--" => {
                    i += 1;
                    break;
                }
                _ => break,
            }
            i += 1;
        }
        let rest = &args[i.min(args.len())..];
        if let Some(v) = verbose {
            let mut status = 0;
            for n in rest {
                let line = if self.st.funcs.contains_key(n) {
                    if v {
                        format!("{n} is a function\n")
                    } else {
                        format!("{n}\n")
                    }
                } else if is_builtin(n) {
                    if v {
                        format!("{n} is a shell builtin\n")
                    } else {
                        format!("{n}\n")
                    }
                } else if is_keyword(n) {
                    if v {
                        format!("{n} is a shell keyword\n")
                    } else {
                        format!("{n}\n")
                    }
                } else if self.proc.has_program(n) {
                    if v {
                        format!("{n} is {}\n", program_path(n))
                    } else {
                        format!("{}\n", program_path(n))
                    }
                } else {
                    if v {
                        self.error(&format!("command: {n}: not found"));
                    }
                    status = 1;
                    continue;
                };
                self.write_fd(1, line.as_bytes())?;
            }
            self.st.status = status;
            return Ok(());
        }
        if rest.is_empty() {
            self.st.status = 0;
            return Ok(());
        }
        if is_builtin(&rest[0]) {
            return Box::pin(self.run_builtin(rest)).await;
        }
        let fds = self.st.fds.clone();
        let argv = match self.resolve_program(rest.to_vec(), &fds) {
            Ok(a) => a,
            Err(code) => {
                self.st.status = code;
                return Ok(());
            }
        };
        let spec = tsunagi_lab::SpawnSpec {
            argv: argv.clone(),
            env: self.st.env(),
            cwd: self.st.cwd.clone(),
            netns: self.proc.netns,
            fds,
            pgid: Some(self.proc.sys.pgid(self.proc.pid).unwrap_or(self.proc.pid)),
        };
        match self.proc.spawn(spec) {
            Ok(pid) => {
                let text = argv.join(" ");
                self.st.status = self.wait_fg(pid, Some(&text)).await;
            }
            Err(_) => self.st.status = 127,
        }
        Ok(())
    }

    fn b_type(&mut self, args: &[String]) -> Result<i32, Ctl> {
        let mut kind_only = false;
        let mut path_only = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-t" => kind_only = true,
                "-p" | "-P" => path_only = true,
                "-a" | "-f" => {}
                _ => names.push(a.clone()),
            }
        }
        let mut status = 0;
        let mut out = String::new();
        for n in names {
            if !path_only && is_keyword(&n) {
                out.push_str(&if kind_only {
                    "keyword\n".to_string()
                } else {
                    format!("{n} is a shell keyword\n")
                });
            } else if !path_only && self.st.funcs.contains_key(&n) {
                out.push_str(&if kind_only {
                    "function\n".to_string()
                } else {
                    format!("{n} is a function\n")
                });
            } else if !path_only && is_builtin(&n) {
                out.push_str(&if kind_only {
                    "builtin\n".to_string()
                } else {
                    format!("{n} is a shell builtin\n")
                });
            } else if self.proc.has_program(&n) {
                out.push_str(&if kind_only {
                    "file\n".to_string()
                } else if path_only {
                    format!("{}\n", program_path(&n))
                } else {
                    format!("{n} is {}\n", program_path(&n))
                });
            } else {
                if !kind_only && !path_only {
                    self.write_fd(1, out.as_bytes())?;
                    out.clear();
                    self.error(&format!("type: {n}: not found"));
                }
                status = 1;
            }
        }
        self.write_fd(1, out.as_bytes())?;
        Ok(status)
    }

    fn b_getopts(&mut self, args: &[String]) -> i32 {
        if args.len() < 2 {
            self.error("getopts: usage: getopts optstring name [arg ...]");
            return 2;
        }
        let optstring = args[0].clone();
        let var = args[1].clone();
        let params: Vec<String> = if args.len() > 2 {
            args[2..].to_vec()
        } else {
            self.st.positional.clone()
        };
        let silent = optstring.starts_with(':');
        let optind: usize = self
            .st
            .get("OPTIND")
            .and_then(|s| s.parse().ok())
            .unwrap_or(1)
            .max(1);
        let sub: usize = self.getopts_sub;
        let Some(cur) = params.get(optind - 1) else {
            let _ = self.st.set(&var, "?".into());
            self.getopts_sub = 0;
            return 1;
        };
        if sub == 0 && (cur == "--" || !cur.starts_with('-') || cur == "-") {
            if cur == "--" {
                let _ = self.st.set("OPTIND", (optind + 1).to_string());
            }
            let _ = self.st.set(&var, "?".into());
            return 1;
        }
        let chars: Vec<char> = cur.chars().collect();
        let pos = if sub == 0 { 1 } else { sub };
        let Some(&c) = chars.get(pos) else {
            self.getopts_sub = 0;
            let _ = self.st.set("OPTIND", (optind + 1).to_string());
            return self.b_getopts(args);
        };
        let advance = |sh: &mut Shell, next_sub: usize, extra: usize| {
            if next_sub >= chars.len() {
                sh.getopts_sub = 0;
                let _ = sh.st.set("OPTIND", (optind + 1 + extra).to_string());
            } else {
                sh.getopts_sub = next_sub;
            }
        };
        let spec_pos = optstring.chars().position(|x| x == c && c != ':');
        match spec_pos {
            None => {
                let _ = self.st.set(&var, "?".into());
                if silent {
                    let _ = self.st.set("OPTARG", c.to_string());
                } else {
                    let _ = self.st.unset("OPTARG");
                    let msg = format!("{}: illegal option -- {c}\n", self.st.arg0);
                    self.write_err(msg.as_bytes());
                }
                advance(self, pos + 1, 0);
                0
            }
            Some(p) => {
                let takes = optstring.chars().nth(p + 1) == Some(':');
                if takes {
                    let rest: String = chars[pos + 1..].iter().collect();
                    if !rest.is_empty() {
                        let _ = self.st.set("OPTARG", rest);
                        self.getopts_sub = 0;
                        let _ = self.st.set("OPTIND", (optind + 1).to_string());
                    } else if let Some(a) = params.get(optind) {
                        let _ = self.st.set("OPTARG", a.clone());
                        self.getopts_sub = 0;
                        let _ = self.st.set("OPTIND", (optind + 2).to_string());
                    } else {
                        if silent {
                            let _ = self.st.set(&var, ":".into());
                            let _ = self.st.set("OPTARG", c.to_string());
                        } else {
                            let _ = self.st.set(&var, "?".into());
                            let msg =
                                format!("{}: option requires an argument -- {c}\n", self.st.arg0);
                            self.write_err(msg.as_bytes());
                        }
                        self.getopts_sub = 0;
                        let _ = self.st.set("OPTIND", (optind + 1).to_string());
                        return 0;
                    }
                } else {
                    let _ = self.st.unset("OPTARG");
                    advance(self, pos + 1, 0);
                }
                let _ = self.st.set(&var, c.to_string());
                0
            }
        }
    }

    async fn b_mapfile(&mut self, name: &str, args: &[String]) -> Result<i32, Ctl> {
        let mut strip = false;
        let mut var = "MAPFILE".to_string();
        let mut fd = 0u32;
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "-t" => strip = true,
                "-u" => {
                    i += 1;
                    fd = args.get(i).and_then(|s| s.parse().ok()).unwrap_or(0);
                }
                a if a.starts_with('-') => {}
                a => var = a.to_string(),
            }
            i += 1;
        }
        let Some(input) = self.st.fds.get(&fd).cloned() else {
            self.error(&format!(
                "{name}: {fd}: invalid file descriptor: Bad file descriptor"
            ));
            return Ok(1);
        };
        let data = input.read_to_end().await.unwrap_or_default();
        let text = String::from_utf8_lossy(&data).into_owned();
        let mut items = Vec::new();
        for l in text.split_inclusive('\n') {
            if strip {
                items.push(l.strip_suffix('\n').unwrap_or(l).to_string());
            } else {
                items.push(l.to_string());
            }
        }
        if let Err(m) = self.st.set_array(&var, items) {
            self.error(&format!("{name}: {m}"));
            return Ok(1);
        }
        Ok(0)
    }
}

/// A signal for `kill`: a name or number; `Some(None)` is signal 0.
fn parse_kill_signal(s: &str) -> Option<Option<Signal>> {
    if s == "0" {
        return Some(None);
    }
    Signal::parse(s).map(Some)
}

/// True for the shell's reserved words.
pub fn is_keyword(n: &str) -> bool {
    matches!(
        n,
        "if" | "then"
            | "else"
            | "elif"
            | "fi"
            | "case"
            | "esac"
            | "for"
            | "select"
            | "while"
            | "until"
            | "do"
            | "done"
            | "in"
            | "function"
            | "time"
            | "{"
            | "}"
            | "!"
            | "[["
            | "]]"
            | "coproc"
    )
}

/// Splits a line for `read`: fields on IFS, the last name taking the rest.
fn split_read(chars: &[(char, bool)], ifs: &str, n: usize) -> Vec<String> {
    let is_ws = |c: char| ifs.contains(c) && matches!(c, ' ' | '\t' | '\n');
    let is_sep = |c: char, q: bool| !q && ifs.contains(c);
    let mut i = 0;
    // Leading IFS whitespace is skipped.
    while i < chars.len() && !chars[i].1 && is_ws(chars[i].0) {
        i += 1;
    }
    let mut out = Vec::new();
    while i < chars.len() {
        if out.len() + 1 == n {
            // The rest, with trailing IFS whitespace removed.
            let mut end = chars.len();
            while end > i && !chars[end - 1].1 && is_ws(chars[end - 1].0) {
                end -= 1;
            }
            out.push(chars[i..end].iter().map(|(c, _)| c).collect());
            return out;
        }
        let mut field = String::new();
        while i < chars.len() && !is_sep(chars[i].0, chars[i].1) {
            field.push(chars[i].0);
            i += 1;
        }
        out.push(field);
        // Skip one separator: whitespace runs, with at most one non-whitespace IFS char.
        while i < chars.len() && !chars[i].1 && is_ws(chars[i].0) {
            i += 1;
        }
        if i < chars.len() && is_sep(chars[i].0, chars[i].1) && !is_ws(chars[i].0) {
            i += 1;
            while i < chars.len() && !chars[i].1 && is_ws(chars[i].0) {
                i += 1;
            }
        }
    }
    out
}

/// Folds `.` and `..` in a path made absolute against `cwd`.
fn normalize(cwd: &std::path::Path, target: &str) -> std::path::PathBuf {
    let joined = if target.starts_with('/') {
        std::path::PathBuf::from(target)
    } else {
        cwd.join(target)
    };
    let mut out = std::path::PathBuf::from("/");
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(s) => out.push(s),
            _ => {}
        }
    }
    out
}

/// A value quoted as `set` and `declare -p` print it.
fn quote_value(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:,@%+=".contains(c));
    if plain {
        s.to_string()
    } else if s.contains(['\n', '\t']) {
        format!(
            "$'{}'",
            s.replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('\n', "\\n")
                .replace('\t', "\\t")
        )
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn quote_value_single(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// `declare -x NAME="value"`.
fn declare_line(name: &str, v: &Var) -> String {
    let mut flags = String::new();
    if matches!(v.value, Some(Value::Array(_))) {
        flags.push('a');
    }
    if matches!(v.value, Some(Value::Assoc(_))) {
        flags.push('A');
    }
    if v.integer {
        flags.push('i');
    }
    if v.readonly {
        flags.push('r');
    }
    if v.exported {
        flags.push('x');
    }
    if flags.is_empty() {
        flags.push('-');
    }
    let esc = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('$', "\\$")
            .replace('`', "\\`")
    };
    match &v.value {
        None => format!("declare -{flags} {name}\n"),
        Some(Value::Str(s)) => format!("declare -{flags} {name}=\"{}\"\n", esc(s)),
        Some(Value::Array(a)) => {
            let items: Vec<String> = a
                .iter()
                .map(|(k, s)| format!("[{k}]=\"{}\"", esc(s)))
                .collect();
            format!("declare -{flags} {name}=({})\n", items.join(" "))
        }
        Some(Value::Assoc(a)) => {
            let items: Vec<String> = a
                .iter()
                .map(|(k, s)| format!("[{k}]=\"{}\" ", esc(s)))
                .collect();
            format!("declare -{flags} {name}=({})\n", items.concat())
        }
    }
}

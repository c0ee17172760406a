//! Process tools scripts use around background jobs: `kill` (procps), `pgrep`, `pkill`,
//! `pidof`, `timeout` (coreutils), and `expr` (coreutils). They see the lab's processes.
//!
//! Reference: kill(1), pgrep(1), pidof(8), timeout(1), expr(1).

use tsunagi_lab::{Either, ExitStatus, LocalBoxFuture, Pid, Proc, Signal};

use super::{boxed, err};

fn args(proc: &Proc) -> Vec<String> {
    proc.argv.iter().skip(1).cloned().collect()
}

/// Every live process of the lab, in pid order.
fn all_pids(proc: &Proc) -> Vec<Pid> {
    let sys = &proc.sys;
    let mut v = sys.pids_in(sys.root_ns());
    for n in sys.netns_names() {
        if let Some(ns) = sys.netns_by_name(&n) {
            v.extend(sys.pids_in(ns));
        }
    }
    v.sort();
    v.dedup();
    v
}

fn proc_name(argv: &[String]) -> String {
    let a = argv.first().map(String::as_str).unwrap_or("");
    let base = a.rsplit('/').next().unwrap_or(a);
    // The kernel keeps 15 characters of a command name.
    base.chars().take(15).collect()
}

/// `/bin/kill` (procps-ng).
pub fn kill(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let name = proc.argv.first().cloned().unwrap_or_else(|| "kill".into());
        let a = args(&proc);
        let mut sig = Some(Signal::Term);
        let mut i = 0;
        if a.is_empty() {
            err(&proc, &format!("\nUsage:\n {name} [options] <pid> [...]\n\nOptions:\n <pid> [...]            send signal to every <pid> listed\n -<signal>, -s, --signal <signal>\n                        specify the <signal> to be sent\n -q, --queue <value>    integer value to be sent with the signal\n -l, --list=[<signal>]  list all signal names, or convert one to a name\n -L, --table            list all signal names in a nice table\n\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see kill(1)."));
            return 2;
        }
        match a[0].as_str() {
            "-l" | "--list" | "-L" | "--table" => {
                match a.get(1) {
                    Some(s) => match s.parse::<i32>().ok().and_then(Signal::from_number) {
                        Some(x) => {
                            proc.out(format!("{}\n", x.name()));
                        }
                        None => match Signal::parse(s) {
                            Some(x) => {
                                proc.out(format!("{}\n", x.number()));
                            }
                            None => {
                                err(&proc, &format!("{name}: unknown signal name {s}"));
                                return 1;
                            }
                        },
                    },
                    None => {
                        let names: Vec<&str> = (1..=15)
                            .filter_map(Signal::from_number)
                            .map(|s| s.name())
                            .collect();
                        proc.out(format!("{}\n", names.join(" ")));
                    }
                };
                return 0;
            }
            "-s" | "--signal" => {
                let Some(s) = a.get(1) else {
                    err(
                        &proc,
                        &format!("{name}: option requires an argument -- 's'"),
                    );
                    return 2;
                };
                sig = if s == "0" {
                    None
                } else {
                    Signal::parse(s).map(Some).unwrap_or(None)
                };
                if s != "0" && sig.is_none() {
                    err(&proc, &format!("{name}: unknown signal name {s}"));
                    return 1;
                }
                i = 2;
            }
            s if s.starts_with('-') && s.len() > 1 && s != "--" => {
                let spec = &s[1..];
                if spec == "0" {
                    sig = None;
                } else {
                    match Signal::parse(spec) {
                        Some(x) => sig = Some(x),
                        None => {
                            err(&proc, &format!("{name}: unknown signal name {spec}"));
                            return 1;
                        }
                    }
                }
                i = 1;
            }
            _ => {}
        }
        if a.get(i).map(String::as_str) == Some("--") {
            i += 1;
        }
        let mut status = 0;
        for t in &a[i.min(a.len())..] {
            let Ok(n) = t.parse::<i64>() else {
                err(&proc, &format!("{name}: failed to parse argument: '{t}'"));
                status = 1;
                continue;
            };
            let r = if n < 0 {
                match sig {
                    Some(s) => proc.sys.kill_group(Pid(n.unsigned_abs() as u32), s),
                    None => Ok(()),
                }
            } else {
                let pid = Pid(u32::try_from(n).unwrap_or(u32::MAX));
                match sig {
                    Some(s) => proc.sys.kill(pid, s),
                    None => {
                        if proc.sys.alive(pid) {
                            Ok(())
                        } else {
                            Err(tsunagi_lab::Errno::ESRCH)
                        }
                    }
                }
            };
            if let Err(e) = r {
                err(&proc, &format!("{name}: ({n}): {e}"));
                status = 1;
            }
        }
        status
    })
}

/// `pgrep` and `pkill`.
pub fn pgrep(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let name = proc.name().to_string();
        let killing = name == "pkill";
        let a = args(&proc);
        let mut full = false;
        let mut exact = false;
        let mut list = false;
        let mut count = false;
        let mut icase = false;
        let mut sig = Signal::Term;
        let mut pattern: Option<String> = None;
        for x in &a {
            match x.as_str() {
                "-f" | "--full" => full = true,
                "-x" | "--exact" => exact = true,
                "-l" | "--list-name" => list = true,
                "-c" | "--count" => count = true,
                "-i" | "--ignore-case" => icase = true,
                s if s.starts_with('-') && s.len() > 1 => {
                    if killing {
                        match Signal::parse(&s[1..]) {
                            Some(x) => sig = x,
                            None => {
                                err(
                                    &proc,
                                    &format!(
                                        "{name}: invalid option -- '{}'",
                                        s.chars().nth(1).unwrap_or('-')
                                    ),
                                );
                                return 2;
                            }
                        }
                    } else {
                        err(
                            &proc,
                            &format!(
                                "{name}: invalid option -- '{}'",
                                s.chars().nth(1).unwrap_or('-')
                            ),
                        );
                        return 2;
                    }
                }
                s => pattern = Some(s.to_string()),
            }
        }
        let Some(pat) = pattern else {
            err(&proc, &format!("{name}: no matching criteria specified\nTry `{name} --help' for more information."));
            return 2;
        };
        let pat = if exact { format!("^(?:{pat})$") } else { pat };
        let re = match crate::regex::translate(&pat, true)
            .and_then(|t| crate::regex::Regex::new_translated(&t, icase))
        {
            Ok(r) => r,
            Err(m) => {
                err(&proc, &format!("{name}: {m}"));
                return 2;
            }
        };
        let mut hits = Vec::new();
        for pid in all_pids(&proc) {
            if pid == proc.pid {
                continue;
            }
            let Some(argv) = proc.sys.argv(pid) else {
                continue;
            };
            let subject = if full {
                argv.join(" ")
            } else {
                proc_name(&argv)
            };
            if re.is_match(&subject) {
                hits.push((pid, proc_name(&argv), argv.join(" ")));
            }
        }
        let mut out = String::new();
        if count {
            out.push_str(&format!("{}\n", hits.len()));
        }
        for (pid, pname, cmdline) in &hits {
            if killing {
                let _ = proc.sys.kill(*pid, sig);
            } else if !count {
                if list {
                    let shown = if full { cmdline } else { pname };
                    out.push_str(&format!("{} {shown}\n", pid.0));
                } else {
                    out.push_str(&format!("{}\n", pid.0));
                }
            }
        }
        proc.out(out);
        i32::from(hits.is_empty())
    })
}

/// `pidof NAME...`: pids, newest first, on one line.
pub fn pidof(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let names: Vec<String> = args(&proc)
            .into_iter()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let mut pids = Vec::new();
        for pid in all_pids(&proc).into_iter().rev() {
            if pid == proc.pid {
                continue;
            }
            let Some(argv) = proc.sys.argv(pid) else {
                continue;
            };
            let base = argv
                .first()
                .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
                .unwrap_or_default();
            if names.iter().any(|n| n == &base) {
                pids.push(pid.0.to_string());
            }
        }
        if pids.is_empty() {
            return 1;
        }
        proc.out(format!("{}\n", pids.join(" ")));
        0
    })
}

/// `timeout [-s SIG] [-k DUR] [--preserve-status] DURATION COMMAND...`.
pub fn timeout(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = args(&proc);
        let mut sig = Signal::Term;
        let mut kill_after: Option<f64> = None;
        let mut preserve = false;
        let mut i = 0;
        let try_help = |proc: &Proc, m: &str| {
            err(
                proc,
                &format!("timeout: {m}\nTry 'timeout --help' for more information."),
            );
            125
        };
        while i < a.len() && a[i].starts_with('-') && a[i].len() > 1 {
            match a[i].as_str() {
                "-s" | "--signal" => {
                    i += 1;
                    match a.get(i).and_then(|s| Signal::parse(s)) {
                        Some(s) => sig = s,
                        None => {
                            let s = a.get(i).cloned().unwrap_or_default();
                            return try_help(&proc, &format!("{s}: invalid signal"));
                        }
                    }
                }
                "-k" | "--kill-after" => {
                    i += 1;
                    kill_after = a.get(i).and_then(|s| super::coreutils::parse_interval(s));
                }
                "--preserve-status" => preserve = true,
                "--foreground" | "-v" | "--verbose" => {}
                "--" => {
                    i += 1;
                    break;
                }
                s if s.starts_with("-s") => match Signal::parse(&s[2..]) {
                    Some(x) => sig = x,
                    None => return try_help(&proc, &format!("{}: invalid signal", &s[2..])),
                },
                s => {
                    return try_help(
                        &proc,
                        &format!("invalid option -- '{}'", s.chars().nth(1).unwrap_or('-')),
                    );
                }
            }
            i += 1;
        }
        let Some(dur) = a.get(i) else {
            return try_help(&proc, "missing operand");
        };
        let Some(secs) = super::coreutils::parse_interval(dur) else {
            return try_help(&proc, &format!("invalid time interval ‘{dur}’"));
        };
        let cmd: Vec<String> = a[i + 1..].to_vec();
        if cmd.is_empty() {
            return try_help(&proc, &format!("missing operand after ‘{dur}’"));
        }
        let name = cmd[0].clone();
        let spec = proc.child_spec(cmd);
        let Ok(child) = proc.spawn(spec) else {
            err(
                &proc,
                &format!("timeout: failed to run command ‘{name}’: No such file or directory"),
            );
            return 127;
        };
        let limit =
            tsunagi_lab::Duration::from_secs_f64(if secs.is_infinite() { 1e12 } else { secs });
        let sys = proc.sys.clone();
        match tsunagi_lab::race(proc.wait(child), sys.sleep(limit)).await {
            Either::Left(st) => st.code(),
            Either::Right(()) => {
                let _ = proc.sys.kill(child, sig);
                let st = match kill_after {
                    Some(k) => {
                        let d = tsunagi_lab::Duration::from_secs_f64(k);
                        match tsunagi_lab::race(proc.wait(child), sys.sleep(d)).await {
                            Either::Left(st) => st,
                            Either::Right(()) => {
                                let _ = proc.sys.kill(child, Signal::Kill);
                                proc.wait(child).await
                            }
                        }
                    }
                    None => proc.wait(child).await,
                };
                if preserve {
                    st.code()
                } else if st == ExitStatus::Signaled(Signal::Kill) {
                    137
                } else {
                    124
                }
            }
        }
    })
}

// --- expr -------------------------------------------------------------------------------------

enum ExprErr {
    Syntax(String),
    Div,
}

struct ExprP<'a> {
    a: &'a [String],
    i: usize,
}

fn is_int(s: &str) -> Option<i128> {
    let t = s.strip_prefix('-').unwrap_or(s);
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl ExprP<'_> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.i).map(String::as_str)
    }
    fn or(&mut self) -> Result<String, ExprErr> {
        let mut l = self.and()?;
        while self.peek() == Some("|") {
            self.i += 1;
            let r = self.and()?;
            if truthy(&l) {
                // keep l
            } else if truthy(&r) {
                l = r;
            } else {
                l = "0".into();
            }
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<String, ExprErr> {
        let mut l = self.cmp()?;
        while self.peek() == Some("&") {
            self.i += 1;
            let r = self.cmp()?;
            if !(truthy(&l) && truthy(&r)) {
                l = "0".into();
            }
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<String, ExprErr> {
        let mut l = self.add()?;
        while let Some(op) = self
            .peek()
            .filter(|o| matches!(*o, "<" | "<=" | "=" | "==" | "!=" | ">=" | ">"))
        {
            let op = op.to_string();
            self.i += 1;
            let r = self.add()?;
            let ord = match (is_int(&l), is_int(&r)) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => l.cmp(&r),
            };
            let t = match op.as_str() {
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                ">=" => ord.is_ge(),
                _ => ord.is_gt(),
            };
            l = if t { "1".into() } else { "0".into() };
        }
        Ok(l)
    }
    fn num(s: &str) -> Result<i128, ExprErr> {
        is_int(s).ok_or_else(|| ExprErr::Syntax("non-integer argument".into()))
    }
    fn add(&mut self) -> Result<String, ExprErr> {
        let mut l = self.mul()?;
        while let Some(op) = self.peek().filter(|o| matches!(*o, "+" | "-")) {
            let plus = op == "+";
            self.i += 1;
            let r = self.mul()?;
            let (x, y) = (Self::num(&l)?, Self::num(&r)?);
            l = if plus { x + y } else { x - y }.to_string();
        }
        Ok(l)
    }
    fn mul(&mut self) -> Result<String, ExprErr> {
        let mut l = self.colon()?;
        while let Some(op) = self.peek().filter(|o| matches!(*o, "*" | "/" | "%")) {
            let op = op.to_string();
            self.i += 1;
            let r = self.colon()?;
            let (x, y) = (Self::num(&l)?, Self::num(&r)?);
            l = match op.as_str() {
                "*" => (x * y).to_string(),
                _ if y == 0 => return Err(ExprErr::Div),
                "/" => (x / y).to_string(),
                _ => (x % y).to_string(),
            };
        }
        Ok(l)
    }
    fn colon(&mut self) -> Result<String, ExprErr> {
        let mut l = self.prim()?;
        while self.peek() == Some(":") {
            self.i += 1;
            let r = self.prim()?;
            l = regex_match(&l, &r)?;
        }
        Ok(l)
    }
    fn prim(&mut self) -> Result<String, ExprErr> {
        let Some(t) = self.peek().map(str::to_string) else {
            let after = self
                .a
                .get(self.i.wrapping_sub(1))
                .cloned()
                .unwrap_or_default();
            return Err(ExprErr::Syntax(format!(
                "syntax error: missing argument after ‘{after}’"
            )));
        };
        self.i += 1;
        match t.as_str() {
            "(" => {
                let v = self.or()?;
                if self.peek() != Some(")") {
                    return Err(ExprErr::Syntax(
                        "syntax error: expecting ')' after ‘".to_string() + &v + "’",
                    ));
                }
                self.i += 1;
                Ok(v)
            }
            "length" => {
                let s = self.prim()?;
                Ok(s.chars().count().to_string())
            }
            "match" => {
                let s = self.prim()?;
                let r = self.prim()?;
                regex_match(&s, &r)
            }
            "substr" => {
                let s = self.prim()?;
                let p = Self::num(&self.prim()?)?;
                let n = Self::num(&self.prim()?)?;
                if p < 1 || n < 1 {
                    return Ok(String::new());
                }
                Ok(s.chars().skip(p as usize - 1).take(n as usize).collect())
            }
            "index" => {
                let s = self.prim()?;
                let chars = self.prim()?;
                Ok(s.chars()
                    .position(|c| chars.contains(c))
                    .map(|i| i + 1)
                    .unwrap_or(0)
                    .to_string())
            }
            "+" => self.prim(),
            _ => Ok(t),
        }
    }
}

fn truthy(s: &str) -> bool {
    !(s.is_empty() || is_int(s) == Some(0))
}

/// `STRING : REGEX`: anchored BRE; the first group's text, or the match length.
fn regex_match(s: &str, re: &str) -> Result<String, ExprErr> {
    let tr = crate::regex::translate(re, false).map_err(ExprErr::Syntax)?;
    let r = crate::regex::Regex::new_translated(&format!("^(?:{tr})"), false)
        .map_err(ExprErr::Syntax)?;
    match r.captures_at(s, 0) {
        Some(caps) => {
            if caps.len() > 1 {
                Ok(caps[1]
                    .map(|(a, b)| s[a..b].to_string())
                    .unwrap_or_default())
            } else {
                Ok(caps[0]
                    .map(|(a, b)| s[a..b].chars().count())
                    .unwrap_or(0)
                    .to_string())
            }
        }
        None => Ok(if r.groups() > 1 {
            String::new()
        } else {
            "0".into()
        }),
    }
}

pub fn expr(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let mut a = args(&proc);
        if a.first().map(String::as_str) == Some("--") {
            a.remove(0);
        }
        if a.is_empty() {
            err(
                &proc,
                "expr: missing operand\nTry 'expr --help' for more information.",
            );
            return 2;
        }
        let mut p = ExprP { a: &a, i: 0 };
        let r = p.or();
        match r {
            Ok(v) if p.i < a.len() => {
                let _ = v;
                err(
                    &proc,
                    &format!("expr: syntax error: unexpected argument ‘{}’", a[p.i]),
                );
                2
            }
            Ok(v) => {
                proc.out(format!("{v}\n"));
                i32::from(!truthy(&v))
            }
            Err(ExprErr::Div) => {
                err(&proc, "expr: division by zero");
                2
            }
            Err(ExprErr::Syntax(m)) => {
                err(&proc, &format!("expr: {m}"));
                2
            }
        }
    })
}

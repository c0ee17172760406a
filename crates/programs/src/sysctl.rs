//! `sysctl`, as procps-ng 4.0.2 (Debian 12) has it: read, write and list kernel parameters
//! through `/proc/sys` (sysctl(8), procps src/sysctl.c).
//!
//! Keys are given with dots or slashes (`net.ipv4.ip_forward`, `net/ipv4/ip_forward`); a
//! read prints `key = value`; an argument with `=` (or any argument after `-w`) writes. It
//! goes through the lab's file system (`/proc/sys/...` of the process's namespace), so what
//! exists and what a write accepts is the kernel's business. Options are parsed like GNU
//! `getopt_long` (permuted, clustered, abbreviated long options), and every message and exit
//! status is procps's: a failed read adds 1 to the status, a failed write ORs in 1.
//!
//! Not modelled: `--system` reads no system directories (only `/etc/sysctl.conf`).

use crate::getopt::{getopt_long, HasArg, Item, LongOpt};
use std::path::Path;

use tsunagi_lab::{LocalBoxFuture, OpenMode, Proc, VPath};

const PROC_PATH: &str = "/proc/sys/";
const DEFAULT_PRELOAD: &str = "/etc/sysctl.conf";
const DEPRECATED: [&str; 2] = ["base_reachable_time", "retrans_time"];

pub const VERSION: &str = "sysctl from procps-ng 4.0.2\n";

pub const USAGE: &str = "\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n\
\x20 -a, --all            display all variables\n\
\x20 -A                   alias of -a\n\
\x20 -X                   alias of -a\n\
\x20     --deprecated     include deprecated parameters to listing\n\
\x20     --dry-run        Print the key and values but do not write\n\
\x20 -b, --binary         print value without new line\n\
\x20 -e, --ignore         ignore unknown variables errors\n\
\x20 -N, --names          print variable names without values\n\
\x20 -n, --values         print only values of the given variable(s)\n\
\x20 -p, --load[=<file>]  read values from file\n\
\x20 -f                   alias of -p\n\
\x20     --system         read values from all system directories\n\
\x20 -r, --pattern <expression>\n\
\x20                      select setting that match expression\n\
\x20 -q, --quiet          do not echo variable set\n\
\x20 -w, --write          enable writing a value to variable\n\
\x20 -o                   does nothing\n\
\x20 -x                   does nothing\n\
\x20 -d                   alias of -h\n\
\n -h, --help     display this help and exit\n\
\x20-V, --version  output version information and exit\n\
\nFor more details see sysctl(8).\n";

/// One option as `getopt_long` returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Opt {
    Short(char, Option<String>),
    Deprecated,
    DryRun,
    System,
    /// `?`: an error message was printed.
    Bad(String),
}

/// procps' long options; `1`, `2`, `3` stand for those without a short letter.
const LONGOPTS: &[LongOpt] = &[
    LongOpt {
        name: "all",
        has_arg: HasArg::No,
        val: 'a',
    },
    LongOpt {
        name: "deprecated",
        has_arg: HasArg::No,
        val: '1',
    },
    LongOpt {
        name: "dry-run",
        has_arg: HasArg::No,
        val: '3',
    },
    LongOpt {
        name: "binary",
        has_arg: HasArg::No,
        val: 'b',
    },
    LongOpt {
        name: "ignore",
        has_arg: HasArg::No,
        val: 'e',
    },
    LongOpt {
        name: "names",
        has_arg: HasArg::No,
        val: 'N',
    },
    LongOpt {
        name: "values",
        has_arg: HasArg::No,
        val: 'n',
    },
    LongOpt {
        name: "load",
        has_arg: HasArg::Optional,
        val: 'p',
    },
    LongOpt {
        name: "quiet",
        has_arg: HasArg::No,
        val: 'q',
    },
    LongOpt {
        name: "write",
        has_arg: HasArg::No,
        val: 'w',
    },
    LongOpt {
        name: "system",
        has_arg: HasArg::No,
        val: '2',
    },
    LongOpt {
        name: "pattern",
        has_arg: HasArg::Required,
        val: 'r',
    },
    LongOpt {
        name: "help",
        has_arg: HasArg::No,
        val: 'h',
    },
    LongOpt {
        name: "version",
        has_arg: HasArg::No,
        val: 'V',
    },
];

/// procps' short options.
const OPTSTRING: &str = "bneNwfp::qoxaAXr:Vdh";

fn long_to_opt(short: char, arg: Option<String>) -> Opt {
    match short {
        '1' => Opt::Deprecated,
        '2' => Opt::System,
        '3' => Opt::DryRun,
        c => Opt::Short(c, arg),
    }
}

/// GNU `getopt_long` with argument permutation: the options, in order, and the operands.
fn getopt(argv: &[String]) -> (Vec<Opt>, Vec<String>) {
    let (items, operands) = getopt_long("sysctl", argv, OPTSTRING, LONGOPTS, false);
    let opts = items
        .into_iter()
        .map(|item| match item {
            Item::Error(m) => Opt::Bad(m),
            Item::Opt(c, arg) => long_to_opt(c, arg),
        })
        .collect();
    (opts, operands)
}

/// `slashdot()`: swaps `old` separators for `new` ones (and back), unless the first
/// separator is already `new`; warns once about repeated separators.
fn slashdot(p: &str, old: char, new: char, warn: &mut String) -> String {
    let Some(first) = p.find(['/', '.']) else {
        return p.to_string();
    };
    if p[first..].starts_with(new) {
        return p.to_string();
    }
    let mut out = String::with_capacity(p.len());
    out.push_str(&p[..first]);
    let chars: Vec<char> = p[first..].chars().collect();
    let mut warned = false;
    for (i, c) in chars.iter().enumerate() {
        let is_sep = *c == '/' || *c == '.';
        if is_sep && !warned && matches!(chars.get(i + 1), Some('/') | Some('.')) {
            let rest: String = chars[i..].iter().collect();
            warn.push_str(&format!(
                "sysctl: separators should not be repeated: {rest}\n"
            ));
            warned = true;
        }
        if *c == old {
            out.push(new);
        } else if *c == new {
            out.push(old);
        } else {
            out.push(*c);
        }
    }
    out
}

/// A setting parsed from `key=value` (`parse_setting_line`).
struct Setting {
    path: String,
    value: Option<String>,
    ignore_failure: bool,
    glob_exclude: bool,
}

/// The state of one `sysctl` run.
struct Sysctl<'a> {
    proc: &'a Proc,
    print_name: bool,
    print_newline: bool,
    name_only: bool,
    ignore_error: bool,
    quiet: bool,
    dry_run: bool,
    ignore_deprecated: bool,
    pattern: Option<String>,
}

/// A small POSIX extended regular expression (what `-r` takes, `regcomp(REG_EXTENDED)`):
/// literals, `.`, bracket expressions, `^`, `$`, groups, `|`, and the `*`, `+`, `?`
/// quantifiers, matched anywhere in the string by backtracking.
mod ere {
    #[derive(Clone, Debug)]
    enum Atom {
        Char(char),
        Any,
        Class(bool, Vec<(char, char)>),
        Start,
        End,
        Group(Vec<Vec<Piece>>),
    }

    #[derive(Clone, Debug)]
    struct Piece {
        atom: Atom,
        min: usize,
        max: usize,
    }

    pub struct Regex(Vec<Vec<Piece>>);

    struct Parser<'a> {
        c: &'a [char],
        i: usize,
    }

    impl Parser<'_> {
        fn alt(&mut self) -> Option<Vec<Vec<Piece>>> {
            let mut alts = vec![self.seq()?];
            while self.c.get(self.i) == Some(&'|') {
                self.i += 1;
                alts.push(self.seq()?);
            }
            Some(alts)
        }

        fn seq(&mut self) -> Option<Vec<Piece>> {
            let mut v = Vec::new();
            while let Some(&c) = self.c.get(self.i) {
                if c == '|' || c == ')' {
                    break;
                }
                self.i += 1;
                let atom = match c {
                    '.' => Atom::Any,
                    '^' => Atom::Start,
                    '$' => Atom::End,
                    '(' => {
                        let g = self.alt()?;
                        if self.c.get(self.i) != Some(&')') {
                            return None;
                        }
                        self.i += 1;
                        Atom::Group(g)
                    }
                    '[' => self.class()?,
                    '\\' => {
                        let e = *self.c.get(self.i)?;
                        self.i += 1;
                        Atom::Char(e)
                    }
                    '*' | '+' | '?' => return None,
                    c => Atom::Char(c),
                };
                let (min, max) = match self.c.get(self.i) {
                    Some('*') => (0, usize::MAX),
                    Some('+') => (1, usize::MAX),
                    Some('?') => (0, 1),
                    _ => (1, 1),
                };
                if (min, max) != (1, 1) {
                    self.i += 1;
                }
                v.push(Piece { atom, min, max });
            }
            Some(v)
        }

        fn class(&mut self) -> Option<Atom> {
            let mut neg = false;
            if self.c.get(self.i) == Some(&'^') {
                neg = true;
                self.i += 1;
            }
            let mut ranges = Vec::new();
            let mut first = true;
            loop {
                let c = *self.c.get(self.i)?;
                self.i += 1;
                if c == ']' && !first {
                    break;
                }
                first = false;
                if self.c.get(self.i) == Some(&'-')
                    && self.c.get(self.i + 1).is_some_and(|e| *e != ']')
                {
                    let e = self.c[self.i + 1];
                    self.i += 2;
                    ranges.push((c, e));
                } else {
                    ranges.push((c, c));
                }
            }
            Some(Atom::Class(neg, ranges))
        }
    }

    impl Regex {
        /// `None` where `regcomp` fails.
        pub fn new(pat: &str) -> Option<Regex> {
            let c: Vec<char> = pat.chars().collect();
            let mut p = Parser { c: &c, i: 0 };
            let r = p.alt()?;
            (p.i == c.len()).then_some(Regex(r))
        }

        pub fn is_match(&self, s: &str) -> bool {
            let t: Vec<char> = s.chars().collect();
            (0..=t.len()).any(|start| {
                let mut found = false;
                alt(&self.0, &t, start, &mut |_| {
                    found = true;
                    true
                });
                found
            })
        }
    }

    /// Tries every alternative at `i`; `k` gets each end position, and stops the search by
    /// returning true.
    fn alt(alts: &[Vec<Piece>], t: &[char], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        alts.iter().any(|s| seq(s, t, i, k))
    }

    fn seq(s: &[Piece], t: &[char], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        let Some((p, rest)) = s.split_first() else {
            return k(i);
        };
        piece(p, 0, t, i, &mut |j| seq(rest, t, j, k))
    }

    fn piece(p: &Piece, n: usize, t: &[char], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        // Greedy: one more repetition first, then stop here.
        if n < p.max
            && one(&p.atom, t, i, &mut |j| {
                (j != i || n < p.min) && piece(p, n + 1, t, j, k)
            })
        {
            return true;
        }
        n >= p.min && k(i)
    }

    fn one(a: &Atom, t: &[char], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        match a {
            Atom::Char(c) => t.get(i) == Some(c) && k(i + 1),
            Atom::Any => i < t.len() && k(i + 1),
            Atom::Class(neg, ranges) => {
                t.get(i)
                    .is_some_and(|c| ranges.iter().any(|(lo, hi)| lo <= c && c <= hi) != *neg)
                    && k(i + 1)
            }
            Atom::Start => i == 0 && k(i),
            Atom::End => i == t.len() && k(i),
            Atom::Group(g) => alt(g, t, i, k),
        }
    }
}

/// `pattern_match()`: `regexec` of `-r`'s expression; an expression that does not compile
/// matches nothing.
fn pattern_match(s: &str, pat: &str) -> bool {
    ere::Regex::new(pat).is_some_and(|r| r.is_match(s))
}

fn lstrip(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_ascii_whitespace())
}

fn rstrip(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_ascii_whitespace())
}

impl Sysctl<'_> {
    fn out(&self, s: &str) {
        self.proc.out(s);
    }
    fn err(&self, s: &str) {
        self.proc.err(s);
    }
    fn cwd(&self) -> &Path {
        &self.proc.cwd
    }
    fn stat(&self, path: &str) -> Option<bool> {
        self.proc.sys.stat(self.cwd(), path, self.proc.netns)
    }

    /// `is_proc_path()`: the path, once resolved, lies under `/proc/sys/`.
    fn is_proc_path(&self, path: &str) -> bool {
        match VPath::resolve(self.cwd(), path) {
            VPath::Sysctl(key) if !key.is_empty() => true,
            _ => {
                self.err(&format!("sysctl: Path is not under {PROC_PATH}: {path}\n"));
                false
            }
        }
    }

    async fn read_file(&self, path: &str) -> Result<String, tsunagi_lab::Errno> {
        let f = self
            .proc
            .sys
            .open(self.cwd(), path, OpenMode::READ, self.proc.netns)?;
        let data = f.read_to_end().await?;
        Ok(String::from_utf8_lossy(&data).into_owned())
    }

    /// `ReadSetting()`.
    async fn read_setting(&self, name: &str) -> i32 {
        if name.is_empty() {
            self.err("sysctl: \"\" is an unknown key\n");
            return -1;
        }
        let mut warn = String::new();
        let outname = slashdot(name, '/', '.', &mut warn);
        let tmpname = format!("{PROC_PATH}{}", slashdot(name, '.', '/', &mut warn));
        self.err(&warn);
        let Some(is_dir) = self.stat(&tmpname) else {
            if !self.ignore_error {
                self.err(&format!(
                    "sysctl: cannot stat {tmpname}: No such file or directory\n"
                ));
                return 1;
            }
            return 0;
        };
        if !self.is_proc_path(&tmpname) {
            return -1;
        }
        if is_dir {
            return Box::pin(self.display_all(&format!("{tmpname}/"))).await;
        }
        if let Some(p) = &self.pattern {
            if !pattern_match(&outname, p) {
                return 0;
            }
        }
        if self.name_only {
            self.out(&format!("{outname}\n"));
            return 0;
        }
        match self.read_file(&tmpname).await {
            Err(tsunagi_lab::Errno::ENOENT) => {
                if !self.ignore_error {
                    self.err(&format!("sysctl: \"{outname}\" is an unknown key\n"));
                    return 1;
                }
                0
            }
            Err(tsunagi_lab::Errno::EACCES) => {
                self.err(&format!("sysctl: permission denied on key '{outname}'\n"));
                1
            }
            Err(tsunagi_lab::Errno::EIO) => 1,
            Err(e) => {
                self.err(&format!("sysctl: reading key \"{outname}\": {e}\n"));
                1
            }
            Ok(value) => {
                if value.is_empty() {
                    return 0;
                }
                if self.print_name {
                    self.out(&format!("{outname} = {value}"));
                    if !value.ends_with('\n') {
                        self.out("\n");
                    }
                } else if self.print_newline {
                    self.out(&value);
                } else {
                    self.out(&value.replacen('\n', "", 1));
                }
                0
            }
        }
    }

    /// `DisplayAll()`.
    async fn display_all(&self, path: &str) -> i32 {
        let entries = match self.proc.sys.read_dir(self.cwd(), path, self.proc.netns) {
            Ok(e) => e,
            Err(_) => {
                self.err(&format!("sysctl: unable to open directory \"{path}\"\n"));
                return 1;
            }
        };
        let mut rc = 0;
        for e in entries {
            if self.ignore_deprecated && DEPRECATED.contains(&e.name.as_str()) {
                continue;
            }
            let tmpdir = format!("{path}{}", e.name);
            match self.stat(&tmpdir) {
                None => self.err(&format!(
                    "sysctl: cannot stat {tmpdir}: No such file or directory\n"
                )),
                Some(true) => {
                    Box::pin(self.display_all(&format!("{tmpdir}/"))).await;
                }
                Some(false) => {
                    let key = tmpdir.strip_prefix(PROC_PATH).unwrap_or(&tmpdir);
                    rc |= Box::pin(self.read_setting(key)).await;
                }
            }
        }
        rc
    }

    /// `WriteSetting()`.
    fn write_setting(&self, path: &str, value: &str, ignore_failure: bool) -> i32 {
        let Some(is_dir) = self.stat(path) else {
            if !self.ignore_error {
                self.err(&format!(
                    "sysctl: cannot stat {path}: No such file or directory\n"
                ));
                return 1;
            }
            return 0;
        };
        if !self.is_proc_path(path) {
            return 1;
        }
        let mut warn = String::new();
        let dotted = slashdot(
            path.strip_prefix(PROC_PATH).unwrap_or(path),
            '/',
            '.',
            &mut warn,
        );
        if is_dir {
            self.err(&format!(
                "sysctl: setting key \"{dotted}\": Invalid argument\n"
            ));
            return 0;
        }
        let mut rc = 0;
        if !self.dry_run {
            let mode = OpenMode {
                write: true,
                ..OpenMode::default()
            };
            match self.proc.sys.open(self.cwd(), path, mode, self.proc.netns) {
                Err(e) => {
                    let ign = if ignore_failure { ", ignoring" } else { "" };
                    match e {
                        tsunagi_lab::Errno::ENOENT => {
                            if !self.ignore_error {
                                self.err(&format!("sysctl: \"{dotted}\" is an unknown key{ign}\n"));
                                if !ignore_failure {
                                    rc = 1;
                                }
                            }
                        }
                        tsunagi_lab::Errno::EPERM | tsunagi_lab::Errno::EACCES => {
                            self.err(&format!(
                                "sysctl: permission denied on key \"{dotted}\"{ign}\n"
                            ));
                        }
                        other => {
                            self.err(&format!("sysctl: setting key \"{dotted}\"{ign}: {other}\n"));
                        }
                    }
                    if !ignore_failure && e != tsunagi_lab::Errno::ENOENT {
                        rc = 1;
                    }
                }
                Ok(f) => {
                    if let Err(e) = f.write(format!("{value}\n").as_bytes()) {
                        self.err(&format!("sysctl: setting key \"{dotted}\": {e}\n"));
                        return 1;
                    }
                }
            }
        }
        if (rc == 0 && !self.quiet) || self.dry_run {
            if self.name_only {
                self.out(&format!("{value}\n"));
            } else if self.print_name {
                self.out(&format!("{dotted} = {value}\n"));
            } else if self.print_newline {
                self.out(&format!("{value}\n"));
            } else {
                self.out(value);
            }
        }
        rc
    }

    /// `parse_setting_line()`; `None` where procps returns NULL.
    fn parse_setting_line(&self, path: &str, linenum: usize, line: &str) -> Option<Setting> {
        let key = lstrip(line);
        if key.len() < 2 {
            return None;
        }
        if key.starts_with('#') || key.starts_with(';') {
            return None;
        }
        if let Some(p) = &self.pattern {
            if !pattern_match(key, p) {
                return None;
            }
        }
        let (key, value, ignore_failure, glob_exclude) = match key.split_once('=') {
            None => {
                if let Some(k) = key.strip_prefix('-') {
                    (rstrip(k).to_string(), None, false, true)
                } else {
                    self.err(&format!(
                        "sysctl: {path}({linenum}): invalid syntax, continuing...\n"
                    ));
                    return None;
                }
            }
            Some((k, v)) => {
                let (k, ign) = match k.strip_prefix('-') {
                    Some(k) => (k, true),
                    None => (k, false),
                };
                (
                    rstrip(k).to_string(),
                    Some(rstrip(lstrip(v)).to_string()),
                    ign,
                    false,
                )
            }
        };
        let mut warn = String::new();
        let path = format!("{PROC_PATH}{}", slashdot(&key, '.', '/', &mut warn));
        self.err(&warn);
        Some(Setting {
            path,
            value,
            ignore_failure,
            glob_exclude,
        })
    }

    /// `Preload()`: the settings of one file.
    async fn preload(&self, file: &str, list: &mut Vec<Setting>) -> i32 {
        let text = if file == "-" {
            String::from_utf8_lossy(&self.proc.read_stdin_all().await).into_owned()
        } else {
            match self.read_file(file).await {
                Ok(t) => t,
                Err(e) => {
                    self.err(&format!("sysctl: cannot open \"{file}\": {e}\n"));
                    return 1;
                }
            }
        };
        for (n, line) in text.split_inclusive('\n').enumerate() {
            if line.len() < 2 {
                continue;
            }
            if let Some(s) = self.parse_setting_line(file, n + 1, line) {
                list.push(s);
            }
        }
        0
    }

    fn write_list(&self, list: &[Setting]) -> i32 {
        let mut rc = 0;
        for s in list {
            if s.glob_exclude {
                continue;
            }
            let v = s.value.clone().unwrap_or_default();
            rc |= self.write_setting(&s.path, &v, s.ignore_failure);
        }
        rc
    }
}

/// The `sysctl` program.
pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    Box::pin(run(proc))
}

async fn run(proc: Proc) -> i32 {
    let argv: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
    if argv.is_empty() {
        proc.err(USAGE);
        return 1;
    }
    let (opts, operands) = getopt(&argv);
    let mut s = Sysctl {
        proc: &proc,
        print_name: true,
        print_newline: true,
        name_only: false,
        ignore_error: false,
        quiet: false,
        dry_run: false,
        ignore_deprecated: true,
        pattern: None,
    };
    let mut write_mode = false;
    let mut display_all = false;
    let mut preload: Option<Option<String>> = None;
    let mut system = false;
    for o in opts {
        match o {
            Opt::Short('b', _) => {
                s.print_newline = false;
                s.print_name = false;
            }
            Opt::Short('n', _) => s.print_name = false,
            Opt::Short('e', _) => s.ignore_error = true,
            Opt::Short('N', _) => s.name_only = true,
            Opt::Short('w', _) => write_mode = true,
            Opt::Short('f' | 'p', arg) => {
                preload = Some(arg.or(preload.flatten()));
            }
            Opt::Short('q', _) => s.quiet = true,
            Opt::Short('o' | 'x', _) => {}
            Opt::Short('a' | 'A' | 'X', _) => display_all = true,
            Opt::Deprecated => s.ignore_deprecated = false,
            Opt::System => {
                system = true;
                break;
            }
            Opt::DryRun => s.dry_run = true,
            Opt::Short('r', arg) => s.pattern = arg,
            Opt::Short('V', _) => {
                proc.out(VERSION);
                return 0;
            }
            Opt::Bad(msg) => {
                proc.err(&msg);
                proc.out(USAGE);
                return 0;
            }
            Opt::Short(_, _) => {
                proc.out(USAGE);
                return 0;
            }
        }
    }
    if system {
        // --system: no system directories are modelled; /etc/sysctl.conf is read if present.
        s.ignore_error = true;
        let mut list = Vec::new();
        let mut rc = 0;
        if s.stat(DEFAULT_PRELOAD) == Some(false) {
            if !s.quiet {
                proc.out(format!("* Applying {DEFAULT_PRELOAD} ...\n"));
            }
            rc |= s.preload(DEFAULT_PRELOAD, &mut list).await;
        }
        return rc | s.write_list(&list);
    }
    if display_all {
        return s.display_all(PROC_PATH).await;
    }
    if let Some(file) = preload {
        let mut list = Vec::new();
        let mut rc = 0;
        match file {
            Some(f) => rc |= s.preload(&f, &mut list).await,
            None => {
                if operands.is_empty() {
                    rc |= s.preload(DEFAULT_PRELOAD, &mut list).await;
                }
            }
        }
        for f in &operands {
            rc |= s.preload(f, &mut list).await;
        }
        return rc | s.write_list(&list);
    }
    if operands.is_empty() {
        proc.err("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
        return 1;
    }
    if s.name_only && s.quiet {
        proc.err(
            "sysctl: options -N and -q cannot coexist\nTry `sysctl --help' for more information.\n",
        );
        return 1;
    }
    let mut rc: i32 = 0;
    for arg in &operands {
        if write_mode || arg.contains('=') {
            match s.parse_setting_line("command line", 0, arg) {
                Some(set) => {
                    let v = set.value.clone().unwrap_or_default();
                    rc |= s.write_setting(&set.path, &v, set.ignore_failure);
                }
                None => rc |= 1,
            }
        } else {
            rc = rc.wrapping_add(s.read_setting(arg).await);
        }
    }
    rc & 0xff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn getopt_permutes_and_clusters() {
        let (o, rest) = getopt(&v(&["net.ipv4.ip_forward", "-nq", "--val", "x"]));
        assert_eq!(
            o,
            vec![
                Opt::Short('n', None),
                Opt::Short('q', None),
                Opt::Short('n', None)
            ]
        );
        assert_eq!(rest, v(&["net.ipv4.ip_forward", "x"]));
        let (o, _) = getopt(&v(&["-z"]));
        assert_eq!(o, vec![Opt::Bad("sysctl: invalid option -- 'z'\n".into())]);
        let (o, _) = getopt(&v(&["--foo"]));
        assert_eq!(
            o,
            vec![Opt::Bad("sysctl: unrecognized option '--foo'\n".into())]
        );
        let (o, _) = getopt(&v(&["-r"]));
        assert_eq!(
            o,
            vec![Opt::Bad(
                "sysctl: option requires an argument -- 'r'\n".into()
            )]
        );
        let (o, _) = getopt(&v(&["--all=3"]));
        assert_eq!(
            o,
            vec![Opt::Bad(
                "sysctl: option '--all' doesn't allow an argument\n".into()
            )]
        );
        let (o, _) = getopt(&v(&["-pfile", "-r", "x"]));
        assert_eq!(
            o,
            vec![
                Opt::Short('p', Some("file".into())),
                Opt::Short('r', Some("x".into()))
            ]
        );
    }

    #[test]
    fn slashes_and_dots() {
        let mut w = String::new();
        assert_eq!(
            slashdot("net/ipv4/ip_forward", '/', '.', &mut w),
            "net.ipv4.ip_forward"
        );
        assert_eq!(
            slashdot("net.ipv4.ip_forward", '/', '.', &mut w),
            "net.ipv4.ip_forward"
        );
        assert_eq!(
            slashdot("net.ipv4.ip_forward", '.', '/', &mut w),
            "net/ipv4/ip_forward"
        );
        assert_eq!(
            slashdot("net/ipv4/conf/eth0.100/forwarding", '/', '.', &mut w),
            "net.ipv4.conf.eth0/100.forwarding"
        );
        assert!(w.is_empty());
        slashdot("net..ipv4.ip_forward", '.', '/', &mut w);
        assert_eq!(
            w,
            "sysctl: separators should not be repeated: ..ipv4.ip_forward\n"
        );
    }

    #[test]
    fn patterns() {
        assert!(pattern_match("net.ipv4.ip_forward", "ip_forward$"));
        assert!(!pattern_match(
            "net.ipv4.conf.all.forwarding",
            "ip_forward$"
        ));
        assert!(pattern_match("net.ipv4.ip_forward", "^net"));
    }
}

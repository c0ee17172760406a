//! `grep` as GNU grep 3.8: basic, extended and fixed-string patterns (`-G -E -F`), several
//! patterns (`-e`, `-f`, newlines), `-i -v -w -x -c -l -L -n -h -H -o -q -s -m`, context
//! (`-A -B -C`, `-NUM`) with `--` separators, `-r` over real directories. Exit status 0 if a
//! line was selected, 1 if none, 2 on error (0 with `-q` once a line matched).
//!
//! Reference: grep(1), the GNU grep manual.

use std::collections::VecDeque;

use tsunagi_lab::{LocalBoxFuture, Proc};

use super::{boxed, err, open, parse_args, Lines, Out};
use crate::regex::Regex;

pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(grep_main(proc))
}

enum Matcher {
    Re(Regex),
    Fixed(Vec<String>, bool),
    All,
}

impl Matcher {
    /// The first match at or after byte `from`.
    fn find(&self, line: &str, from: usize) -> Option<(usize, usize)> {
        match self {
            Matcher::All => Some((from, from)),
            Matcher::Re(r) => r.find_at(line, from),
            Matcher::Fixed(pats, icase) => {
                let hay = if *icase {
                    line.to_lowercase()
                } else {
                    line.to_string()
                };
                let mut best: Option<(usize, usize)> = None;
                for p in pats {
                    let p = if *icase { p.to_lowercase() } else { p.clone() };
                    if let Some(i) = hay.get(from..).and_then(|h| h.find(&p)) {
                        let m = (from + i, from + i + p.len());
                        best = match best {
                            None => Some(m),
                            Some(b) if m.0 < b.0 || (m.0 == b.0 && m.1 > b.1) => Some(m),
                            b => b,
                        };
                    }
                }
                best
            }
        }
    }
}

struct Opts {
    invert: bool,
    word: bool,
    line: bool,
    count: bool,
    list: bool,
    list_missing: bool,
    number: bool,
    only: bool,
    quiet: bool,
    silent: bool,
    max: Option<u64>,
    before: usize,
    after: usize,
    with_name: Option<bool>,
    byte_offset: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The matches of a line (for `-o` and to decide selection), honouring -w and -x.
fn matches(m: &Matcher, line: &str, o: &Opts) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while from <= line.len() {
        let Some((s, e)) = m.find(line, from) else {
            break;
        };
        let ok = if o.line {
            s == 0 && e == line.len()
        } else if o.word {
            let before = line[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c));
            let after = line[e..].chars().next().is_none_or(|c| !is_word_char(c));
            before && after && (e > s || line.is_empty())
        } else {
            true
        };
        if ok {
            out.push((s, e));
            if !o.only {
                return out;
            }
        }
        // Move on (past an empty match by one character).
        let next = if ok && e > s {
            e
        } else {
            s + line[s..].chars().next().map(|c| c.len_utf8()).unwrap_or(1)
        };
        if next <= from && !(ok && e > s) {
            from += 1;
        } else {
            from = next;
        }
        if o.line {
            break;
        }
    }
    out
}

async fn grep_main(proc: Proc) -> i32 {
    let name = proc.name().to_string();
    let mut argv: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
    // -NUM is context.
    for a in argv.iter_mut() {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            *a = format!("-C{}", &a[1..]);
        }
    }
    let a = match parse_args(
        &argv,
        "efmABCd",
        &[
            "regexp",
            "file",
            "max-count",
            "after-context",
            "before-context",
            "context",
            "label",
            "include",
            "exclude",
            "exclude-dir",
        ],
    ) {
        Ok(a) => a,
        Err(m) => {
            err(&proc, &format!("{name}: {m}"));
            err(&proc, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.");
            return 2;
        }
    };
    let mut mode = match name.as_str() {
        "egrep" => 'E',
        "fgrep" => 'F',
        _ => 'G',
    };
    let mut icase = false;
    let mut patterns: Vec<String> = Vec::new();
    let mut have_pattern = false;
    let mut recursive = false;
    let mut o = Opts {
        invert: false,
        word: false,
        line: false,
        count: false,
        list: false,
        list_missing: false,
        number: false,
        only: false,
        quiet: false,
        silent: false,
        max: None,
        before: 0,
        after: 0,
        with_name: None,
        byte_offset: false,
    };
    for (opt, v) in &a.opts {
        let v = v.clone().unwrap_or_default();
        match opt.as_str() {
            "-E" | "--extended-regexp" => mode = 'E',
            "-F" | "--fixed-strings" => mode = 'F',
            "-G" | "--basic-regexp" => mode = 'G',
            "-P" | "--perl-regexp" => mode = 'P',
            "-i" | "-y" | "--ignore-case" => icase = true,
            "--no-ignore-case" => icase = false,
            "-v" | "--invert-match" => o.invert = true,
            "-w" | "--word-regexp" => o.word = true,
            "-x" | "--line-regexp" => o.line = true,
            "-c" | "--count" => o.count = true,
            "-l" | "--files-with-matches" => o.list = true,
            "-L" | "--files-without-match" => o.list_missing = true,
            "-n" | "--line-number" => o.number = true,
            "-o" | "--only-matching" => o.only = true,
            "-q" | "--quiet" | "--silent" => o.quiet = true,
            "-s" | "--no-messages" => o.silent = true,
            "-h" | "--no-filename" => o.with_name = Some(false),
            "-H" | "--with-filename" => o.with_name = Some(true),
            "-b" | "--byte-offset" => o.byte_offset = true,
            "-r" | "-R" | "--recursive" | "--dereference-recursive" => recursive = true,
            "-m" | "--max-count" => o.max = v.parse().ok(),
            "-A" | "--after-context" | "-B" | "--before-context" | "-C" | "--context" => {
                let Ok(n) = v.parse::<usize>() else {
                    err(
                        &proc,
                        &format!("{name}: {v}: invalid context length argument"),
                    );
                    return 2;
                };
                match opt.as_str() {
                    "-A" | "--after-context" => o.after = n,
                    "-B" | "--before-context" => o.before = n,
                    _ => {
                        o.after = n;
                        o.before = n;
                    }
                }
            }
            "-e" | "--regexp" => {
                patterns.extend(v.split('\n').map(str::to_string));
                have_pattern = true;
            }
            "-f" | "--file" => match super::read_all(&proc, &v).await {
                Ok(d) => {
                    let t = String::from_utf8_lossy(&d).into_owned();
                    patterns.extend(t.lines().map(str::to_string));
                    have_pattern = true;
                }
                Err(e) => {
                    err(&proc, &format!("{name}: {v}: {e}"));
                    return 2;
                }
            },
            "-V" | "--version" => {
                proc.out("grep (GNU grep) 3.8\nCopyright (C) 2022 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\nWritten by Mike Haertel and others; see\n<https://git.sv.gnu.org/cgit/grep.git/tree/AUTHORS>.\n");
                return 0;
            }
            "--color" | "--colour" | "-a" | "--text" | "-I" | "-U" | "--line-buffered"
            | "--label" | "--include" | "--exclude" | "--exclude-dir" | "-Z" | "--null" | "-d"
            | "-T" => {}
            other => {
                let shown = other.trim_start_matches('-');
                if other.starts_with("--") {
                    err(&proc, &format!("{name}: unrecognized option '{other}'"));
                } else {
                    err(&proc, &format!("{name}: invalid option -- '{shown}'"));
                }
                err(&proc, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.");
                return 2;
            }
        }
    }
    let mut operands = a.operands;
    if !have_pattern {
        if operands.is_empty() {
            err(&proc, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.");
            return 2;
        }
        patterns.extend(operands.remove(0).split('\n').map(str::to_string));
    }
    let matcher = if patterns.iter().any(|p| p.is_empty()) && !o.word && !o.line {
        Matcher::All
    } else if mode == 'F' {
        Matcher::Fixed(patterns.clone(), icase)
    } else {
        let mut parts = Vec::new();
        for p in &patterns {
            let translated = if mode == 'P' {
                // Perl syntax is close to the regex crate's own.
                Ok(p.clone())
            } else {
                crate::regex::translate(p, mode == 'E')
            };
            match translated {
                Ok(t) => parts.push(format!("(?:{t})")),
                Err(m) => {
                    err(&proc, &format!("{name}: {m}"));
                    return 2;
                }
            }
        }
        let joined = parts.join("|");
        match Regex::new_translated(&joined, icase) {
            Ok(r) => Matcher::Re(r),
            Err(m) => {
                err(&proc, &format!("{name}: {m}"));
                return 2;
            }
        }
    };
    let implicit_dot = operands.is_empty() && recursive;
    let mut files = if operands.is_empty() {
        vec![if recursive {
            ".".to_string()
        } else {
            "-".to_string()
        }]
    } else {
        operands
    };
    if recursive {
        let mut expanded = Vec::new();
        for f in files {
            collect_files(&proc, &f, implicit_dot, &mut expanded);
        }
        files = expanded;
    }
    let show_name = o.with_name.unwrap_or(files.len() > 1 || recursive);
    let mut out = Out::new(&proc);
    let mut any = false;
    let mut error = false;
    for f in &files {
        let display = if f == "-" {
            "(standard input)".to_string()
        } else {
            f.clone()
        };
        if f != "-" && proc.sys.stat(&proc.cwd, f, proc.netns) == Some(true) {
            if !o.silent {
                out.flush();
                err(&proc, &format!("{name}: {f}: Is a directory"));
            }
            error = true;
            continue;
        }
        let file = match open(&proc, f) {
            Ok(x) => x,
            Err(e) => {
                if !o.silent {
                    out.flush();
                    err(&proc, &format!("{name}: {f}: {e}"));
                }
                error = true;
                continue;
            }
        };
        let mut rd = Lines::new(file);
        let mut count: u64 = 0;
        let mut lineno: u64 = 0;
        let mut offset: u64 = 0;
        let mut before: VecDeque<(u64, u64, String)> = VecDeque::new();
        let mut after_left = 0usize;
        let mut last_printed: Option<u64> = None;
        let context = o.before > 0 || o.after > 0;
        let prefix = |out: &mut Out, n: u64, off: u64, sep: char| {
            if show_name {
                out.str(&display);
                out.str(&sep.to_string());
            }
            if o.number {
                out.str(&format!("{n}{sep}"));
            }
            if o.byte_offset {
                out.str(&format!("{off}{sep}"));
            }
        };
        loop {
            let (raw, nl) = match rd.next().await {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    if !o.silent {
                        err(&proc, &format!("{name}: {f}: {e}"));
                    }
                    error = true;
                    break;
                }
            };
            lineno += 1;
            let line_off = offset;
            offset += raw.len() as u64 + u64::from(nl);
            let line = String::from_utf8_lossy(&raw).into_owned();
            let ms = matches(&matcher, &line, &o);
            let selected = ms.is_empty() == o.invert;
            if selected {
                count += 1;
                any = true;
                if o.quiet {
                    return 0;
                }
                if o.list || o.list_missing {
                    break;
                }
                if !o.count {
                    if context {
                        if let Some(lp) = last_printed {
                            if lineno - before.len() as u64 > lp + 1 {
                                out.str("--\n");
                            }
                        } else if lineno > before.len() as u64 + 1 && count > 1 {
                            out.str("--\n");
                        }
                        for (n, off, l) in before.drain(..) {
                            prefix(&mut out, n, off, '-');
                            out.str(&l);
                            out.str("\n");
                        }
                    }
                    if o.only {
                        if !o.invert {
                            for (s, e) in &ms {
                                if e > s {
                                    prefix(&mut out, lineno, line_off + *s as u64, ':');
                                    out.str(&line[*s..*e]);
                                    out.str("\n");
                                }
                            }
                        }
                    } else {
                        prefix(&mut out, lineno, line_off, ':');
                        out.str(&line);
                        out.str("\n");
                    }
                    last_printed = Some(lineno);
                    after_left = o.after;
                }
                if o.max.is_some_and(|m| count >= m) {
                    // Trailing context is still printed.
                    while after_left > 0 {
                        let Ok(Some((raw, _))) = rd.next().await else {
                            break;
                        };
                        lineno += 1;
                        let l = String::from_utf8_lossy(&raw).into_owned();
                        if matches(&matcher, &l, &o).is_empty() == o.invert {
                            break;
                        }
                        prefix(&mut out, lineno, offset, '-');
                        out.str(&l);
                        out.str("\n");
                        after_left -= 1;
                    }
                    break;
                }
            } else if context && !o.count {
                if after_left > 0 {
                    prefix(&mut out, lineno, line_off, '-');
                    out.str(&line);
                    out.str("\n");
                    after_left -= 1;
                    last_printed = Some(lineno);
                } else if o.before > 0 {
                    before.push_back((lineno, line_off, line));
                    if before.len() > o.before {
                        before.pop_front();
                    }
                }
            }
            if out.broken {
                return 2;
            }
        }
        if o.count {
            if show_name {
                out.str(&format!("{display}:{count}\n"));
            } else {
                out.str(&format!("{count}\n"));
            }
        }
        if o.list && count > 0 {
            out.str(&format!("{display}\n"));
        }
        if o.list_missing && count == 0 {
            out.str(&format!("{display}\n"));
        }
    }
    if error && !(o.quiet && any) {
        return 2;
    }
    i32::from(!any)
}

fn collect_files(proc: &Proc, path: &str, implicit_dot: bool, out: &mut Vec<String>) {
    match proc.sys.stat(&proc.cwd, path, proc.netns) {
        Some(true) => {
            if let Ok(entries) = proc.sys.read_dir(&proc.cwd, path, proc.netns) {
                for e in entries {
                    let p = if implicit_dot && path == "." {
                        e.name.clone()
                    } else if path.ends_with('/') {
                        format!("{path}{}", e.name)
                    } else {
                        format!("{path}/{}", e.name)
                    };
                    collect_files(proc, &p, false, out);
                }
            }
        }
        _ => out.push(path.to_string()),
    }
}

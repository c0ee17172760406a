//! GNU coreutils as lab scripts use them: cat, head, tail, wc, sort, uniq, cut, tr, seq,
//! sleep, true, false, echo, printf, test/[, mkdir, ls, pwd, rm, touch, basename, dirname,
//! env, tee, yes, id, whoami, and `sudo`, which just runs its command (everything in a lab
//! runs as root).
//!
//! Messages follow coreutils 9.1 in a UTF-8 locale (`head: invalid number of lines: ‘x’`).
//!
//! Reference: the coreutils manual and `--help` texts.

use std::collections::BTreeMap;

use tsunagi_lab::{Duration, Errno, Lab, LocalBoxFuture, OpenMode, Proc};

use super::{boxed, err, open, parse_args, quote, read_all, yield_now, Lines, Out};

pub fn register(lab: &Lab) {
    let progs: [(&str, tsunagi_lab::ProgramFn); 35] = [
        ("cat", cat),
        ("head", head),
        ("tail", tail),
        ("wc", wc),
        ("sort", sort),
        ("uniq", uniq),
        ("cut", cut),
        ("tr", tr),
        ("seq", seq),
        ("sleep", sleep),
        ("true", true_),
        ("false", false_),
        ("echo", echo),
        ("printf", printf),
        ("test", test),
        ("[", test),
        ("mkdir", mkdir),
        ("ls", ls),
        ("pwd", pwd),
        ("rm", rm),
        ("touch", touch),
        ("basename", basename),
        ("dirname", dirname),
        ("env", env),
        ("tee", tee),
        ("yes", yes),
        ("id", id),
        ("whoami", whoami),
        ("sudo", sudo),
        ("rmdir", rmdir),
        ("cp", cp),
        ("mv", mv),
        ("which", which),
        ("xargs", xargs),
        ("chmod", chmod),
    ];
    for (n, f) in progs {
        lab.register(n, f);
    }
}

fn try_help(proc: &Proc, msg: &str) -> i32 {
    let name = proc.name().to_string();
    err(proc, &format!("{name}: {msg}"));
    err(proc, &format!("Try '{name} --help' for more information."));
    1
}

fn args(proc: &Proc) -> Vec<String> {
    proc.argv.iter().skip(1).cloned().collect()
}

// --- cat -----------------------------------------------------------------------------------

pub fn cat(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(cat_main(proc))
}

async fn cat_main(proc: Proc) -> i32 {
    let a = match parse_args(&args(&proc), "", &[]) {
        Ok(a) => a,
        Err(m) => return try_help(&proc, &m),
    };
    let (mut number, mut nonblank, mut squeeze, mut ends, mut tabs) =
        (false, false, false, false, false);
    for (o, _) in &a.opts {
        match o.as_str() {
            "-n" | "--number" => number = true,
            "-b" | "--number-nonblank" => nonblank = true,
            "-s" | "--squeeze-blank" => squeeze = true,
            "-E" | "--show-ends" => ends = true,
            "-T" | "--show-tabs" => tabs = true,
            "-A" | "--show-all" => {
                ends = true;
                tabs = true;
            }
            "-e" => ends = true,
            "-t" => tabs = true,
            "-u" | "-v" => {}
            other => {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    let files = if a.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        a.operands
    };
    let plain = !(number || nonblank || squeeze || ends || tabs);
    let mut out = Out::new(&proc);
    let mut status = 0;
    let mut lineno = 0u64;
    let mut prev_blank = false;
    for f in files {
        let file = match open(&proc, &f) {
            Ok(x) => x,
            Err(e) => {
                out.flush();
                err(&proc, &format!("cat: {}: {e}", quote(&f)));
                status = 1;
                continue;
            }
        };
        if plain {
            let mut chunks = 0u32;
            loop {
                chunks += 1;
                if chunks % 16 == 0 {
                    yield_now().await;
                }
                match file.read().await {
                    Ok(c) if c.is_empty() => break,
                    Ok(c) => {
                        out.write(&c);
                        out.flush();
                        if out.broken {
                            return 1;
                        }
                    }
                    Err(e) => {
                        err(&proc, &format!("cat: {}: {e}", quote(&f)));
                        status = 1;
                        break;
                    }
                }
            }
            continue;
        }
        let mut lines = Lines::new(file);
        loop {
            let (line, nl) = match lines.next().await {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    err(&proc, &format!("cat: {}: {e}", quote(&f)));
                    status = 1;
                    break;
                }
            };
            let blank = line.is_empty();
            if squeeze && blank && prev_blank {
                continue;
            }
            prev_blank = blank;
            if (number && !nonblank) || (nonblank && !blank) {
                lineno += 1;
                out.str(&format!("{lineno:>6}\t"));
            }
            if tabs {
                let mut l = Vec::new();
                for b in line {
                    if b == b'\t' {
                        l.extend_from_slice(b"^I");
                    } else {
                        l.push(b);
                    }
                }
                out.write(&l);
            } else {
                out.write(&line);
            }
            if nl {
                if ends {
                    out.write(b"$");
                }
                out.write(b"\n");
            }
            if out.broken {
                return 1;
            }
        }
    }
    status
}

// --- head / tail ---------------------------------------------------------------------------

/// Parses a count with GNU's multiplier suffixes (`1K`, `2M`, `b`).
fn parse_count(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => {
            let m = match &s[i..] {
                "b" => 512,
                "K" | "KiB" | "k" => 1024,
                "KB" | "kB" => 1000,
                "M" | "MiB" => 1024 * 1024,
                "MB" => 1_000_000,
                "G" | "GiB" => 1 << 30,
                "GB" => 1_000_000_000,
                _ => return None,
            };
            (&s[..i], m)
        }
        None => (s, 1),
    };
    num.parse::<u64>().ok().map(|n| n.saturating_mul(mult))
}

/// Turns `-5` into `-n 5` (the obsolete form head and tail accept).
fn obsolete_count(argv: &[String]) -> Vec<String> {
    argv.iter()
        .enumerate()
        .flat_map(|(i, a)| {
            if i == 0
                && a.len() > 1
                && a.starts_with('-')
                && a[1..].chars().next().is_some_and(|c| c.is_ascii_digit())
            {
                vec!["-n".to_string(), a[1..].to_string()]
            } else if i == 0
                && a.len() > 1
                && a.starts_with('+')
                && a[1..].chars().all(|c| c.is_ascii_digit())
            {
                vec!["-n".to_string(), a.clone()]
            } else {
                vec![a.clone()]
            }
        })
        .collect()
}

pub fn head(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(head_main(proc))
}

async fn head_main(proc: Proc) -> i32 {
    let argv = obsolete_count(&args(&proc));
    let a = match parse_args(&argv, "nc", &["lines", "bytes"]) {
        Ok(a) => a,
        Err(m) => return try_help(&proc, &m),
    };
    let mut lines: i64 = 10;
    let mut bytes: Option<i64> = None;
    let mut headers: Option<bool> = None;
    for (o, v) in &a.opts {
        let v = v.clone().unwrap_or_default();
        match o.as_str() {
            "-n" | "--lines" => {
                let (neg, n) = match v.strip_prefix('-') {
                    Some(n) => (true, n),
                    None => (false, v.as_str()),
                };
                match parse_count(n) {
                    Some(c) => {
                        lines = if neg { -(c as i64) } else { c as i64 };
                        bytes = None;
                    }
                    None => {
                        err(&proc, &format!("head: invalid number of lines: ‘{v}’"));
                        return 1;
                    }
                }
            }
            "-c" | "--bytes" => {
                let (neg, n) = match v.strip_prefix('-') {
                    Some(n) => (true, n),
                    None => (false, v.as_str()),
                };
                match parse_count(n) {
                    Some(c) => bytes = Some(if neg { -(c as i64) } else { c as i64 }),
                    None => {
                        err(&proc, &format!("head: invalid number of bytes: ‘{v}’"));
                        return 1;
                    }
                }
            }
            "-q" | "--quiet" | "--silent" => headers = Some(false),
            "-v" | "--verbose" => headers = Some(true),
            other => {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    let files = if a.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        a.operands
    };
    let show = headers.unwrap_or(files.len() > 1);
    let mut out = Out::new(&proc);
    let mut status = 0;
    for (k, f) in files.iter().enumerate() {
        let file = match open(&proc, f) {
            Ok(x) => x,
            Err(e) => {
                out.flush();
                err(
                    &proc,
                    &format!("head: cannot open {} for reading: {e}", quote_always(f)),
                );
                status = 1;
                continue;
            }
        };
        if show {
            let name = if f == "-" { "standard input" } else { f };
            out.str(&format!(
                "{}==> {name} <==\n",
                if k > 0 { "\n" } else { "" }
            ));
        }
        match bytes {
            Some(n) if n >= 0 => {
                let mut left = n as usize;
                while left > 0 {
                    let c = file.read().await.unwrap_or_default();
                    if c.is_empty() {
                        break;
                    }
                    let take = c.len().min(left);
                    out.write(&c[..take]);
                    left -= take;
                }
            }
            Some(n) => {
                let data = file.read_to_end().await.unwrap_or_default();
                let keep = data.len().saturating_sub(n.unsigned_abs() as usize);
                out.write(&data[..keep]);
            }
            None if lines >= 0 => {
                let mut left = lines;
                let mut rd = Lines::new(file);
                while left > 0 {
                    match rd.next().await {
                        Ok(Some((l, nl))) => {
                            out.write(&l);
                            if nl {
                                out.write(b"\n");
                            }
                            left -= 1;
                        }
                        _ => break,
                    }
                    if out.broken {
                        return 1;
                    }
                }
            }
            None => {
                let data = file.read_to_end().await.unwrap_or_default();
                let all = split_lines(&data);
                let keep = all.len().saturating_sub(lines.unsigned_abs() as usize);
                for l in &all[..keep] {
                    out.write(l);
                }
            }
        }
    }
    status
}

fn quote_always(name: &str) -> String {
    if name.contains('\'') {
        format!("\"{name}\"")
    } else {
        format!("'{name}'")
    }
}

/// Splits data into lines, each keeping its newline.
fn split_lines(data: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut start = 0;
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' {
            v.push(&data[start..=i]);
            start = i + 1;
        }
    }
    if start < data.len() {
        v.push(&data[start..]);
    }
    v
}

pub fn tail(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(tail_main(proc))
}

async fn tail_main(proc: Proc) -> i32 {
    let argv = obsolete_count(&args(&proc));
    let a = match parse_args(&argv, "ncs", &["lines", "bytes", "sleep-interval", "pid"]) {
        Ok(a) => a,
        Err(m) => return try_help(&proc, &m),
    };
    // (from_start, count)
    let mut lines: (bool, u64) = (false, 10);
    let mut bytes: Option<(bool, u64)> = None;
    let mut follow = false;
    let mut headers: Option<bool> = None;
    for (o, v) in &a.opts {
        let v = v.clone().unwrap_or_default();
        match o.as_str() {
            "-n" | "--lines" | "-c" | "--bytes" => {
                let (plus, n) = match v.strip_prefix('+') {
                    Some(n) => (true, n),
                    None => (false, v.strip_prefix('-').unwrap_or(&v)),
                };
                let is_lines = o == "-n" || o == "--lines";
                match parse_count(n) {
                    Some(c) => {
                        if is_lines {
                            lines = (plus, c);
                            bytes = None;
                        } else {
                            bytes = Some((plus, c));
                        }
                    }
                    None => {
                        let what = if is_lines { "lines" } else { "bytes" };
                        err(&proc, &format!("tail: invalid number of {what}: ‘{v}’"));
                        return 1;
                    }
                }
            }
            "-f" | "-F" | "--follow" => follow = true,
            "-q" | "--quiet" | "--silent" => headers = Some(false),
            "-v" | "--verbose" => headers = Some(true),
            "-s" | "--sleep-interval" | "--pid" | "--retry" => {}
            other => {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    let files = if a.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        a.operands
    };
    let show = headers.unwrap_or(files.len() > 1);
    let mut out = Out::new(&proc);
    let mut status = 0;
    for (k, f) in files.iter().enumerate() {
        let file = match open(&proc, f) {
            Ok(x) => x,
            Err(e) => {
                out.flush();
                err(
                    &proc,
                    &format!("tail: cannot open {} for reading: {e}", quote_always(f)),
                );
                status = 1;
                continue;
            }
        };
        if show {
            let name = if f == "-" { "standard input" } else { f };
            out.str(&format!(
                "{}==> {name} <==\n",
                if k > 0 { "\n" } else { "" }
            ));
        }
        let data = file.read_to_end().await.unwrap_or_default();
        match bytes {
            Some((true, n)) => {
                let skip = (n.saturating_sub(1) as usize).min(data.len());
                out.write(&data[skip..]);
            }
            Some((false, n)) => {
                let skip = data.len().saturating_sub(n as usize);
                out.write(&data[skip..]);
            }
            None => {
                let all = split_lines(&data);
                let skip = if lines.0 {
                    (lines.1.saturating_sub(1) as usize).min(all.len())
                } else {
                    all.len().saturating_sub(lines.1 as usize)
                };
                for l in &all[skip..] {
                    out.write(l);
                }
            }
        }
        if follow && files.len() == 1 && f != "-" {
            out.flush();
            // Follow the file: print what is appended, until killed.
            loop {
                proc.sleep(Duration::from_secs(1)).await;
                let more = file.read().await.unwrap_or_default();
                if !more.is_empty() {
                    out.write(&more);
                    out.flush();
                }
            }
        }
    }
    status
}

// --- wc --------------------------------------------------------------------------------------

pub fn wc(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(wc_main(proc))
}

async fn wc_main(proc: Proc) -> i32 {
    let a = match parse_args(&args(&proc), "", &["files0-from"]) {
        Ok(a) => a,
        Err(m) => return try_help(&proc, &m),
    };
    let (mut l, mut w, mut c, mut m, mut big) = (false, false, false, false, false);
    for (o, _) in &a.opts {
        match o.as_str() {
            "-l" | "--lines" => l = true,
            "-w" | "--words" => w = true,
            "-c" | "--bytes" => c = true,
            "-m" | "--chars" => m = true,
            "-L" | "--max-line-length" => big = true,
            other => {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    if !(l || w || c || m || big) {
        l = true;
        w = true;
        c = true;
    }
    let files = if a.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        a.operands.clone()
    };
    let selected = [l, w, m, c, big];
    let nsel = selected.iter().filter(|&&s| s).count();
    // The column width comes from the sizes of all the inputs, known before reading (as
    // GNU wc stats them first); a non-regular input (a pipe) makes it at least 7.
    let width = if nsel == 1 && files.len() <= 1 {
        1
    } else {
        let mut size_sum: u64 = 0;
        let mut non_regular = false;
        for f in &files {
            let meta = if f == "-" {
                match proc.fd(0).map(|x| &**x) {
                    Some(tsunagi_lab::OpenFile::Real(r)) => r.borrow().metadata().ok(),
                    _ => None,
                }
            } else {
                match tsunagi_lab::VPath::resolve(&proc.cwd, f) {
                    tsunagi_lab::VPath::Real(p) => std::fs::metadata(p).ok(),
                    _ => None,
                }
            };
            match meta {
                Some(md) if md.is_file() => size_sum += md.len(),
                Some(_) => non_regular = true,
                None => {
                    if f == "-" {
                        non_regular = true;
                    }
                }
            }
        }
        let mut wd = size_sum.max(1).to_string().len();
        if non_regular {
            wd = wd.max(7);
        }
        wd
    };
    let fmt_row = |counts: &[u64; 5], name: Option<&str>| {
        let mut parts = Vec::new();
        for (i, s) in selected.iter().enumerate() {
            if *s {
                parts.push(format!("{:>width$}", counts[i]));
            }
        }
        let mut line = parts.join(" ");
        if let Some(n) = name {
            line.push(' ');
            line.push_str(n);
        }
        line.push('\n');
        line
    };
    let mut total = [0u64; 5];
    let mut status = 0;
    for f in &files {
        let data = match open(&proc, f) {
            Ok(file) => match file.read_to_end().await {
                Ok(d) => d,
                Err(e) => {
                    err(&proc, &format!("wc: {}: {e}", quote(f)));
                    status = 1;
                    continue;
                }
            },
            Err(e) => {
                err(&proc, &format!("wc: {}: {e}", quote(f)));
                status = 1;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&data);
        let lines = data.iter().filter(|&&b| b == b'\n').count() as u64;
        let words = text.split_whitespace().count() as u64;
        let bytes = data.len() as u64;
        let chars = text.chars().count() as u64;
        let maxlen = text
            .split('\n')
            .map(|ln| {
                let mut col = 0u64;
                for ch in ln.chars() {
                    if ch == '\t' {
                        col = (col / 8 + 1) * 8;
                    } else {
                        col += 1;
                    }
                }
                col
            })
            .max()
            .unwrap_or(0);
        let counts = [lines, words, chars, bytes, maxlen];
        for i in 0..4 {
            total[i] += counts[i];
        }
        total[4] = total[4].max(maxlen);
        let name = if a.operands.is_empty() {
            None
        } else {
            Some(f.as_str())
        };
        proc.out(fmt_row(&counts, name));
    }
    if files.len() > 1 {
        proc.out(fmt_row(&total, Some("total")));
    }
    status
}

// --- sort ------------------------------------------------------------------------------------

#[derive(Clone, Default)]
struct KeySpec {
    start_field: usize,
    start_char: usize,
    end_field: Option<usize>,
    end_char: usize,
    numeric: bool,
    reverse: bool,
    blanks: bool,
    fold: bool,
    human: bool,
    version: bool,
}

/// Why a `-k` spec is invalid, in GNU sort's words.
fn key_error(s: &str) -> String {
    let start = s.split(',').next().unwrap_or("");
    let digits: String = start.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return format!("invalid number at field start: invalid count at start of ‘{s}’");
    }
    if digits.parse::<u64>().ok() == Some(0) {
        return format!("field number is zero: invalid field specification ‘{s}’");
    }
    if let Some(rest) = start
        .strip_prefix(digits.as_str())
        .and_then(|r| r.strip_prefix('.'))
    {
        let cd: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if cd.parse::<u64>().ok() == Some(0) {
            return format!("character offset is zero: invalid field specification ‘{s}’");
        }
    }
    format!("stray character in field spec: invalid field specification ‘{s}’")
}

fn parse_key(s: &str) -> Option<KeySpec> {
    let mut k = KeySpec::default();
    let (start, end) = match s.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let parse_pos = |p: &str, k: &mut KeySpec| -> Option<(usize, usize)> {
        let digits_end = p
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(p.len());
        let (pos, flags) = p.split_at(digits_end);
        for f in flags.chars() {
            match f {
                'n' | 'g' => k.numeric = true,
                'r' => k.reverse = true,
                'b' => k.blanks = true,
                'f' => k.fold = true,
                'h' => k.human = true,
                'V' => k.version = true,
                _ => return None,
            }
        }
        let (f, c) = match pos.split_once('.') {
            Some((f, c)) => (f.parse().ok()?, c.parse().ok()?),
            None => (pos.parse().ok()?, 0),
        };
        Some((f, c))
    };
    let (sf, sc) = parse_pos(start, &mut k)?;
    if sf == 0 {
        return None;
    }
    k.start_field = sf;
    k.start_char = sc;
    if let Some(e) = end {
        let (ef, ec) = parse_pos(e, &mut k)?;
        k.end_field = Some(ef);
        k.end_char = ec;
    }
    Some(k)
}

/// The fields of a line: separated by `sep`, or by runs of blanks (each field keeping the
/// blanks before it, as sort does).
fn sort_fields(line: &str, sep: Option<char>) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    match sep {
        Some(c) => {
            let mut start = 0;
            for (i, ch) in line.char_indices() {
                if ch == c {
                    v.push((start, i));
                    start = i + ch.len_utf8();
                }
            }
            v.push((start, line.len()));
        }
        None => {
            let b = line.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let start = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
                    i += 1;
                }
                v.push((start, i));
            }
        }
    }
    v
}

fn key_text<'a>(line: &'a str, k: &KeySpec, sep: Option<char>) -> &'a str {
    let f = sort_fields(line, sep);
    let Some(&(fs, fe)) = f.get(k.start_field - 1) else {
        return "";
    };
    let mut start = fs;
    if k.blanks || sep.is_none() && k.start_char > 0 {
        while start < fe && matches!(line.as_bytes()[start], b' ' | b'\t') {
            start += 1;
        }
    }
    if k.start_char > 0 {
        start = (start + k.start_char - 1).min(fe);
    }
    let end = match k.end_field {
        None => line.len(),
        Some(ef) => match f.get(ef - 1) {
            None => line.len(),
            Some(&(es, ee)) => {
                if k.end_char == 0 {
                    ee
                } else {
                    let mut s2 = es;
                    if k.blanks || sep.is_none() {
                        while s2 < ee && matches!(line.as_bytes()[s2], b' ' | b'\t') {
                            s2 += 1;
                        }
                    }
                    (s2 + k.end_char).min(ee)
                }
            }
        },
    };
    if end <= start {
        return "";
    }
    line.get(start..end).unwrap_or("")
}

/// sort -n: a leading number (blanks, sign, digits, one decimal point); others are 0.
fn num_prefix(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t']);
    let mut end = 0;
    let b = t.as_bytes();
    if end < b.len() && (b[end] == b'-' || b[end] == b'+') {
        end += 1;
    }
    let digits_start = end;
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end == digits_start {
        return 0.0;
    }
    t[..end].parse().unwrap_or(0.0)
}

fn human(s: &str) -> f64 {
    let t = s.trim();
    let n = num_prefix(t);
    let suffix =
        t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '+');
    let m = match suffix.chars().next() {
        Some('K') | Some('k') => 1e3,
        Some('M') => 1e6,
        Some('G') => 1e9,
        Some('T') => 1e12,
        _ => 1.0,
    };
    n * m
}

fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| -> Vec<(bool, String)> {
        let mut v: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let d = c.is_ascii_digit();
            match v.last_mut() {
                Some((ld, t)) if *ld == d => t.push(c),
                _ => v.push((d, c.to_string())),
            }
        }
        v
    };
    let (x, y) = (split(a), split(b));
    for (p, q) in x.iter().zip(y.iter()) {
        let o = if p.0 && q.0 {
            let pn: u128 = p.1.parse().unwrap_or(0);
            let qn: u128 = q.1.parse().unwrap_or(0);
            pn.cmp(&qn)
        } else {
            p.1.cmp(&q.1)
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len())
}

pub fn sort(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(sort_main(proc))
}

async fn sort_main(proc: Proc) -> i32 {
    let a = match parse_args(&args(&proc), "ktoTS", &["key", "field-separator", "output"]) {
        Ok(a) => a,
        Err(m) => {
            err(&proc, &format!("sort: {m}"));
            err(&proc, "Try 'sort --help' for more information.");
            return 2;
        }
    };
    let mut global = KeySpec::default();
    let mut keys: Vec<KeySpec> = Vec::new();
    let mut sep = None;
    let mut unique = false;
    let mut output = None;
    let mut check = false;
    let mut stable = false;
    for (o, v) in &a.opts {
        let v = v.clone().unwrap_or_default();
        match o.as_str() {
            "-n" | "--numeric-sort" | "-g" | "--general-numeric-sort" => global.numeric = true,
            "-r" | "--reverse" => global.reverse = true,
            "-u" | "--unique" => unique = true,
            "-b" | "--ignore-leading-blanks" => global.blanks = true,
            "-f" | "--ignore-case" => global.fold = true,
            "-h" | "--human-numeric-sort" => global.human = true,
            "-V" | "--version-sort" => global.version = true,
            "-s" | "--stable" => stable = true,
            "-c" | "--check" => check = true,
            "-k" | "--key" => match parse_key(&v) {
                Some(k) => keys.push(k),
                None => {
                    err(&proc, &format!("sort: {}", key_error(&v)));
                    return 2;
                }
            },
            "-t" | "--field-separator" => {
                let mut cs = v.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => sep = Some(c),
                    (Some('\\'), Some('t')) => sep = Some('\t'),
                    _ => {
                        err(&proc, &format!("sort: multi-character tab ‘{v}’"));
                        return 2;
                    }
                }
            }
            "-o" | "--output" => output = Some(v),
            "-T" | "-S" | "--parallel" | "-m" | "--merge" | "-z" => {}
            other => {
                err(
                    &proc,
                    &format!(
                        "sort: invalid option -- '{}'",
                        other.trim_start_matches('-')
                    ),
                );
                err(&proc, "Try 'sort --help' for more information.");
                return 2;
            }
        }
    }
    // A key without its own ordering flags takes the global ones.
    for k in keys.iter_mut() {
        if !(k.numeric || k.reverse || k.blanks || k.fold || k.human || k.version) {
            k.numeric = global.numeric;
            k.reverse = global.reverse;
            k.blanks = global.blanks;
            k.fold = global.fold;
            k.human = global.human;
            k.version = global.version;
        }
    }
    let files = if a.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        a.operands
    };
    let mut lines: Vec<String> = Vec::new();
    for f in &files {
        match read_all(&proc, f).await {
            Ok(d) => {
                let t = String::from_utf8_lossy(&d).into_owned();
                lines.extend(t.lines().map(str::to_string));
            }
            Err(e) => {
                err(&proc, &format!("sort: cannot read: {}: {e}", quote(f)));
                return 2;
            }
        }
    }
    let cmp_one = |x: &str, y: &str, k: &KeySpec| -> std::cmp::Ordering {
        let (x, y) = if k.blanks {
            (
                x.trim_start_matches([' ', '\t']),
                y.trim_start_matches([' ', '\t']),
            )
        } else {
            (x, y)
        };
        let o = if k.numeric {
            num_prefix(x)
                .partial_cmp(&num_prefix(y))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else if k.human {
            human(x)
                .partial_cmp(&human(y))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else if k.version {
            version_cmp(x, y)
        } else if k.fold {
            x.to_uppercase().cmp(&y.to_uppercase())
        } else {
            x.as_bytes().cmp(y.as_bytes())
        };
        if k.reverse {
            o.reverse()
        } else {
            o
        }
    };
    let compare = |x: &String, y: &String| -> std::cmp::Ordering {
        if keys.is_empty() {
            let o = cmp_one(x, y, &global);
            if o != std::cmp::Ordering::Equal || stable || unique {
                return o;
            }
        } else {
            for k in &keys {
                let o = cmp_one(key_text(x, k, sep), key_text(y, k, sep), k);
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            if stable || unique {
                return std::cmp::Ordering::Equal;
            }
        }
        // Last resort: the whole line, bytewise.
        let o = x.as_bytes().cmp(y.as_bytes());
        if global.reverse {
            o.reverse()
        } else {
            o
        }
    };
    if check {
        for (i, w) in lines.windows(2).enumerate() {
            if compare(&w[0], &w[1]) == std::cmp::Ordering::Greater {
                let name = if files[0] == "-" { "-" } else { &files[0] };
                err(
                    &proc,
                    &format!("sort: {name}:{}: disorder: {}", i + 2, w[1]),
                );
                return 1;
            }
        }
        return 0;
    }
    lines.sort_by(compare);
    if unique {
        lines.dedup_by(|b, a| compare(a, b) == std::cmp::Ordering::Equal);
    }
    let mut text = String::new();
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    if let Some(o) = output {
        match super::open_out(&proc, &o, OpenMode::WRITE) {
            Ok(f) => {
                let _ = f.write(text.as_bytes());
            }
            Err(e) => {
                err(&proc, &format!("sort: open failed: {o}: {e}"));
                return 2;
            }
        }
        return 0;
    }
    let mut out = Out::new(&proc);
    out.str(&text);
    0
}

// --- uniq ------------------------------------------------------------------------------------

pub fn uniq(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(uniq_main(proc))
}

async fn uniq_main(proc: Proc) -> i32 {
    let a = match parse_args(
        &args(&proc),
        "fsw",
        &["skip-fields", "skip-chars", "check-chars"],
    ) {
        Ok(a) => a,
        Err(m) => return try_help(&proc, &m),
    };
    let (mut count, mut dup, mut uniq_only, mut icase) = (false, false, false, false);
    let (mut skip_f, mut skip_c, mut width) = (0usize, 0usize, None::<usize>);
    for (o, v) in &a.opts {
        let v = v.clone().unwrap_or_default();
        match o.as_str() {
            "-c" | "--count" => count = true,
            "-d" | "--repeated" => dup = true,
            "-u" | "--unique" => uniq_only = true,
            "-i" | "--ignore-case" => icase = true,
            "-f" | "--skip-fields" => skip_f = v.parse().unwrap_or(0),
            "-s" | "--skip-chars" => skip_c = v.parse().unwrap_or(0),
            "-w" | "--check-chars" => width = v.parse().ok(),
            other => {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    let input = a.operands.first().cloned().unwrap_or_else(|| "-".into());
    let data = match read_all(&proc, &input).await {
        Ok(d) => d,
        Err(e) => {
            err(&proc, &format!("uniq: {}: {e}", quote(&input)));
            return 1;
        }
    };
    let text = String::from_utf8_lossy(&data).into_owned();
    let key = |l: &str| -> String {
        let mut s = l;
        for _ in 0..skip_f {
            s = s.trim_start_matches([' ', '\t']);
            s = s.trim_start_matches(|c| c != ' ' && c != '\t');
        }
        let s: String = s.chars().skip(skip_c).collect();
        let s: String = match width {
            Some(w) => s.chars().take(w).collect(),
            None => s,
        };
        if icase {
            s.to_lowercase()
        } else {
            s
        }
    };
    let mut out = Out::new(&proc);
    let mut groups: Vec<(String, usize)> = Vec::new();
    for l in text.lines() {
        match groups.last_mut() {
            Some((first, n)) if key(first) == key(l) => *n += 1,
            _ => groups.push((l.to_string(), 1)),
        }
    }
    for (l, n) in groups {
        if (dup && n < 2) || (uniq_only && n > 1) {
            continue;
        }
        if count {
            out.str(&format!("{n:>7} {l}\n"));
        } else {
            out.str(&format!("{l}\n"));
        }
    }
    0
}

// --- cut -------------------------------------------------------------------------------------

fn parse_list(s: &str) -> Option<Vec<(usize, usize)>> {
    let mut v = Vec::new();
    for part in s.split([',', ' ']) {
        if part.is_empty() {
            return None;
        }
        let (a, b) = match part.split_once('-') {
            Some(("", b)) => (1, b.parse().ok()?),
            Some((a, "")) => (a.parse().ok()?, usize::MAX),
            Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 {
            return None;
        }
        v.push((a, b));
    }
    Some(v)
}

fn in_list(list: &[(usize, usize)], i: usize) -> bool {
    list.iter().any(|&(a, b)| i >= a && i <= b)
}

pub fn cut(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(cut_main(proc))
}

async fn cut_main(proc: Proc) -> i32 {
    let a = match parse_args(
        &args(&proc),
        "dfcb",
        &[
            "delimiter",
            "fields",
            "characters",
            "bytes",
            "output-delimiter",
        ],
    ) {
        Ok(a) => a,
        Err(m) => return try_help(&proc, &m),
    };
    let mut delim = '\t';
    let mut fields = None;
    let mut chars = None;
    let mut only_delim = false;
    let mut complement = false;
    let mut out_delim: Option<String> = None;
    for (o, v) in &a.opts {
        let v = v.clone().unwrap_or_default();
        match o.as_str() {
            "-d" | "--delimiter" => {
                let mut cs = v.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => delim = c,
                    (None, _) => delim = '\0',
                    _ => {
                        return try_help(&proc, "the delimiter must be a single character");
                    }
                }
            }
            "-f" | "--fields" => match parse_list(&v) {
                Some(l) => fields = Some(l),
                None => return try_help(&proc, &format!("invalid field value ‘{v}’")),
            },
            "-c" | "--characters" | "-b" | "--bytes" => match parse_list(&v) {
                Some(l) => chars = Some(l),
                None => return try_help(&proc, "invalid byte or character range"),
            },
            "-s" | "--only-delimited" => only_delim = true,
            "--complement" => complement = true,
            "--output-delimiter" => out_delim = Some(v),
            "-n" => {}
            other => {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    if fields.is_none() && chars.is_none() {
        return try_help(
            &proc,
            "you must specify a list of bytes, characters, or fields",
        );
    }
    let files = if a.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        a.operands
    };
    let mut out = Out::new(&proc);
    let mut status = 0;
    for f in files {
        let file = match open(&proc, &f) {
            Ok(x) => x,
            Err(e) => {
                out.flush();
                err(&proc, &format!("cut: {}: {e}", quote(&f)));
                status = 1;
                continue;
            }
        };
        let mut rd = Lines::new(file);
        while let Ok(Some((line, _))) = rd.next().await {
            let line = String::from_utf8_lossy(&line).into_owned();
            if let Some(list) = &chars {
                let s: String = line
                    .chars()
                    .enumerate()
                    .filter(|(i, _)| in_list(list, i + 1) != complement)
                    .map(|(_, c)| c)
                    .collect();
                out.str(&s);
                out.str("\n");
            } else if let Some(list) = &fields {
                if !line.contains(delim) {
                    if !only_delim {
                        out.str(&line);
                        out.str("\n");
                    }
                    continue;
                }
                let parts: Vec<&str> = line.split(delim).collect();
                let od = out_delim.clone().unwrap_or_else(|| delim.to_string());
                let sel: Vec<&str> = parts
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| in_list(list, i + 1) != complement)
                    .map(|(_, p)| *p)
                    .collect();
                out.str(&sel.join(&od));
                out.str("\n");
            }
            if out.broken {
                return 1;
            }
        }
    }
    status
}

// --- tr --------------------------------------------------------------------------------------

/// Expands a tr set (`a-z`, `[:digit:]`, `\n`, `[x*3]`).
fn tr_set(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let esc = |b: &[u8], i: &mut usize| -> u8 {
        // b[*i] is after the backslash.
        let c = b[*i];
        *i += 1;
        match c {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'v' => 11,
            b'\\' => b'\\',
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                let mut n = 1;
                while n < 3 && *i < b.len() && (b'0'..=b'7').contains(&b[*i]) {
                    v = v * 8 + u32::from(b[*i] - b'0');
                    *i += 1;
                    n += 1;
                }
                (v & 0xff) as u8
            }
            other => other,
        }
    };
    while i < b.len() {
        if b[i] == b'[' && b.get(i + 1) == Some(&b':') {
            if let Some(end) = s[i + 2..].find(":]") {
                let name = &s[i + 2..i + 2 + end];
                let class: Vec<u8> = (0u8..=255)
                    .filter(|&c| c.is_ascii() && crate::pattern::class_matches(name, c as char))
                    .collect();
                if class.is_empty() && name != "cntrl" {
                    return Err(format!("invalid character class ‘{name}’"));
                }
                out.extend(class);
                i += 2 + end + 2;
                continue;
            }
        }
        if b[i] == b'[' {
            // [c*n]
            if let Some(close) = s[i..].find(']') {
                let inner = &s[i + 1..i + close];
                if let Some((c, n)) = inner.split_once('*') {
                    if c.len() == 1 {
                        let n: usize = if n.is_empty() {
                            0
                        } else {
                            n.parse().unwrap_or(0)
                        };
                        out.extend(std::iter::repeat_n(c.as_bytes()[0], n.max(1)));
                        i += close + 1;
                        continue;
                    }
                }
            }
        }
        let c = if b[i] == b'\\' && i + 1 < b.len() {
            i += 1;
            esc(b, &mut i)
        } else {
            i += 1;
            b[i - 1]
        };
        if i + 1 < b.len() && b[i] == b'-' {
            let mut j = i + 1;
            let hi = if b[j] == b'\\' && j + 1 < b.len() {
                j += 1;
                esc(b, &mut j)
            } else {
                j += 1;
                b[j - 1]
            };
            if hi < c {
                return Err(format!(
                    "range-endpoints of '{}-{}' are in reverse collating sequence order",
                    c as char, hi as char
                ));
            }
            out.extend(c..=hi);
            i = j;
            continue;
        }
        out.push(c);
    }
    Ok(out)
}

pub fn tr(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(tr_main(proc))
}

async fn tr_main(proc: Proc) -> i32 {
    let a = match parse_args(&args(&proc), "", &[]) {
        Ok(a) => a,
        Err(m) => return try_help(&proc, &m),
    };
    let (mut del, mut squeeze, mut comp) = (false, false, false);
    for (o, _) in &a.opts {
        match o.as_str() {
            "-d" | "--delete" => del = true,
            "-s" | "--squeeze-repeats" => squeeze = true,
            "-c" | "-C" | "--complement" => comp = true,
            "-t" | "--truncate-set1" => {}
            other => {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    let ops = &a.operands;
    if ops.is_empty() {
        return try_help(&proc, "missing operand");
    }
    let need2 = !del && !squeeze;
    if need2 && ops.len() < 2 {
        return try_help(
            &proc,
            &format!(
                "missing operand after ‘{}’\nTwo strings must be given when translating.",
                ops[0]
            ),
        );
    }
    if del && !squeeze && ops.len() > 1 {
        return try_help(&proc, &format!("extra operand ‘{}’\nOnly one string may be given when deleting without squeezing repeats.", ops[1]));
    }
    let set1 = match tr_set(&ops[0]) {
        Ok(s) => s,
        Err(m) => {
            err(&proc, &format!("tr: {m}"));
            return 1;
        }
    };
    let set2 = match ops.get(1).map(|s| tr_set(s)) {
        Some(Ok(s)) => Some(s),
        Some(Err(m)) => {
            err(&proc, &format!("tr: {m}"));
            return 1;
        }
        None => None,
    };
    let mut in1 = [false; 256];
    for &c in &set1 {
        in1[c as usize] = true;
    }
    if comp {
        for x in in1.iter_mut() {
            *x = !*x;
        }
    }
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut in2 = [false; 256];
    if let Some(s2) = &set2 {
        for &c in s2 {
            in2[c as usize] = true;
        }
        if !del {
            if s2.is_empty() {
                err(
                    &proc,
                    "tr: when not truncating set1, string2 must be non-empty",
                );
                return 1;
            }
            let src: Vec<u8> = if comp {
                (0u8..=255).filter(|&c| in1[c as usize]).collect()
            } else {
                set1.clone()
            };
            for (k, &c) in src.iter().enumerate() {
                let t = s2.get(k).or(s2.last()).copied().unwrap_or(c);
                map[c as usize] = t;
            }
        }
    }
    let squeeze_set = if set2.is_some() { in2 } else { in1 };
    let input = match proc.fd(0) {
        Some(f) => f.clone(),
        None => return 0,
    };
    let mut out = Out::new(&proc);
    let mut last: Option<u8> = None;
    loop {
        let chunk = input.read().await.unwrap_or_default();
        if chunk.is_empty() {
            break;
        }
        let mut buf = Vec::with_capacity(chunk.len());
        for b in chunk {
            if del && in1[b as usize] {
                continue;
            }
            let c = if !del && set2.is_some() && in1[b as usize] {
                map[b as usize]
            } else {
                b
            };
            if squeeze && squeeze_set[c as usize] && last == Some(c) {
                continue;
            }
            last = Some(c);
            buf.push(c);
        }
        out.write(&buf);
        if out.broken {
            return 1;
        }
    }
    0
}

// --- seq -------------------------------------------------------------------------------------

pub fn seq(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(seq_main(proc))
}

async fn seq_main(proc: Proc) -> i32 {
    let argv = args(&proc);
    let mut sep = "\n".to_string();
    let mut equal = false;
    let mut format: Option<String> = None;
    let mut nums = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        match a.as_str() {
            "-s" | "--separator" => {
                i += 1;
                sep = argv.get(i).cloned().unwrap_or_default();
            }
            "-w" | "--equal-width" => equal = true,
            "-f" | "--format" => {
                i += 1;
                format = argv.get(i).cloned();
            }
            s if s.starts_with("-s") && s.len() > 2 => sep = s[2..].to_string(),
            s if s.starts_with("-f") && s.len() > 2 => format = Some(s[2..].to_string()),
            s if s.starts_with('-')
                && s.len() > 1
                && !s[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.') =>
            {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", s.chars().nth(1).unwrap_or('-')),
                );
            }
            _ => nums.push(a.clone()),
        }
        i += 1;
    }
    if nums.is_empty() {
        return try_help(&proc, "missing operand");
    }
    if nums.len() > 3 {
        return try_help(&proc, &format!("extra operand ‘{}’", nums[3]));
    }
    let mut vals = Vec::new();
    for n in &nums {
        match n.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => vals.push(v),
            _ => {
                err(
                    &proc,
                    &format!("seq: invalid floating point argument: ‘{n}’"),
                );
                err(&proc, "Try 'seq --help' for more information.");
                return 1;
            }
        }
    }
    let (first, step, last) = match vals.len() {
        1 => (1.0, 1.0, vals[0]),
        2 => (vals[0], 1.0, vals[1]),
        _ => (vals[0], vals[1], vals[2]),
    };
    if step == 0.0 {
        err(
            &proc,
            &format!("seq: invalid Zero increment value: ‘{}’", nums[1]),
        );
        err(&proc, "Try 'seq --help' for more information.");
        return 1;
    }
    // Decimal places: the most any operand (first, step) shows.
    let decimals = |s: &str| -> usize {
        s.split_once('.')
            .map(|(_, d)| d.trim_end_matches(|c: char| !c.is_ascii_digit()).len())
            .unwrap_or(0)
    };
    let prec = match nums.len() {
        1 => 0,
        2 => decimals(&nums[0]),
        _ => decimals(&nums[0]).max(decimals(&nums[1])),
    };
    let fmt_one = |v: f64| -> String {
        if let Some(f) = &format {
            let o = crate::format::printf(f, &[format!("{v}")]);
            return String::from_utf8_lossy(&o.out).into_owned();
        }
        format!("{:.*}", prec, v)
    };
    let width = if equal {
        fmt_one(first).len().max(fmt_one(last).len())
    } else {
        0
    };
    let mut out = Out::new(&proc);
    let mut k = 0u64;
    let mut firsto = true;
    loop {
        let v = first + step * k as f64;
        if (step > 0.0 && v > last + 1e-10) || (step < 0.0 && v < last - 1e-10) {
            break;
        }
        let mut s = fmt_one(v);
        if equal && s.len() < width {
            let neg = s.starts_with('-');
            let body = s.trim_start_matches('-').to_string();
            s = format!(
                "{}{}{body}",
                if neg { "-" } else { "" },
                "0".repeat(width - s.len())
            );
        }
        if !firsto {
            out.str(&sep);
        }
        firsto = false;
        out.str(&s);
        k += 1;
        if out.broken {
            return 1;
        }
        if k % 4096 == 0 {
            out.flush();
            yield_now().await;
        }
    }
    if !firsto {
        out.str("\n");
    }
    0
}

// --- sleep -----------------------------------------------------------------------------------

/// Parses `0.5`, `1s`, `2m`, `1h`, `1d`, `infinity`.
pub fn parse_interval(s: &str) -> Option<f64> {
    if s == "inf" || s == "infinity" {
        return Some(f64::INFINITY);
    }
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    if num.is_empty() || num.starts_with(['+', '-']) && num.len() == 1 {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    if v < 0.0 || v.is_nan() {
        return None;
    }
    Some(v * mult)
}

pub fn sleep(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(sleep_main(proc))
}

async fn sleep_main(proc: Proc) -> i32 {
    let argv = args(&proc);
    if argv.is_empty() {
        return try_help(&proc, "missing operand");
    }
    let mut total = 0.0;
    let mut bad = false;
    for a in &argv {
        match parse_interval(a) {
            Some(v) => total += v,
            None => {
                err(&proc, &format!("sleep: invalid time interval ‘{a}’"));
                bad = true;
            }
        }
    }
    if bad {
        err(&proc, "Try 'sleep --help' for more information.");
        return 1;
    }
    if total.is_infinite() {
        std::future::pending::<()>().await;
    }
    proc.sleep(Duration::from_secs_f64(total)).await;
    0
}

// --- small ones ------------------------------------------------------------------------------

pub fn true_(_proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async { 0 })
}

pub fn false_(_proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async { 1 })
}

pub fn echo(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let out = crate::format::echo(&args(&proc));
        proc.out(out);
        0
    })
}

pub fn printf(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = args(&proc);
        let Some(fmt) = a.first() else {
            return try_help(&proc, "missing operand");
        };
        let o = crate::format::printf(fmt, &a[1..]);
        proc.out(&o.out);
        for e in &o.errors {
            err(&proc, &format!("printf: {e}"));
        }
        o.status
    })
}

pub fn test(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let mut a = args(&proc);
        let name = proc.name().to_string();
        if name == "[" {
            if a.last().map(String::as_str) != Some("]") {
                err(&proc, "[: missing ‘]’");
                return 2;
            }
            a.pop();
        }
        let t = crate::test::Tester {
            sys: &proc.sys,
            cwd: &proc.cwd,
            netns: proc.netns,
            fds: &proc.fds,
        };
        match t.test(&a) {
            Ok(b) => i32::from(!b),
            Err(m) => {
                let m = match m.strip_suffix(": integer expression expected") {
                    Some(v) => format!("invalid integer ‘{v}’"),
                    None => m,
                };
                err(&proc, &format!("{}: {m}", proc.argv[0]));
                2
            }
        }
    })
}

pub fn mkdir(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = match parse_args(&args(&proc), "m", &["mode"]) {
            Ok(a) => a,
            Err(m) => return try_help(&proc, &m),
        };
        let parents = a.opts.iter().any(|(o, _)| o == "-p" || o == "--parents");
        let verbose = a.opts.iter().any(|(o, _)| o == "-v" || o == "--verbose");
        if a.operands.is_empty() {
            return try_help(&proc, "missing operand");
        }
        let mut status = 0;
        for d in &a.operands {
            match proc.sys.mkdir(&proc.cwd, d, parents) {
                Ok(()) => {
                    if verbose {
                        proc.out(format!("mkdir: created directory '{d}'\n"));
                    }
                }
                Err(e) => {
                    err(&proc, &format!("mkdir: cannot create directory ‘{d}’: {e}"));
                    status = 1;
                }
            }
        }
        status
    })
}

pub fn rmdir(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = args(&proc);
        let mut status = 0;
        for d in a.iter().filter(|d| !d.starts_with('-')) {
            let entries = proc.sys.read_dir(&proc.cwd, d, proc.netns);
            match entries {
                Ok(e) if !e.is_empty() => {
                    err(
                        &proc,
                        &format!(
                            "rmdir: failed to remove {}: Directory not empty",
                            quote_always(d)
                        ),
                    );
                    status = 1;
                }
                Ok(_) => {
                    if let Err(e) = proc.sys.remove(&proc.cwd, d, true) {
                        err(
                            &proc,
                            &format!("rmdir: failed to remove {}: {e}", quote_always(d)),
                        );
                        status = 1;
                    }
                }
                Err(e) => {
                    err(
                        &proc,
                        &format!("rmdir: failed to remove {}: {e}", quote_always(d)),
                    );
                    status = 1;
                }
            }
        }
        status
    })
}

pub fn ls(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(ls_main(proc))
}

async fn ls_main(proc: Proc) -> i32 {
    let a = match parse_args(&args(&proc), "", &["color", "sort", "time-style"]) {
        Ok(a) => a,
        Err(m) => {
            err(&proc, &format!("ls: {m}"));
            err(&proc, "Try 'ls --help' for more information.");
            return 2;
        }
    };
    let (mut all, mut almost, mut one, mut long, mut dir_only, mut reverse, mut classify) =
        (false, false, false, false, false, false, false);
    let mut recursive = false;
    for (o, _) in &a.opts {
        match o.as_str() {
            "-a" | "--all" => all = true,
            "-A" | "--almost-all" => almost = true,
            "-1" => one = true,
            "-l" => long = true,
            "-d" | "--directory" => dir_only = true,
            "-r" | "--reverse" => reverse = true,
            "-F" | "--classify" => classify = true,
            "-R" | "--recursive" => recursive = true,
            "--color" | "-h" | "--human-readable" | "-t" | "-S" | "-U" | "-C" | "-x" | "-N" => {}
            other => {
                err(
                    &proc,
                    &format!("ls: invalid option -- '{}'", other.trim_start_matches('-')),
                );
                err(&proc, "Try 'ls --help' for more information.");
                return 2;
            }
        }
    }
    let tty = proc.fd(1).is_some_and(|f| f.is_terminal());
    let columns = tty && !one && !long;
    let targets = if a.operands.is_empty() {
        vec![".".to_string()]
    } else {
        a.operands.clone()
    };
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for t in &targets {
        match proc.sys.stat(&proc.cwd, t, proc.netns) {
            None => {
                err(
                    &proc,
                    &format!(
                        "ls: cannot access {}: No such file or directory",
                        quote_always(t)
                    ),
                );
                status = 2;
            }
            Some(true) if !dir_only => dirs.push(t.clone()),
            Some(_) => files.push(t.clone()),
        }
    }
    files.sort();
    dirs.sort();
    let mut dirs: std::collections::VecDeque<String> = dirs.into();
    let mut out = Out::new(&proc);
    let decorate = |name: &str, is_dir: bool| -> String {
        if classify && is_dir {
            format!("{name}/")
        } else {
            name.to_string()
        }
    };
    let emit = |out: &mut Out, names: Vec<(String, bool, String)>| {
        if long {
            for (n, is_dir, path) in &names {
                out.str(&long_line(&proc, path, n, *is_dir));
            }
        } else if columns {
            out.str(&in_columns(
                &names
                    .iter()
                    .map(|(n, d, _)| decorate(n, *d))
                    .collect::<Vec<_>>(),
                80,
            ));
        } else {
            for (n, d, _) in &names {
                out.str(&decorate(n, *d));
                out.str("\n");
            }
        }
    };
    let file_entries: Vec<(String, bool, String)> = files
        .iter()
        .map(|f| {
            let d = proc.sys.stat(&proc.cwd, f, proc.netns) == Some(true);
            (f.clone(), d, f.clone())
        })
        .collect();
    let nfiles = file_entries.len();
    if !file_entries.is_empty() {
        emit(&mut out, file_entries);
    }
    let show_names = targets.len() > 1 || recursive;
    let mut k = 0;
    while let Some(d) = dirs.pop_front() {
        let entries = match proc.sys.read_dir(&proc.cwd, &d, proc.netns) {
            Ok(e) => e,
            Err(e) => {
                out.flush();
                err(
                    &proc,
                    &format!("ls: cannot open directory {}: {e}", quote_always(&d)),
                );
                status = 2;
                continue;
            }
        };
        if show_names {
            if k > 0 || nfiles > 0 {
                out.str("\n");
            }
            out.str(&format!("{d}:\n"));
        }
        k += 1;
        let mut names: Vec<(String, bool, String)> = entries
            .into_iter()
            .filter(|e| all || almost || !e.name.starts_with('.'))
            .map(|e| {
                let path = if d.ends_with('/') {
                    format!("{d}{}", e.name)
                } else {
                    format!("{d}/{}", e.name)
                };
                (e.name, e.is_dir, path)
            })
            .collect();
        if recursive {
            let mut subs: Vec<String> = names
                .iter()
                .filter(|(n, is_dir, _)| *is_dir && n != "." && n != "..")
                .map(|(_, _, p)| p.clone())
                .collect();
            subs.sort();
            for sd in subs.into_iter().rev() {
                dirs.push_front(sd);
            }
        }
        if all {
            names.push((".".into(), true, d.clone()));
            names.push(("..".into(), true, format!("{d}/..")));
        }
        let d = d.clone();
        let _ = &d;
        names.sort_by(|x, y| x.0.as_bytes().cmp(y.0.as_bytes()));
        if reverse {
            names.reverse();
        }
        if long {
            let blocks: u64 = names
                .iter()
                .map(|(_, _, p)| {
                    real_meta(&proc, p)
                        .map(|m| {
                            use std::os::unix::fs::MetadataExt;
                            m.blocks() / 2
                        })
                        .unwrap_or(0)
                })
                .sum();
            out.str(&format!("total {blocks}\n"));
        }
        emit(&mut out, names);
    }
    status
}

fn real_meta(proc: &Proc, path: &str) -> Option<std::fs::Metadata> {
    match tsunagi_lab::VPath::resolve(&proc.cwd, path) {
        tsunagi_lab::VPath::Real(p) => std::fs::symlink_metadata(p).ok(),
        _ => None,
    }
}

fn long_line(proc: &Proc, path: &str, name: &str, is_dir: bool) -> String {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (mode, links, size, mtime) = match real_meta(proc, path) {
        Some(m) => (m.permissions().mode(), m.nlink(), m.len(), m.mtime()),
        None => (if is_dir { 0o40555 } else { 0o100644 }, 1, 0, 0),
    };
    let kind = if is_dir {
        'd'
    } else if mode & 0o170000 == 0o120000 {
        'l'
    } else {
        '-'
    };
    let mut perms = String::new();
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        perms.push(if bits & 4 != 0 { 'r' } else { '-' });
        perms.push(if bits & 2 != 0 { 'w' } else { '-' });
        perms.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    format!(
        "{kind}{perms} {links} root root {size} {} {name}\n",
        format_mtime(mtime)
    )
}

/// `Mon DD HH:MM` in UTC.
fn format_mtime(secs: i64) -> String {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mon = months[((m - 1).clamp(0, 11)) as usize];
    format!("{mon} {d:>2} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

/// GNU ls's column layout for a terminal `width` wide.
fn in_columns(names: &[String], width: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let n = names.len();
    let lens: Vec<usize> = names.iter().map(|s| s.chars().count()).collect();
    let mut best_cols = 1;
    for cols in (1..=n).rev() {
        let rows = n.div_ceil(cols);
        let mut total = 0;
        for c in 0..cols {
            let w = (0..rows)
                .filter_map(|r| lens.get(c * rows + r))
                .max()
                .copied()
                .unwrap_or(0);
            total += w + if c + 1 < cols { 2 } else { 0 };
        }
        if total <= width {
            best_cols = cols;
            break;
        }
    }
    let rows = n.div_ceil(best_cols);
    let widths: Vec<usize> = (0..best_cols)
        .map(|c| {
            (0..rows)
                .filter_map(|r| lens.get(c * rows + r))
                .max()
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for (c, w) in widths.iter().enumerate() {
            let i = c * rows + r;
            let Some(name) = names.get(i) else { continue };
            line.push_str(name);
            if c + 1 < best_cols && (c + 1) * rows + r < n {
                line.push_str(&" ".repeat(w - lens[i] + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Copies `src` to `dst` through the lab's files (so that lab paths work too).
async fn copy_path(
    proc: &Proc,
    src: &str,
    dst: &str,
    recursive: bool,
    name: &str,
) -> Result<(), String> {
    match proc.sys.stat(&proc.cwd, src, proc.netns) {
        None => Err(format!(
            "{name}: cannot stat {}: No such file or directory",
            quote_always(src)
        )),
        Some(true) => {
            if !recursive {
                return Err(format!(
                    "{name}: -r not specified; omitting directory {}",
                    quote_always(src)
                ));
            }
            if proc.sys.stat(&proc.cwd, dst, proc.netns).is_none() {
                proc.sys.mkdir(&proc.cwd, dst, false).map_err(|e| {
                    format!("{name}: cannot create directory {}: {e}", quote_always(dst))
                })?;
            }
            let entries = proc
                .sys
                .read_dir(&proc.cwd, src, proc.netns)
                .map_err(|e| format!("{name}: cannot access {}: {e}", quote_always(src)))?;
            for e in entries {
                let s2 = format!("{}/{}", src.trim_end_matches('/'), e.name);
                let d2 = format!("{}/{}", dst.trim_end_matches('/'), e.name);
                Box::pin(copy_path(proc, &s2, &d2, recursive, name)).await?;
            }
            Ok(())
        }
        Some(false) => {
            let data = read_all(proc, src).await.map_err(|e| {
                format!("{name}: cannot open {} for reading: {e}", quote_always(src))
            })?;
            let f = proc
                .sys
                .open(&proc.cwd, dst, OpenMode::WRITE, proc.netns)
                .map_err(|e| {
                    format!(
                        "{name}: cannot create regular file {}: {e}",
                        quote_always(dst)
                    )
                })?;
            f.write(&data)
                .map_err(|e| format!("{name}: error writing {}: {e}", quote_always(dst)))
        }
    }
}

/// The destination of each source: into `dst` if it is a directory.
fn targets(proc: &Proc, srcs: &[String], dst: &str) -> Result<Vec<(String, String)>, String> {
    let dst_dir = proc.sys.stat(&proc.cwd, dst, proc.netns) == Some(true);
    if srcs.len() > 1 && !dst_dir {
        return Err(format!("target {}: Not a directory", quote_always(dst)));
    }
    Ok(srcs
        .iter()
        .map(|s| {
            if dst_dir {
                let base = s
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(s)
                    .to_string();
                (s.clone(), format!("{}/{base}", dst.trim_end_matches('/')))
            } else {
                (s.clone(), dst.to_string())
            }
        })
        .collect())
}

pub fn cp(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = match parse_args(&args(&proc), "t", &["target-directory"]) {
            Ok(a) => a,
            Err(m) => return try_help(&proc, &m),
        };
        let recursive = a
            .opts
            .iter()
            .any(|(o, _)| matches!(o.as_str(), "-r" | "-R" | "-a" | "--recursive" | "--archive"));
        if a.operands.len() < 2 {
            return try_help(
                &proc,
                &match a.operands.first() {
                    None => "missing file operand".to_string(),
                    Some(f) => {
                        format!("missing destination file operand after {}", quote_always(f))
                    }
                },
            );
        }
        let (srcs, dst) = a.operands.split_at(a.operands.len() - 1);
        let pairs = match targets(&proc, srcs, &dst[0]) {
            Ok(p) => p,
            Err(m) => {
                err(&proc, &format!("cp: {m}"));
                return 1;
            }
        };
        let mut status = 0;
        for (s, d) in pairs {
            if let Err(m) = copy_path(&proc, &s, &d, recursive, "cp").await {
                err(&proc, &m);
                status = 1;
            }
        }
        status
    })
}

pub fn mv(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = match parse_args(&args(&proc), "tS", &["target-directory", "suffix"]) {
            Ok(a) => a,
            Err(m) => return try_help(&proc, &m),
        };
        if a.operands.len() < 2 {
            return try_help(
                &proc,
                &match a.operands.first() {
                    None => "missing file operand".to_string(),
                    Some(f) => {
                        format!("missing destination file operand after {}", quote_always(f))
                    }
                },
            );
        }
        let (srcs, dst) = a.operands.split_at(a.operands.len() - 1);
        let pairs = match targets(&proc, srcs, &dst[0]) {
            Ok(p) => p,
            Err(m) => {
                err(&proc, &format!("mv: {m}"));
                return 1;
            }
        };
        let mut status = 0;
        for (s, d) in pairs {
            let real = |p: &str| match tsunagi_lab::VPath::resolve(&proc.cwd, p) {
                tsunagi_lab::VPath::Real(x) => Some(x),
                _ => None,
            };
            if proc.sys.stat(&proc.cwd, &s, proc.netns).is_none() {
                err(
                    &proc,
                    &format!(
                        "mv: cannot stat {}: No such file or directory",
                        quote_always(&s)
                    ),
                );
                status = 1;
                continue;
            }
            if let (Some(rs), Some(rd)) = (real(&s), real(&d)) {
                if std::fs::rename(&rs, &rd).is_ok() {
                    continue;
                }
            }
            match copy_path(&proc, &s, &d, true, "mv").await {
                Ok(()) => {
                    let _ = proc.sys.remove(&proc.cwd, &s, true);
                }
                Err(m) => {
                    err(&proc, &m);
                    status = 1;
                }
            }
        }
        status
    })
}

/// `which` (debianutils): the path of each program; status 1 if one is missing.
pub fn which(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let mut status = 0;
        let mut out = String::new();
        for n in args(&proc).iter().filter(|a| !a.starts_with('-')) {
            if n.contains('/') {
                if proc.sys.stat(&proc.cwd, n, proc.netns) == Some(false) {
                    out.push_str(&format!("{n}\n"));
                } else {
                    status = 1;
                }
            } else if proc.has_program(n) {
                out.push_str(&format!("{}\n", crate::builtins::program_path(n)));
            } else {
                status = 1;
            }
        }
        proc.out(out);
        status
    })
}

/// Splits xargs input into items: blanks and newlines separate, quotes and backslashes
/// group.
fn xargs_items(text: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut it = text.chars();
    while let Some(c) = it.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if has {
                    items.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            '\'' | '"' => {
                has = true;
                loop {
                    match it.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => {
                            let kind = if c == '\'' { "single" } else { "double" };
                            return Err(format!(
                                "unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option"
                            ));
                        }
                        Some(x) => cur.push(x),
                    }
                }
            }
            '\\' => {
                if let Some(n) = it.next() {
                    cur.push(n);
                    has = true;
                }
            }
            _ => {
                cur.push(c);
                has = true;
            }
        }
    }
    if has {
        items.push(cur);
    }
    Ok(items)
}

pub fn xargs(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let argv = args(&proc);
        let mut max_args: Option<usize> = None;
        let mut replace: Option<String> = None;
        let mut delim: Option<char> = None;
        let mut no_empty = false;
        let mut trace = false;
        let mut i = 0;
        while i < argv.len() {
            let a = &argv[i];
            if !a.starts_with('-') || a == "-" {
                break;
            }
            match a.as_str() {
                "-n" | "-L" | "-l" => {
                    i += 1;
                    max_args = argv.get(i).and_then(|v| v.parse().ok());
                }
                "-I" | "-i" => {
                    i += 1;
                    replace = argv.get(i).cloned().or(Some("{}".into()));
                    max_args = Some(1);
                }
                "-0" | "--null" => delim = Some('\0'),
                "-d" => {
                    i += 1;
                    delim = argv.get(i).and_then(|v| v.chars().next()).map(|c| {
                        if c == '\\' {
                            '\n'
                        } else {
                            c
                        }
                    });
                }
                "-r" | "--no-run-if-empty" => no_empty = true,
                "-t" | "--verbose" => trace = true,
                "-P" | "-s" | "-E" => i += 1,
                "--" => {
                    i += 1;
                    break;
                }
                s if s.starts_with("-n") => max_args = s[2..].parse().ok(),
                s if s.starts_with("-I") => {
                    replace = Some(s[2..].to_string());
                    max_args = Some(1);
                }
                s if s.starts_with("-d") => delim = s[2..].chars().next(),
                _ => {
                    return try_help(
                        &proc,
                        &format!("invalid option -- '{}'", a.chars().nth(1).unwrap_or('-')),
                    );
                }
            }
            i += 1;
        }
        let cmd: Vec<String> = if i < argv.len() {
            argv[i..].to_vec()
        } else {
            vec!["echo".to_string()]
        };
        let input = proc.read_stdin_all().await;
        let text = String::from_utf8_lossy(&input).into_owned();
        let items: Vec<String> = match delim {
            Some(d) => text
                .split(d)
                .map(str::to_string)
                .filter(|s| !s.is_empty() || d != '\0')
                .collect::<Vec<_>>()
                .into_iter()
                .enumerate()
                .filter(|(k, s)| !(s.is_empty() && *k > 0))
                .map(|(_, s)| s)
                .collect(),
            None => {
                if replace.is_some() {
                    text.lines()
                        .map(|l| l.trim_start().to_string())
                        .filter(|l| !l.is_empty())
                        .collect()
                } else {
                    match xargs_items(&text) {
                        Ok(v) => v,
                        Err(m) => {
                            err(&proc, &format!("xargs: {m}"));
                            return 1;
                        }
                    }
                }
            }
        };
        if items.is_empty() && no_empty {
            return 0;
        }
        let batches: Vec<Vec<String>> = if items.is_empty() {
            vec![Vec::new()]
        } else {
            match max_args {
                Some(n) if n > 0 => items.chunks(n).map(|c| c.to_vec()).collect(),
                _ => vec![items],
            }
        };
        let mut status = 0;
        for b in batches {
            let full: Vec<String> = match &replace {
                Some(r) => {
                    let item = b.first().cloned().unwrap_or_default();
                    cmd.iter().map(|a| a.replace(r.as_str(), &item)).collect()
                }
                None => cmd.iter().cloned().chain(b).collect(),
            };
            if trace {
                err(&proc, &full.join(" "));
            }
            let name = full[0].clone();
            let spec = proc.child_spec(full);
            match proc.spawn(spec) {
                Ok(pid) => {
                    let st = proc.wait(pid).await;
                    match st {
                        tsunagi_lab::ExitStatus::Code(0) => {}
                        tsunagi_lab::ExitStatus::Code(255) => {
                            err(
                                &proc,
                                &format!("xargs: {name}: exited with status 255; aborting"),
                            );
                            return 124;
                        }
                        tsunagi_lab::ExitStatus::Code(_) => status = 123,
                        tsunagi_lab::ExitStatus::Signaled(sig) => {
                            err(
                                &proc,
                                &format!("xargs: {name}: terminated by signal {}", sig.number()),
                            );
                            return 125;
                        }
                    }
                }
                Err(_) => {
                    err(&proc, &format!("xargs: {name}: No such file or directory"));
                    return 127;
                }
            }
        }
        status
    })
}

/// Applies a chmod mode (`755`, `+x`, `u+rw,go-w`, `a=r`) to permission bits.
fn apply_mode(spec: &str, mode: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8)
            .ok()
            .map(|m| (mode & !0o7777) | (m & 0o7777));
    }
    let mut m = mode;
    for clause in spec.split(',') {
        let who_end = clause.find(['+', '-', '=']).unwrap_or(clause.len());
        let (who, rest) = clause.split_at(who_end);
        let mut mask = 0u32;
        for w in who.chars() {
            mask |= match w {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                'a' => 0o7777,
                _ => return None,
            };
        }
        let umask_default = who.is_empty();
        if umask_default {
            mask = 0o7777;
        }
        let mut chars = rest.chars().peekable();
        while let Some(op) = chars.next() {
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            let mut bits = 0u32;
            while let Some(&c) = chars.peek() {
                if matches!(c, '+' | '-' | '=') {
                    break;
                }
                chars.next();
                bits |= match c {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' => {
                        if is_dir || m & 0o111 != 0 {
                            0o111
                        } else {
                            0
                        }
                    }
                    's' => 0o6000,
                    't' => 0o1000,
                    _ => return None,
                };
            }
            // Without a "who", the umask (022) keeps w from group and others.
            let eff = if umask_default && op == '+' {
                bits & !0o022
            } else {
                bits
            } & mask;
            m = match op {
                '+' => m | eff,
                '-' => m & !eff,
                _ => (m & !mask) | eff,
            };
        }
    }
    Some(m)
}

pub fn chmod(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        use std::os::unix::fs::PermissionsExt;
        let argv = args(&proc);
        let mut recursive = false;
        let mut rest = Vec::new();
        for a in &argv {
            match a.as_str() {
                "-R" | "--recursive" => recursive = true,
                "-v" | "-c" | "-f" | "--verbose" | "--changes" | "--silent" | "--quiet" => {}
                _ => rest.push(a.clone()),
            }
        }
        let _ = recursive;
        let Some(spec) = rest.first().cloned() else {
            return try_help(&proc, "missing operand");
        };
        if rest.len() < 2 {
            return try_help(&proc, &format!("missing operand after ‘{spec}’"));
        }
        let mut status = 0;
        for f in &rest[1..] {
            let tsunagi_lab::VPath::Real(p) = tsunagi_lab::VPath::resolve(&proc.cwd, f) else {
                continue;
            };
            let meta = match std::fs::metadata(&p) {
                Ok(m) => m,
                Err(_) => {
                    err(
                        &proc,
                        &format!(
                            "chmod: cannot access {}: No such file or directory",
                            quote_always(f)
                        ),
                    );
                    status = 1;
                    continue;
                }
            };
            let Some(mode) = apply_mode(&spec, meta.permissions().mode(), meta.is_dir()) else {
                return try_help(&proc, &format!("invalid mode: ‘{spec}’"));
            };
            if let Err(e) = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)) {
                err(
                    &proc,
                    &format!(
                        "chmod: changing permissions of {}: {}",
                        quote_always(f),
                        tsunagi_lab::io_errno(e)
                    ),
                );
                status = 1;
            }
        }
        status
    })
}

pub fn pwd(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        proc.out(format!("{}\n", proc.cwd.to_string_lossy()));
        0
    })
}

pub fn rm(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = match parse_args(&args(&proc), "", &[]) {
            Ok(a) => a,
            Err(m) => return try_help(&proc, &m),
        };
        let mut force = false;
        let mut recursive = false;
        let mut verbose = false;
        for (o, _) in &a.opts {
            match o.as_str() {
                "-f" | "--force" => force = true,
                "-r" | "-R" | "--recursive" => recursive = true,
                "-v" | "--verbose" => verbose = true,
                "-i" | "-I" | "-d" | "--dir" => {}
                other => {
                    return try_help(
                        &proc,
                        &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                    )
                }
            }
        }
        if a.operands.is_empty() {
            if force {
                return 0;
            }
            return try_help(&proc, "missing operand");
        }
        let mut status = 0;
        for f in &a.operands {
            match proc.sys.remove(&proc.cwd, f, recursive) {
                Ok(()) => {
                    if verbose {
                        proc.out(format!("removed {}\n", quote_always(f)));
                    }
                }
                Err(Errno::ENOENT) if force => {}
                Err(e) => {
                    err(
                        &proc,
                        &format!("rm: cannot remove {}: {e}", quote_always(f)),
                    );
                    status = 1;
                }
            }
        }
        status
    })
}

pub fn touch(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = match parse_args(&args(&proc), "dtr", &["date", "reference"]) {
            Ok(a) => a,
            Err(m) => return try_help(&proc, &m),
        };
        let no_create = a.opts.iter().any(|(o, _)| o == "-c" || o == "--no-create");
        if a.operands.is_empty() {
            return try_help(&proc, "missing file operand");
        }
        let mut status = 0;
        for f in &a.operands {
            if proc.sys.stat(&proc.cwd, f, proc.netns).is_some() || no_create {
                continue;
            }
            if let Err(e) = proc.sys.open(&proc.cwd, f, OpenMode::APPEND, proc.netns) {
                err(
                    &proc,
                    &format!("touch: cannot touch {}: {e}", quote_always(f)),
                );
                status = 1;
            }
        }
        status
    })
}

pub fn basename(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let argv = args(&proc);
        let mut multiple = false;
        let mut suffix: Option<String> = None;
        let mut names = Vec::new();
        let mut zero = false;
        let mut i = 0;
        while i < argv.len() {
            match argv[i].as_str() {
                "-a" | "--multiple" => multiple = true,
                "-z" | "--zero" => zero = true,
                "-s" | "--suffix" => {
                    i += 1;
                    suffix = argv.get(i).cloned();
                    multiple = true;
                }
                "--" => {
                    names.extend(argv[i + 1..].iter().cloned());
                    break;
                }
                s => names.push(s.to_string()),
            }
            i += 1;
        }
        if names.is_empty() {
            return try_help(&proc, "missing operand");
        }
        if !multiple {
            if names.len() > 2 {
                return try_help(&proc, &format!("extra operand ‘{}’", names[2]));
            }
            if names.len() == 2 {
                suffix = Some(names[1].clone());
                names.truncate(1);
            }
        }
        let end = if zero { "\0" } else { "\n" };
        let mut out = String::new();
        for n in names {
            let mut b = base_of(&n);
            if let Some(s) = &suffix {
                if b.len() > s.len() && b.ends_with(s.as_str()) {
                    b.truncate(b.len() - s.len());
                }
            }
            out.push_str(&b);
            out.push_str(end);
        }
        proc.out(out);
        0
    })
}

fn base_of(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() {
            String::new()
        } else {
            "/".into()
        };
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

pub fn dirname(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let names: Vec<String> = args(&proc).into_iter().filter(|a| a != "--").collect();
        if names.is_empty() {
            return try_help(&proc, "missing operand");
        }
        let mut out = String::new();
        for n in names {
            let t = n.trim_end_matches('/');
            let d = if t.is_empty() {
                if n.starts_with('/') {
                    "/".to_string()
                } else {
                    ".".to_string()
                }
            } else {
                match t.rfind('/') {
                    None => ".".to_string(),
                    Some(i) => {
                        let d = t[..i].trim_end_matches('/');
                        if d.is_empty() {
                            "/".to_string()
                        } else {
                            d.to_string()
                        }
                    }
                }
            };
            out.push_str(&d);
            out.push('\n');
        }
        proc.out(out);
        0
    })
}

pub fn env(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let argv = args(&proc);
        let mut env: BTreeMap<String, String> = proc.env.clone();
        let mut i = 0;
        while i < argv.len() {
            let a = &argv[i];
            if a == "-i" || a == "-" || a == "--ignore-environment" {
                env.clear();
            } else if a == "-u" || a == "--unset" {
                i += 1;
                if let Some(n) = argv.get(i) {
                    env.remove(n);
                }
            } else if let Some(n) = a.strip_prefix("-u") {
                env.remove(n);
            } else if a == "--" {
                i += 1;
                break;
            } else if a.starts_with('-') && a.len() > 1 {
                return try_help(
                    &proc,
                    &format!("invalid option -- '{}'", a.chars().nth(1).unwrap_or('-')),
                );
            } else if let Some((k, v)) = a.split_once('=') {
                env.insert(k.to_string(), v.to_string());
            } else {
                break;
            }
            i += 1;
        }
        let rest: Vec<String> = argv[i.min(argv.len())..].to_vec();
        if rest.is_empty() {
            let mut out = String::new();
            for (k, v) in &env {
                out.push_str(&format!("{k}={v}\n"));
            }
            proc.out(out);
            return 0;
        }
        let mut proc = proc;
        proc.env = env;
        let name = rest[0].clone();
        match proc.exec(rest).await {
            Ok(code) => code,
            Err((_, p)) => {
                err(&p, &format!("env: ‘{name}’: No such file or directory"));
                127
            }
        }
    })
}

pub fn sudo(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let argv = args(&proc);
        let mut i = 0;
        while i < argv.len() && argv[i].starts_with('-') {
            match argv[i].as_str() {
                "-u" | "-g" | "-C" | "-h" | "-p" | "-U" => i += 2,
                "--" => {
                    i += 1;
                    break;
                }
                _ => i += 1,
            }
        }
        let rest: Vec<String> = argv[i.min(argv.len())..].to_vec();
        if rest.is_empty() {
            err(&proc, "usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABknS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABknS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]\nusage: sudo [-ABbEHknPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]\nusage: sudo -e [-ABknS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] file ...");
            return 1;
        }
        let name = rest[0].clone();
        // A script path runs with bash.
        let argv = if name.contains('/')
            && !proc.has_program(&name)
            && proc.sys.stat(&proc.cwd, &name, proc.netns) == Some(false)
        {
            let mut a = vec!["bash".to_string()];
            a.extend(rest);
            a
        } else {
            rest
        };
        match proc.exec(argv).await {
            Ok(code) => code,
            Err((_, p)) => {
                err(&p, &format!("sudo: {name}: command not found"));
                1
            }
        }
    })
}

pub fn tee(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = match parse_args(&args(&proc), "", &["output-error"]) {
            Ok(a) => a,
            Err(m) => return try_help(&proc, &m),
        };
        let append = a.opts.iter().any(|(o, _)| o == "-a" || o == "--append");
        let mode = if append {
            OpenMode::APPEND
        } else {
            OpenMode::WRITE
        };
        let mut files = Vec::new();
        let mut status = 0;
        for f in &a.operands {
            match super::open_out(&proc, f, mode) {
                Ok(x) => files.push((f.clone(), x)),
                Err(e) => {
                    err(&proc, &format!("tee: {}: {e}", quote(f)));
                    status = 1;
                }
            }
        }
        let Some(input) = proc.fd(0).cloned() else {
            return status;
        };
        loop {
            let c = input.read().await.unwrap_or_default();
            if c.is_empty() {
                break;
            }
            for (name, f) in &files {
                if let Err(e) = f.write(&c) {
                    err(&proc, &format!("tee: {}: {e}", quote(name)));
                    status = 1;
                }
            }
            if !proc.out(&c) {
                return 1;
            }
        }
        status
    })
}

pub fn yes(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = args(&proc);
        let line = if a.is_empty() {
            "y".to_string()
        } else {
            a.join(" ")
        };
        let chunk = format!("{line}\n").repeat(64);
        loop {
            if !proc.out(&chunk) {
                return 1;
            }
            yield_now().await;
        }
    })
}

pub fn id(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        let a = args(&proc);
        let name = a
            .iter()
            .any(|x| x == "-n" || x.starts_with("-") && x.contains('n') && x.len() > 2);
        let out = if a
            .iter()
            .any(|x| x.starts_with('-') && (x.contains('u') || x.contains('g') || x.contains('G')))
        {
            if name {
                "root\n"
            } else {
                "0\n"
            }
        } else {
            "uid=0(root) gid=0(root) groups=0(root)\n"
        };
        proc.out(out);
        0
    })
}

pub fn whoami(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(async move {
        proc.out("root\n");
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("0.5"), Some(0.5));
        assert_eq!(parse_interval("1s"), Some(1.0));
        assert_eq!(parse_interval("2m"), Some(120.0));
        assert_eq!(parse_interval("infinity"), Some(f64::INFINITY));
        assert_eq!(parse_interval("x"), None);
        assert_eq!(parse_interval("-1"), None);
    }

    #[test]
    fn tr_sets() {
        assert_eq!(tr_set("a-e").unwrap(), b"abcde");
        assert_eq!(tr_set("[:digit:]").unwrap(), b"0123456789");
        assert_eq!(tr_set("\\n\\t").unwrap(), b"\n\t");
        assert_eq!(tr_set("[x*3]").unwrap(), b"xxx");
    }

    #[test]
    fn columns() {
        let names: Vec<String> = ["a", "bb", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(in_columns(&names, 80), "a  bb  c\n");
    }

    #[test]
    fn sort_keys() {
        let k = parse_key("2,2n").unwrap();
        assert_eq!(key_text("a 10 x", &k, None), " 10");
        let k = parse_key("2").unwrap();
        assert_eq!(key_text("a:b:c", &k, Some(':')), "b:c");
    }
}

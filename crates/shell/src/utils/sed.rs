//! `sed` as GNU sed 4.9: scripts from `-e`, `-f` or the first operand; addresses (line,
//! `$`, `/re/`, `\cREc`, `first~step`, ranges with `,N` `,+N` `,/re/`), `!`, blocks, and the
//! commands `s y p P d D n N g G h H x a i c = l q Q b t T : r w z #`. `-n -E -r -s -i -z`.
//! Errors read as GNU's (`sed: -e expression #1, char 4: unterminated `s' command`).
//!
//! Reference: the GNU sed manual.

use std::collections::BTreeMap;
use std::rc::Rc;

use tsunagi_lab::{FileRef, LocalBoxFuture, OpenMode, Proc};

use super::{boxed, err, open, Lines, Out};
use crate::regex::Regex;

pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(sed_main(proc))
}

#[derive(Clone, Debug)]
enum Addr {
    Line(u64),
    Last,
    /// `None`: the last regex used.
    Re(Option<Rc<Regex>>),
    Step(u64, u64),
    /// `0,/re/`
    Zero,
}

#[derive(Clone, Debug)]
enum Addr2 {
    A(Addr),
    Plus(u64),
    Tilde(u64),
}

#[derive(Clone, Debug)]
enum Rep {
    Lit(String),
    Group(usize),
    Case(char),
}

#[derive(Clone, Debug)]
enum Kind {
    Block(usize),
    EndBlock,
    Eq,
    Append(String),
    Insert(String),
    Change(String),
    Delete,
    DeleteFirst,
    GetHold,
    GetHoldAppend,
    Hold,
    HoldAppend,
    List,
    Next,
    NextAppend,
    Print,
    PrintFirst,
    Quit(i32),
    QuitSilent(i32),
    ReadFile(String),
    Subst {
        re: Option<Rc<Regex>>,
        rep: Vec<Rep>,
        global: bool,
        nth: usize,
        print: bool,
        write: Option<String>,
    },
    Branch(String),
    BranchIf(String),
    BranchUnless(String),
    Label,
    Write(String),
    Exchange,
    Translate(Vec<(char, char)>),
    Zap,
}

#[derive(Clone, Debug)]
struct Cmd {
    a1: Option<Addr>,
    a2: Option<Addr2>,
    neg: bool,
    kind: Kind,
}

struct ParseErr {
    pos: usize,
    msg: String,
}

struct ScriptParser<'a> {
    s: Vec<char>,
    i: usize,
    extended: bool,
    cmds: Vec<Cmd>,
    blocks: Vec<usize>,
    labels: BTreeMap<String, usize>,
    silent_hint: bool,
    _src: &'a str,
}

fn perr(pos: usize, msg: &str) -> ParseErr {
    ParseErr {
        pos,
        msg: msg.to_string(),
    }
}

impl ScriptParser<'_> {
    fn cur(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.cur(), Some(' ') | Some('\t')) {
            self.i += 1;
        }
    }

    fn number(&mut self) -> Option<u64> {
        let start = self.i;
        while self.cur().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if start == self.i {
            return None;
        }
        self.s[start..self.i]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    /// Reads up to the unescaped delimiter; `\delim` becomes delim, `\n` a newline.
    fn delimited(&mut self, delim: char, is_regex: bool) -> Option<String> {
        let mut out = String::new();
        let mut in_bracket = false;
        loop {
            let c = self.cur()?;
            self.i += 1;
            if c == '\\' {
                let n = self.cur()?;
                self.i += 1;
                if n == delim {
                    if is_regex && "$*.[]^\\+?(){}|".contains(n) && delim != '/' {
                        // A special character used as delimiter is literal when escaped.
                        out.push('\\');
                    }
                    out.push(n);
                } else if (n == 'n' && !in_bracket) || n == '\n' {
                    out.push('\n');
                } else {
                    out.push('\\');
                    out.push(n);
                }
                continue;
            }
            if is_regex && c == '[' && !in_bracket {
                in_bracket = true;
                out.push(c);
                // `[]` and `[^]` start with a literal `]`.
                if self.cur() == Some('^') {
                    out.push('^');
                    self.i += 1;
                }
                if self.cur() == Some(']') {
                    out.push(']');
                    self.i += 1;
                }
                continue;
            }
            if in_bracket {
                if c == '[' && matches!(self.cur(), Some(':') | Some('.') | Some('=')) {
                    // [:class:]
                    let kind = self.cur()?;
                    out.push(c);
                    out.push(kind);
                    self.i += 1;
                    loop {
                        let x = self.cur()?;
                        self.i += 1;
                        out.push(x);
                        if x == kind && self.cur() == Some(']') {
                            out.push(']');
                            self.i += 1;
                            break;
                        }
                    }
                    continue;
                }
                if c == ']' {
                    in_bracket = false;
                }
                out.push(c);
                continue;
            }
            if c == delim {
                return Some(out);
            }
            out.push(c);
        }
    }

    fn regex(&self, pat: &str, icase: bool, multiline: bool) -> Result<Option<Rc<Regex>>, String> {
        if pat.is_empty() {
            return Ok(None);
        }
        let tr = crate::regex::translate(pat, self.extended)?;
        let tr = if multiline { format!("(?m){tr}") } else { tr };
        Regex::new_translated(&tr, icase).map(|r| Some(Rc::new(r)))
    }

    fn addr(&mut self) -> Result<Option<Addr>, ParseErr> {
        match self.cur() {
            Some(c) if c.is_ascii_digit() => {
                let n = self.number().unwrap_or(0);
                if self.cur() == Some('~') {
                    self.i += 1;
                    let step = self.number().unwrap_or(0);
                    return Ok(Some(Addr::Step(n, step)));
                }
                if n == 0 {
                    return Ok(Some(Addr::Zero));
                }
                Ok(Some(Addr::Line(n)))
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some(c) if c == '/' || c == '\\' => {
                self.i += 1;
                let delim = if c == '\\' {
                    let d = self.cur().ok_or_else(|| perr(self.i, "unexpected `,'"))?;
                    self.i += 1;
                    d
                } else {
                    '/'
                };
                let pat = self
                    .delimited(delim, true)
                    .ok_or_else(|| perr(self.i, "unterminated address regex"))?;
                let mut icase = false;
                let mut ml = false;
                loop {
                    match self.cur() {
                        Some('I') => icase = true,
                        Some('M') => ml = true,
                        _ => break,
                    }
                    self.i += 1;
                }
                let re = self.regex(&pat, icase, ml).map_err(|m| perr(self.i, &m))?;
                Ok(Some(Addr::Re(re)))
            }
            _ => Ok(None),
        }
    }

    /// Text of a/i/c: `a\` newline text, or `a text` (GNU one-liner).
    fn text_arg(&mut self) -> Result<String, ParseErr> {
        self.skip_ws();
        if self.cur() == Some('\\') {
            self.i += 1;
            if self.cur() == Some('\n') {
                self.i += 1;
            }
        }
        let mut out = String::new();
        loop {
            match self.cur() {
                None => break,
                Some('\n') => {
                    self.i += 1;
                    break;
                }
                Some('\\') => {
                    self.i += 1;
                    match self.cur() {
                        Some('\n') => {
                            out.push('\n');
                            self.i += 1;
                        }
                        Some(c) => {
                            out.push(c);
                            self.i += 1;
                        }
                        None => {}
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
        Ok(out)
    }

    fn label(&mut self) -> String {
        self.skip_ws();
        let mut l = String::new();
        while let Some(c) = self.cur() {
            if c == '\n' || c == ';' {
                break;
            }
            l.push(c);
            self.i += 1;
        }
        l.trim_end().to_string()
    }

    fn filename(&mut self) -> String {
        self.skip_ws();
        let mut l = String::new();
        while let Some(c) = self.cur() {
            if c == '\n' {
                break;
            }
            l.push(c);
            self.i += 1;
        }
        l
    }

    fn end_of_cmd(&mut self) -> Result<(), ParseErr> {
        self.skip_ws();
        match self.cur() {
            None | Some('\n') | Some(';') => {
                if self.cur().is_some() {
                    self.i += 1;
                }
                Ok(())
            }
            Some('}') | Some('#') => Ok(()),
            Some(_) => Err(perr(self.i + 1, "extra characters after command")),
        }
    }

    fn parse(&mut self) -> Result<(), ParseErr> {
        if self.s.starts_with(&['#', 'n']) && matches!(self.s.get(2), None | Some('\n')) {
            self.silent_hint = true;
        }
        loop {
            while matches!(self.cur(), Some(' ') | Some('\t') | Some('\n') | Some(';')) {
                self.i += 1;
            }
            let Some(_) = self.cur() else { break };
            let a1 = self.addr()?;
            let mut a2 = None;
            if a1.is_some() {
                self.skip_ws();
                if self.cur() == Some(',') {
                    self.i += 1;
                    self.skip_ws();
                    a2 = match self.cur() {
                        Some('+') => {
                            self.i += 1;
                            Some(Addr2::Plus(self.number().unwrap_or(0)))
                        }
                        Some('~') => {
                            self.i += 1;
                            Some(Addr2::Tilde(self.number().unwrap_or(0)))
                        }
                        _ => match self.addr()? {
                            Some(Addr::Zero) => {
                                return Err(perr(self.i, "invalid usage of line address 0"))
                            }
                            Some(a) => Some(Addr2::A(a)),
                            None => return Err(perr(self.i, "unexpected `,'")),
                        },
                    };
                }
            }
            if matches!(a1, Some(Addr::Zero)) && !matches!(a2, Some(Addr2::A(Addr::Re(_)))) {
                return Err(perr(self.i, "invalid usage of line address 0"));
            }
            self.skip_ws();
            let mut neg = false;
            while self.cur() == Some('!') {
                neg = true;
                self.i += 1;
                self.skip_ws();
            }
            let Some(c) = self.cur() else {
                return Err(perr(self.i, "missing command"));
            };
            self.i += 1;
            let one_addr = |p: &Self, _name: char| -> Result<(), ParseErr> {
                if a2.is_some() {
                    Err(perr(p.i, "command only uses one address"))
                } else {
                    Ok(())
                }
            };
            let kind = match c {
                '{' => {
                    self.blocks.push(self.cmds.len());
                    self.cmds.push(Cmd {
                        a1,
                        a2,
                        neg,
                        kind: Kind::Block(0),
                    });
                    continue;
                }
                '}' => {
                    if a1.is_some() {
                        return Err(perr(self.i, "} doesn't want any addresses"));
                    }
                    let Some(open) = self.blocks.pop() else {
                        return Err(perr(self.i, "unexpected `}'"));
                    };
                    let here = self.cmds.len();
                    if let Kind::Block(end) = &mut self.cmds[open].kind {
                        *end = here;
                    }
                    self.cmds.push(Cmd {
                        a1: None,
                        a2: None,
                        neg: false,
                        kind: Kind::EndBlock,
                    });
                    self.end_of_cmd()?;
                    continue;
                }
                '#' => {
                    if a1.is_some() {
                        return Err(perr(self.i, "comments don't accept any addresses"));
                    }
                    while self.cur().is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                    continue;
                }
                '=' => Kind::Eq,
                'a' | 'i' | 'c' => {
                    if c != 'c' {
                        one_addr(self, c)?;
                    }
                    let t = self.text_arg()?;
                    let kind = match c {
                        'a' => Kind::Append(t),
                        'i' => Kind::Insert(t),
                        _ => Kind::Change(t),
                    };
                    self.cmds.push(Cmd { a1, a2, neg, kind });
                    continue;
                }
                'd' => Kind::Delete,
                'D' => Kind::DeleteFirst,
                'g' => Kind::GetHold,
                'G' => Kind::GetHoldAppend,
                'h' => Kind::Hold,
                'H' => Kind::HoldAppend,
                'l' => {
                    self.skip_ws();
                    self.number();
                    Kind::List
                }
                'n' => Kind::Next,
                'N' => Kind::NextAppend,
                'p' => Kind::Print,
                'P' => Kind::PrintFirst,
                'x' => Kind::Exchange,
                'z' => Kind::Zap,
                'q' | 'Q' => {
                    one_addr(self, c)?;
                    self.skip_ws();
                    let code = self.number().unwrap_or(0) as i32;
                    if c == 'q' {
                        Kind::Quit(code)
                    } else {
                        Kind::QuitSilent(code)
                    }
                }
                'r' | 'R' => {
                    let f = self.filename();
                    self.cmds.push(Cmd {
                        a1,
                        a2,
                        neg,
                        kind: Kind::ReadFile(f),
                    });
                    continue;
                }
                'w' | 'W' => {
                    let f = self.filename();
                    self.cmds.push(Cmd {
                        a1,
                        a2,
                        neg,
                        kind: Kind::Write(f),
                    });
                    continue;
                }
                ':' => {
                    if a1.is_some() {
                        return Err(perr(self.i, ": doesn't want any addresses"));
                    }
                    let l = self.label();
                    if l.is_empty() {
                        return Err(perr(self.i, "\":\" lacks a label"));
                    }
                    self.labels.insert(l, self.cmds.len());
                    Kind::Label
                }
                'b' | 't' | 'T' => {
                    let l = self.label();
                    match c {
                        'b' => Kind::Branch(l),
                        't' => Kind::BranchIf(l),
                        _ => Kind::BranchUnless(l),
                    }
                }
                's' => {
                    let Some(delim) = self.cur() else {
                        return Err(perr(self.i, "unterminated `s' command"));
                    };
                    if delim == '\n' || delim == '\\' {
                        return Err(perr(self.i, "unterminated `s' command"));
                    }
                    self.i += 1;
                    let pat = self
                        .delimited(delim, true)
                        .ok_or_else(|| perr(self.i, "unterminated `s' command"))?;
                    let rep_raw = self
                        .delimited_rep(delim)
                        .ok_or_else(|| perr(self.i, "unterminated `s' command"))?;
                    let (mut global, mut nth, mut print, mut icase, mut ml, mut write) =
                        (false, 0usize, false, false, false, None);
                    loop {
                        match self.cur() {
                            Some('g') => global = true,
                            Some('p') => print = true,
                            Some('i') | Some('I') => icase = true,
                            Some('m') | Some('M') => ml = true,
                            Some('e') => {}
                            Some(d) if d.is_ascii_digit() => {
                                nth = self.number().unwrap_or(0) as usize;
                                if nth == 0 {
                                    return Err(perr(
                                        self.i,
                                        "number option to `s' command may not be zero",
                                    ));
                                }
                                continue;
                            }
                            Some('w') => {
                                self.i += 1;
                                write = Some(self.filename());
                                break;
                            }
                            Some(' ') | Some('\t') | Some(';') | Some('\n') | Some('}')
                            | Some('#') | None => break,
                            Some(_) => return Err(perr(self.i + 1, "unknown option to `s'")),
                        }
                        self.i += 1;
                    }
                    let re = self.regex(&pat, icase, ml).map_err(|m| perr(self.i, &m))?;
                    let rep = parse_rep(&rep_raw);
                    let groups = re.as_ref().map(|r| r.groups()).unwrap_or(10);
                    for r in &rep {
                        if let Rep::Group(g) = r {
                            if *g >= groups {
                                return Err(perr(
                                    self.i,
                                    &format!("invalid reference \\{g} on `s' command's RHS"),
                                ));
                            }
                        }
                    }
                    Kind::Subst {
                        re,
                        rep,
                        global,
                        nth: nth.max(1),
                        print,
                        write,
                    }
                }
                'y' => {
                    let Some(delim) = self.cur() else {
                        return Err(perr(self.i, "unterminated `y' command"));
                    };
                    self.i += 1;
                    let a = self
                        .delimited(delim, false)
                        .ok_or_else(|| perr(self.i, "unterminated `y' command"))?;
                    let b = self
                        .delimited(delim, false)
                        .ok_or_else(|| perr(self.i, "unterminated `y' command"))?;
                    let unesc = |s: &str| -> Vec<char> {
                        let mut v = Vec::new();
                        let mut it = s.chars();
                        while let Some(c) = it.next() {
                            if c == '\\' {
                                match it.next() {
                                    Some('\\') => v.push('\\'),
                                    Some(x) => v.push(x),
                                    None => v.push('\\'),
                                }
                            } else {
                                v.push(c);
                            }
                        }
                        v
                    };
                    let (a, b) = (unesc(&a), unesc(&b));
                    if a.len() != b.len() {
                        return Err(perr(
                            self.i,
                            "strings for `y' command are different lengths",
                        ));
                    }
                    Kind::Translate(a.into_iter().zip(b).collect())
                }
                other => {
                    return Err(perr(self.i, &format!("unknown command: `{other}'")));
                }
            };
            self.cmds.push(Cmd { a1, a2, neg, kind });
            self.end_of_cmd()?;
        }
        if let Some(&open) = self.blocks.last() {
            let _ = open;
            return Err(ParseErr {
                pos: usize::MAX,
                msg: "unmatched `{'".into(),
            });
        }
        for c in &self.cmds {
            if let Kind::Branch(l) | Kind::BranchIf(l) | Kind::BranchUnless(l) = &c.kind {
                if !l.is_empty() && !self.labels.contains_key(l) {
                    return Err(ParseErr {
                        pos: usize::MAX,
                        msg: format!("can't find label for jump to `{l}'"),
                    });
                }
            }
        }
        Ok(())
    }

    /// The replacement of `s`: kept raw (escapes are decoded by `parse_rep`), `\delim`
    /// unescaped.
    fn delimited_rep(&mut self, delim: char) -> Option<String> {
        let mut out = String::new();
        loop {
            let c = self.cur()?;
            self.i += 1;
            if c == '\\' {
                let n = self.cur()?;
                self.i += 1;
                if n == delim && delim != '&' {
                    out.push(n);
                } else {
                    out.push('\\');
                    out.push(n);
                }
                continue;
            }
            if c == delim {
                return Some(out);
            }
            out.push(c);
        }
    }
}

fn parse_rep(s: &str) -> Vec<Rep> {
    let mut v = Vec::new();
    let mut lit = String::new();
    let mut it = s.chars();
    let flush = |lit: &mut String, v: &mut Vec<Rep>| {
        if !lit.is_empty() {
            v.push(Rep::Lit(std::mem::take(lit)));
        }
    };
    while let Some(c) = it.next() {
        match c {
            '&' => {
                flush(&mut lit, &mut v);
                v.push(Rep::Group(0));
            }
            '\\' => match it.next() {
                Some(d @ '0'..='9') => {
                    flush(&mut lit, &mut v);
                    v.push(Rep::Group(d as usize - '0' as usize));
                }
                Some('n') => lit.push('\n'),
                Some('t') => lit.push('\t'),
                Some('\n') => lit.push('\n'),
                Some(k @ ('L' | 'U' | 'l' | 'u' | 'E')) => {
                    flush(&mut lit, &mut v);
                    v.push(Rep::Case(k));
                }
                Some(x) => lit.push(x),
                None => lit.push('\\'),
            },
            _ => lit.push(c),
        }
    }
    flush(&mut lit, &mut v);
    v
}

/// Builds the replacement text for one match.
fn render(rep: &[Rep], text: &str, caps: &[Option<(usize, usize)>]) -> String {
    let mut out = String::new();
    // Case conversion state: persistent (\L \U) and one-shot (\l \u).
    let mut mode: Option<char> = None;
    let mut one: Option<char> = None;
    let push = |out: &mut String, s: &str, mode: Option<char>, one: &mut Option<char>| {
        for ch in s.chars() {
            let c = match one.take() {
                Some('u') => ch.to_uppercase().collect::<String>(),
                Some('l') => ch.to_lowercase().collect::<String>(),
                _ => match mode {
                    Some('U') => ch.to_uppercase().collect::<String>(),
                    Some('L') => ch.to_lowercase().collect::<String>(),
                    _ => ch.to_string(),
                },
            };
            out.push_str(&c);
        }
    };
    for r in rep {
        match r {
            Rep::Lit(s) => push(&mut out, s, mode, &mut one),
            Rep::Group(g) => {
                if let Some(Some((a, b))) = caps.get(*g) {
                    push(&mut out, &text[*a..*b], mode, &mut one);
                }
            }
            Rep::Case(k) => match k {
                'L' | 'U' => mode = Some(*k),
                'E' => {
                    mode = None;
                    one = None;
                }
                _ => one = Some(*k),
            },
        }
    }
    out
}

struct Input<'a> {
    proc: &'a Proc,
    files: Vec<String>,
    next_file: usize,
    cur: Option<Lines>,
    peeked: Option<(String, bool)>,
    status: i32,
    separate: bool,
}

impl Input<'_> {
    async fn raw_next(&mut self) -> Option<(String, bool)> {
        loop {
            if self.cur.is_none() {
                let f = self.files.get(self.next_file)?.clone();
                self.next_file += 1;
                match open(self.proc, &f) {
                    Ok(file) => {
                        if f != "-"
                            && self.proc.sys.stat(&self.proc.cwd, &f, self.proc.netns) == Some(true)
                        {
                            err(
                                self.proc,
                                &format!("sed: couldn't edit {f}: not a regular file"),
                            );
                            self.status = 2;
                            continue;
                        }
                        self.cur = Some(Lines::new(file));
                    }
                    Err(e) => {
                        err(self.proc, &format!("sed: can't read {f}: {e}"));
                        self.status = 2;
                        continue;
                    }
                }
            }
            if let Some(rd) = self.cur.as_mut() {
                match rd.next().await {
                    Ok(Some((l, nl))) => {
                        return Some((String::from_utf8_lossy(&l).into_owned(), nl))
                    }
                    Ok(None) => {
                        self.cur = None;
                        if self.separate {
                            return None;
                        }
                    }
                    Err(e) => {
                        err(
                            self.proc,
                            &format!("sed: read error on {}: {e}", self.files[self.next_file - 1]),
                        );
                        self.status = 2;
                        self.cur = None;
                    }
                }
            }
        }
    }

    async fn next(&mut self) -> Option<(String, bool)> {
        if let Some(p) = self.peeked.take() {
            return Some(p);
        }
        self.raw_next().await
    }

    async fn is_last(&mut self) -> bool {
        if self.peeked.is_some() {
            return false;
        }
        match self.raw_next().await {
            Some(p) => {
                self.peeked = Some(p);
                false
            }
            None => true,
        }
    }
}

struct Exec {
    cmds: Vec<Cmd>,
    labels: BTreeMap<String, usize>,
    silent: bool,
    last_re: Option<Rc<Regex>>,
    /// Per command: the range is active (and where it started).
    range: Vec<Option<u64>>,
    hold: String,
    line: u64,
    wfiles: BTreeMap<String, FileRef>,
}

enum Flow {
    Continue,
    /// End the cycle (autoprint unless `d`).
    EndCycle {
        print: bool,
    },
    Restart,
    Quit {
        print: bool,
        code: i32,
    },
}

impl Exec {
    fn re<'a>(&'a mut self, r: &'a Option<Rc<Regex>>) -> Option<Rc<Regex>> {
        match r {
            Some(x) => {
                self.last_re = Some(x.clone());
                Some(x.clone())
            }
            None => self.last_re.clone(),
        }
    }

    fn addr_match(&mut self, a: &Addr, ps: &str, last: bool) -> bool {
        match a {
            Addr::Line(n) => self.line == *n,
            Addr::Last => last,
            Addr::Zero => false,
            Addr::Step(first, step) => {
                if *step == 0 {
                    self.line == *first
                } else {
                    self.line >= *first && (self.line - first) % step == 0
                }
            }
            Addr::Re(r) => match self.re(r) {
                Some(re) => re.is_match(ps),
                None => false,
            },
        }
    }

    fn selected(&mut self, k: usize, ps: &str, last: bool) -> bool {
        let c = self.cmds[k].clone();
        let hit = match (&c.a1, &c.a2) {
            (None, _) => true,
            (Some(a), None) => self.addr_match(a, ps, last),
            (Some(a1), Some(a2)) => {
                if let Some(start) = self.range[k] {
                    // Inside a range: does this line end it?
                    let end = match a2 {
                        Addr2::A(Addr::Line(n)) => self.line >= *n,
                        Addr2::A(a) => self.addr_match(a, ps, last),
                        Addr2::Plus(n) => self.line >= start + n,
                        Addr2::Tilde(n) => *n == 0 || self.line % n == 0,
                    };
                    if end {
                        self.range[k] = None;
                    }
                    true
                } else {
                    let starts = match a1 {
                        // `0,/re/`: the range is open before the first line.
                        Addr::Zero => self.line == 1,
                        a => self.addr_match(a, ps, last),
                    };
                    if starts {
                        let zero = matches!(a1, Addr::Zero);
                        // A range whose end is already passed covers one line.
                        let ends_now = match a2 {
                            Addr2::A(Addr::Line(n)) => *n <= self.line,
                            Addr2::A(a) if zero => self.addr_match(a, ps, last),
                            Addr2::Plus(0) => true,
                            Addr2::Tilde(n) => *n == 0 || self.line % n == 0,
                            _ => false,
                        };
                        if !ends_now {
                            self.range[k] = Some(self.line);
                        }
                    }
                    starts
                }
            }
        };
        hit != c.neg
    }
}

fn escape_l(s: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for b in s.bytes() {
        let piece = match b {
            b'\\' => "\\\\".to_string(),
            7 => "\\a".into(),
            8 => "\\b".into(),
            12 => "\\f".into(),
            b'\n' => "\\n".into(),
            b'\r' => "\\r".into(),
            b'\t' => "\\t".into(),
            11 => "\\v".into(),
            32..=126 => (b as char).to_string(),
            _ => format!("\\{b:03o}"),
        };
        if col + piece.len() > 69 {
            out.push_str("\\\n");
            col = 0;
        }
        col += piece.len();
        out.push_str(&piece);
    }
    out.push_str("$\n");
    out
}

async fn sed_main(proc: Proc) -> i32 {
    let argv: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
    let mut scripts: Vec<(String, Option<String>)> = Vec::new();
    let mut silent = false;
    let mut extended = false;
    let mut separate = false;
    let mut in_place: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    let usage = |proc: &Proc| {
        err(
            proc,
            "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n",
        );
        1
    };
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            files.extend(argv[i + 1..].iter().cloned());
            break;
        }
        if let Some(l) = a.strip_prefix("--") {
            match l {
                "quiet" | "silent" => silent = true,
                "regexp-extended" => extended = true,
                "separate" => separate = true,
                "posix" | "unbuffered" | "debug" | "sandbox" | "follow-symlinks" | "null-data" => {}
                "version" => {
                    proc.out("sed (GNU sed) 4.9\nPackaged by Debian\nCopyright (C) 2022 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\nWritten by Jay Fenlason, Tom Lord, Ken Pizzini,\nPaolo Bonzini, Jim Meyering, and Assaf Gordon.\n\nThis sed program was built with SELinux support.\nSELinux is disabled on this system.\n\nGNU sed home page: <https://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>.\nE-mail bug reports to: <bug-sed@gnu.org>.\n");
                    return 0;
                }
                _ if l.starts_with("expression=") => {
                    scripts.push((l["expression=".len()..].to_string(), None))
                }
                "expression" => {
                    i += 1;
                    scripts.push((argv.get(i).cloned().unwrap_or_default(), None));
                }
                _ if l.starts_with("in-place") => {
                    in_place = Some(l.strip_prefix("in-place=").unwrap_or("").to_string());
                }
                _ => {
                    err(&proc, &format!("sed: unrecognized option '{a}'"));
                    return usage(&proc);
                }
            }
            i += 1;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let cs: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < cs.len() {
                match cs[k] {
                    'n' => silent = true,
                    'E' | 'r' => extended = true,
                    's' => separate = true,
                    'u' | 'z' => {}
                    'i' => {
                        in_place = Some(cs[k + 1..].iter().collect());
                        break;
                    }
                    'e' | 'f' => {
                        let rest: String = cs[k + 1..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest
                        } else {
                            i += 1;
                            match argv.get(i) {
                                Some(v) => v.clone(),
                                None => {
                                    err(
                                        &proc,
                                        &format!("sed: option requires an argument -- '{}'", cs[k]),
                                    );
                                    return usage(&proc);
                                }
                            }
                        };
                        if cs[k] == 'e' {
                            scripts.push((v, None));
                        } else {
                            match super::read_all(&proc, &v).await {
                                Ok(d) => {
                                    let mut t = String::from_utf8_lossy(&d).into_owned();
                                    if t.ends_with('\n') {
                                        t.pop();
                                    }
                                    scripts.push((t, Some(v)));
                                }
                                Err(e) => {
                                    err(&proc, &format!("sed: couldn't open file {v}: {e}"));
                                    return 1;
                                }
                            }
                        }
                        break;
                    }
                    c => {
                        err(&proc, &format!("sed: invalid option -- '{c}'"));
                        return usage(&proc);
                    }
                }
                k += 1;
            }
            i += 1;
            continue;
        }
        files.push(a.clone());
        i += 1;
    }
    if scripts.is_empty() {
        if files.is_empty() {
            return usage(&proc);
        }
        scripts.push((files.remove(0), None));
    }
    let script: String = scripts
        .iter()
        .map(|(s, _)| s.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut p = ScriptParser {
        s: script.chars().collect(),
        i: 0,
        extended,
        cmds: Vec::new(),
        blocks: Vec::new(),
        labels: BTreeMap::new(),
        silent_hint: false,
        _src: &script,
    };
    if let Err(e) = p.parse() {
        if e.pos == usize::MAX {
            err(&proc, &format!("sed: -e expression #1, char 0: {}", e.msg));
            return 1;
        }
        // Which -e expression and character within it.
        let mut pos = e.pos.min(p.s.len());
        let mut idx = 0;
        for (k, (s, _)) in scripts.iter().enumerate() {
            let n = s.chars().count();
            if pos <= n || k + 1 == scripts.len() {
                idx = k;
                break;
            }
            pos -= n + 1;
        }
        match &scripts[idx].1 {
            Some(file) => {
                let line = scripts[idx]
                    .0
                    .chars()
                    .take(pos)
                    .filter(|&c| c == '\n')
                    .count()
                    + 1;
                err(&proc, &format!("sed: file {file} line {line}: {}", e.msg));
            }
            None => err(
                &proc,
                &format!("sed: -e expression #{}, char {pos}: {}", idx + 1, e.msg),
            ),
        }
        return 1;
    }
    let silent = silent || p.silent_hint;
    if files.is_empty() {
        files.push("-".to_string());
    }
    let n = p.cmds.len();
    let mut ex = Exec {
        cmds: p.cmds,
        labels: p.labels,
        silent,
        last_re: None,
        range: vec![None; n],
        hold: String::new(),
        line: 0,
        wfiles: BTreeMap::new(),
    };
    if let Some(_suffix) = in_place {
        let mut status = 0;
        for f in files {
            let data = match super::read_all(&proc, &f).await {
                Ok(d) => d,
                Err(e) => {
                    err(&proc, &format!("sed: can't read {f}: {e}"));
                    status = 2;
                    continue;
                }
            };
            let (r, w) = tsunagi_lab::Pipe::new_pair();
            let _ = w.write(&data);
            drop(w);
            let mut sink = Vec::new();
            let mut input = Input {
                proc: &proc,
                files: vec!["-".into()],
                next_file: 0,
                cur: Some(Lines::new(r)),
                peeked: None,
                status: 0,
                separate: true,
            };
            ex.line = 0;
            ex.range = vec![None; n];
            let (code, _) = run(&proc, &mut ex, &mut input, Sink::Buf(&mut sink)).await;
            match proc.sys.open(&proc.cwd, &f, OpenMode::WRITE, proc.netns) {
                Ok(file) => {
                    let _ = file.write(&sink);
                }
                Err(e) => {
                    err(
                        &proc,
                        &format!("sed: couldn't open temporary file {f}: {e}"),
                    );
                    status = 4;
                }
            }
            if code.is_some() {
                break;
            }
        }
        return status;
    }
    let mut input = Input {
        proc: &proc,
        files,
        next_file: 0,
        cur: None,
        peeked: None,
        status: 0,
        separate,
    };
    let mut out = Out::new(&proc);
    let (code, _) = run(&proc, &mut ex, &mut input, Sink::Out(&mut out)).await;
    if let Some(c) = code {
        return c;
    }
    input.status
}

enum Sink<'a, 'b> {
    Out(&'a mut Out<'b>),
    Buf(&'a mut Vec<u8>),
}

impl Sink<'_, '_> {
    fn write(&mut self, s: &str) {
        match self {
            Sink::Out(o) => o.str(s),
            Sink::Buf(b) => b.extend_from_slice(s.as_bytes()),
        }
    }
    fn broken(&self) -> bool {
        match self {
            Sink::Out(o) => o.broken,
            Sink::Buf(_) => false,
        }
    }
}

/// Runs the script over the input. Gives the exit code of `q`/`Q` if one ran.
async fn run(
    proc: &Proc,
    ex: &mut Exec,
    input: &mut Input<'_>,
    mut out: Sink<'_, '_>,
) -> (Option<i32>, ()) {
    let mut ps;
    let mut nl;
    let mut restart_ps: Option<(String, bool)> = None;
    loop {
        if let Some((s, n)) = restart_ps.take() {
            ps = s;
            nl = n;
        } else {
            match input.next().await {
                Some((l, n)) => {
                    ps = l;
                    nl = n;
                    ex.line += 1;
                }
                None => return (None, ()),
            }
        }
        let mut append: Vec<String> = Vec::new();
        let mut subst_flag = false;
        let mut pc = 0usize;
        let mut flow = Flow::Continue;
        while pc < ex.cmds.len() {
            let last = input.is_last().await;
            if !ex.selected(pc, &ps, last) {
                if let Kind::Block(end) = ex.cmds[pc].kind {
                    pc = end + 1;
                } else {
                    pc += 1;
                }
                continue;
            }
            let kind = ex.cmds[pc].kind.clone();
            pc += 1;
            match kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Label => {}
                Kind::Eq => out.write(&format!("{}\n", ex.line)),
                Kind::Append(t) => append.push(format!("{t}\n")),
                Kind::Insert(t) => out.write(&format!("{t}\n")),
                Kind::Change(t) => {
                    // With a range, print at the range's end only.
                    let in_range = ex.range[pc - 1].is_some();
                    if !in_range || ex.cmds[pc - 1].neg {
                        out.write(&format!("{t}\n"));
                    }
                    flow = Flow::EndCycle { print: false };
                    break;
                }
                Kind::Delete => {
                    flow = Flow::EndCycle { print: false };
                    break;
                }
                Kind::DeleteFirst => match ps.find('\n') {
                    Some(i) => {
                        ps = ps[i + 1..].to_string();
                        flow = Flow::Restart;
                        break;
                    }
                    None => {
                        flow = Flow::EndCycle { print: false };
                        break;
                    }
                },
                Kind::GetHold => ps = ex.hold.clone(),
                Kind::GetHoldAppend => {
                    ps.push('\n');
                    ps.push_str(&ex.hold);
                }
                Kind::Hold => ex.hold = ps.clone(),
                Kind::HoldAppend => {
                    ex.hold.push('\n');
                    ex.hold.push_str(&ps);
                }
                Kind::Exchange => std::mem::swap(&mut ps, &mut ex.hold),
                Kind::List => out.write(&escape_l(&ps)),
                Kind::Print => {
                    out.write(&ps);
                    out.write("\n");
                }
                Kind::PrintFirst => {
                    let first = ps.split('\n').next().unwrap_or("");
                    out.write(first);
                    out.write("\n");
                }
                Kind::Next => {
                    if input.is_last().await {
                        // GNU: no next line, quit (printing unless -n).
                        flow = Flow::Quit {
                            print: true,
                            code: 0,
                        };
                        break;
                    }
                    if !ex.silent {
                        out.write(&ps);
                        if nl {
                            out.write("\n");
                        }
                    }
                    for a in append.drain(..) {
                        out.write(&a);
                    }
                    if let Some((l, n)) = input.next().await {
                        ps = l;
                        nl = n;
                        ex.line += 1;
                    }
                }
                Kind::NextAppend => {
                    if input.is_last().await {
                        flow = Flow::Quit {
                            print: true,
                            code: 0,
                        };
                        break;
                    }
                    for a in append.drain(..) {
                        out.write(&a);
                    }
                    if let Some((l, n)) = input.next().await {
                        ps.push('\n');
                        ps.push_str(&l);
                        nl = n;
                        ex.line += 1;
                    }
                }
                Kind::Quit(code) => {
                    flow = Flow::Quit { print: true, code };
                    break;
                }
                Kind::QuitSilent(code) => {
                    flow = Flow::Quit { print: false, code };
                    break;
                }
                Kind::ReadFile(f) => {
                    if let Ok(d) = super::read_all(proc, &f).await {
                        let mut t = String::from_utf8_lossy(&d).into_owned();
                        if !t.is_empty() && !t.ends_with('\n') {
                            t.push('\n');
                        }
                        append.push(t);
                    }
                }
                Kind::Write(f) => write_file(proc, ex, &f, &format!("{ps}\n"), &mut out),
                Kind::Translate(map) => {
                    ps = ps
                        .chars()
                        .map(|c| {
                            map.iter()
                                .find(|(a, _)| *a == c)
                                .map(|(_, b)| *b)
                                .unwrap_or(c)
                        })
                        .collect();
                }
                Kind::Zap => ps.clear(),
                Kind::Branch(l) => {
                    pc = if l.is_empty() {
                        ex.cmds.len()
                    } else {
                        ex.labels.get(&l).copied().unwrap_or(ex.cmds.len())
                    };
                }
                Kind::BranchIf(l) => {
                    if subst_flag {
                        subst_flag = false;
                        pc = if l.is_empty() {
                            ex.cmds.len()
                        } else {
                            ex.labels.get(&l).copied().unwrap_or(ex.cmds.len())
                        };
                    }
                }
                Kind::BranchUnless(l) => {
                    if !subst_flag {
                        pc = if l.is_empty() {
                            ex.cmds.len()
                        } else {
                            ex.labels.get(&l).copied().unwrap_or(ex.cmds.len())
                        };
                    } else {
                        subst_flag = false;
                    }
                }
                Kind::Subst {
                    re,
                    rep,
                    global,
                    nth,
                    print,
                    write,
                } => {
                    let Some(re) = ex.re(&re) else {
                        err(proc, "sed: no previous regular expression");
                        return (Some(1), ());
                    };
                    let mut result = String::new();
                    let mut pos = 0;
                    let mut count = 0;
                    let mut did = false;
                    let mut last_end: Option<usize> = None;
                    while pos <= ps.len() {
                        let Some(caps) = re.captures_at(&ps, pos) else {
                            break;
                        };
                        let Some((s, e)) = caps[0] else { break };
                        if s == e && last_end == Some(s) {
                            // An empty match right after the previous match: step over.
                            let Some(ch) = ps[s..].chars().next() else {
                                break;
                            };
                            result.push_str(&ps[pos..s + ch.len_utf8()]);
                            pos = s + ch.len_utf8();
                            continue;
                        }
                        count += 1;
                        if count >= nth {
                            result.push_str(&ps[pos..s]);
                            result.push_str(&render(&rep, &ps, &caps));
                            did = true;
                        } else {
                            result.push_str(&ps[pos..e]);
                        }
                        last_end = Some(e);
                        if e == s {
                            match ps[s..].chars().next() {
                                Some(ch) => {
                                    result.push_str(&ps[s..s + ch.len_utf8()]);
                                    pos = s + ch.len_utf8();
                                }
                                None => {
                                    pos = ps.len() + 1;
                                    break;
                                }
                            }
                        } else {
                            pos = e;
                        }
                        if did && !global {
                            break;
                        }
                    }
                    if did {
                        if pos <= ps.len() {
                            result.push_str(&ps[pos..]);
                        }
                        ps = result;
                        subst_flag = true;
                        if print {
                            out.write(&ps);
                            out.write("\n");
                        }
                        if let Some(f) = write {
                            write_file(proc, ex, &f, &format!("{ps}\n"), &mut out);
                        }
                    }
                }
            }
            if out.broken() {
                return (Some(4), ());
            }
        }
        let (print, quit) = match flow {
            Flow::Continue => (true, None),
            Flow::EndCycle { print } => (print, None),
            Flow::Restart => {
                // `D`: start again with what is left, without reading.
                if !ex.silent {
                    // Nothing printed: the remaining pattern space is processed anew.
                }
                for a in append.drain(..) {
                    out.write(&a);
                }
                restart_ps = Some((ps, nl));
                continue;
            }
            Flow::Quit { print, code } => (print, Some(code)),
        };
        if print && !ex.silent {
            out.write(&ps);
            if nl {
                out.write("\n");
            }
        }
        for a in append.drain(..) {
            out.write(&a);
        }
        if let Some(code) = quit {
            return (Some(code), ());
        }
        if out.broken() {
            return (Some(4), ());
        }
    }
}

fn write_file(proc: &Proc, ex: &mut Exec, name: &str, text: &str, out: &mut Sink) {
    match name {
        "/dev/stdout" => out.write(text),
        "/dev/stderr" => {
            proc.err(text);
        }
        _ => {
            if !ex.wfiles.contains_key(name) {
                if let Ok(f) = proc.sys.open(&proc.cwd, name, OpenMode::WRITE, proc.netns) {
                    ex.wfiles.insert(name.to_string(), f);
                }
            }
            if let Some(f) = ex.wfiles.get(name) {
                let _ = f.write(text.as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(script: &str) -> Result<usize, String> {
        let mut p = ScriptParser {
            s: script.chars().collect(),
            i: 0,
            extended: false,
            cmds: Vec::new(),
            blocks: Vec::new(),
            labels: BTreeMap::new(),
            silent_hint: false,
            _src: script,
        };
        p.parse().map(|_| p.cmds.len()).map_err(|e| e.msg)
    }

    #[test]
    fn scripts() {
        assert_eq!(parse("s/a/b/g"), Ok(1));
        assert_eq!(parse("1d;$p;/x/,/y/{p;d}"), Ok(6));
        assert_eq!(parse(":a;N;$!ba;s/\\n/,/g"), Ok(4));
        assert_eq!(parse("s/a/b").unwrap_err(), "unterminated `s' command");
        assert_eq!(parse("k").unwrap_err(), "unknown command: `k'");
        assert_eq!(parse("/x/{p").unwrap_err(), "unmatched `{'");
        assert_eq!(
            parse("bnowhere").unwrap_err(),
            "can't find label for jump to `nowhere'"
        );
    }

    #[test]
    fn random_scripts_never_panic() {
        let frags = [
            "s", "/", "a", "\\", "n", "g", "p", "d", "{", "}", ";", "$", "!", "1", ",", "~", "+",
            "y", ":", "b", "t", "=", "\n", "[", "]", "^", "*", "(", ")", "&", "I", "w", " ", "0",
        ];
        let mut x: u64 = 0x1234_5678_9abc_def0;
        for _ in 0..5000 {
            let mut s = String::new();
            for _ in 0..(x % 12) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push_str(frags[(x % frags.len() as u64) as usize]);
            }
            x = x.wrapping_add(0x9E37_79B9);
            let _ = parse(&s);
        }
    }
}

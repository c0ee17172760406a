//! `awk` as mawk 1.3.4 (Debian's awk): the POSIX language — patterns and ranges,
//! BEGIN/END, fields and NF/NR/FNR/FS/OFS/ORS/RS/FILENAME/SUBSEP/RSTART/RLENGTH, associative
//! arrays, user functions, `if`/`while`/`do`/`for`/`for-in`, `next`, `exit`, `getline` (plain,
//! `< file`, `cmd |`), `print`/`printf` with `>`, `>>` and `|` redirections, and the built-in
//! functions (length substr index split sub gsub match sprintf tolower toupper int sqrt exp
//! log sin cos atan2 rand srand system close fflush).
//!
//! mawk's quirks are kept where scripts can see them: strings are bytes (`length("é")` is 2),
//! numbers print as integers only within 32-bit range (`2^31` prints as `2.14748e+09`),
//! division by zero gives `inf`, and `substr` with a start below 1 counts as mawk 1.3.4 does.
//! Arrays iterate in insertion order (mawk's hash order is not reproduced).
//!
//! Reference: awk(1p), mawk(1).

use std::collections::BTreeMap;
use std::rc::Rc;

use tsunagi_lab::{FileRef, LocalBoxFuture, OpenMode, Pid, Pipe, Proc, SpawnSpec};

use super::{boxed, err, Lines, Out};
use crate::regex::Regex;
use crate::shell::Lbf;

pub fn main(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(awk_main(proc))
}

// --- lexer -------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ere(String),
    Name(String),
    /// A name followed directly by `(`: a function call.
    Call(String),
    Builtin(&'static str),
    Kw(&'static str),
    Op(&'static str),
    Newline,
    Eof,
}

const KEYWORDS: [&str; 18] = [
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete", "in", "getline",
];
const BUILTINS: [&str; 23] = [
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper",
    "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close",
    "fflush", "printf",
];
const OPS: [&str; 40] = [
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~",
    "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?",
    ":", "~", "$", "=", "\n",
];

struct Lexer {
    s: Vec<char>,
    i: usize,
    line: u32,
    last: Tok,
}

#[derive(Debug)]
struct SyntaxError {
    line: u32,
    msg: String,
}

impl Lexer {
    fn regex_allowed(&self) -> bool {
        !matches!(
            self.last,
            Tok::Num(_)
                | Tok::Str(_)
                | Tok::Name(_)
                | Tok::Builtin(_)
                | Tok::Op(")")
                | Tok::Op("]")
                | Tok::Op("$")
                | Tok::Op("++")
                | Tok::Op("--")
        )
    }

    fn next(&mut self) -> Result<Tok, SyntaxError> {
        let t = self.lex()?;
        self.last = t.clone();
        Ok(t)
    }

    fn lex(&mut self) -> Result<Tok, SyntaxError> {
        loop {
            match self.s.get(self.i) {
                Some(' ') | Some('\t') | Some('\r') => self.i += 1,
                Some('\\') if self.s.get(self.i + 1) == Some(&'\n') => {
                    self.i += 2;
                    self.line += 1;
                }
                Some('#') => {
                    while self.s.get(self.i).is_some_and(|&c| c != '\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(&c) = self.s.get(self.i) else {
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.i += 1;
            self.line += 1;
            return Ok(Tok::Newline);
        }
        if c.is_ascii_digit()
            || (c == '.' && self.s.get(self.i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = self.i;
            while self.s.get(self.i).is_some_and(|d| d.is_ascii_digit()) {
                self.i += 1;
            }
            if self.s.get(self.i) == Some(&'.') {
                self.i += 1;
                while self.s.get(self.i).is_some_and(|d| d.is_ascii_digit()) {
                    self.i += 1;
                }
            }
            if matches!(self.s.get(self.i), Some('e') | Some('E')) {
                let save = self.i;
                self.i += 1;
                if matches!(self.s.get(self.i), Some('+') | Some('-')) {
                    self.i += 1;
                }
                if self.s.get(self.i).is_some_and(|d| d.is_ascii_digit()) {
                    while self.s.get(self.i).is_some_and(|d| d.is_ascii_digit()) {
                        self.i += 1;
                    }
                } else {
                    self.i = save;
                }
            }
            let t: String = self.s[start..self.i].iter().collect();
            return Ok(Tok::Num(t.parse().unwrap_or(0.0)));
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = self.i;
            while self
                .s
                .get(self.i)
                .is_some_and(|d| d.is_ascii_alphanumeric() || *d == '_')
            {
                self.i += 1;
            }
            let w: String = self.s[start..self.i].iter().collect();
            if let Some(k) = KEYWORDS.iter().find(|k| **k == w) {
                return Ok(Tok::Kw(k));
            }
            if let Some(b) = BUILTINS.iter().find(|b| **b == w) {
                if *b == "printf" {
                    return Ok(Tok::Kw("printf"));
                }
                return Ok(Tok::Builtin(b));
            }
            if w == "print" {
                return Ok(Tok::Kw("print"));
            }
            if self.s.get(self.i) == Some(&'(') {
                return Ok(Tok::Call(w));
            }
            return Ok(Tok::Name(w));
        }
        if c == '"' {
            self.i += 1;
            let mut s = String::new();
            loop {
                let Some(&d) = self.s.get(self.i) else {
                    return Err(SyntaxError {
                        line: self.line,
                        msg: "runaway string constant \"".to_string() + &s + " ...",
                    });
                };
                self.i += 1;
                match d {
                    '"' => break,
                    '\n' => {
                        return Err(SyntaxError {
                            line: self.line,
                            msg: format!("runaway string constant \"{s} ..."),
                        })
                    }
                    '\\' => {
                        let Some(&e) = self.s.get(self.i) else { break };
                        self.i += 1;
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            '\\' => s.push('\\'),
                            '"' => s.push('"'),
                            '/' => s.push('/'),
                            'a' => s.push('\x07'),
                            'b' => s.push('\x08'),
                            'f' => s.push('\x0c'),
                            'v' => s.push('\x0b'),
                            '\n' => self.line += 1,
                            '0'..='7' => {
                                let mut v = e.to_digit(8).unwrap_or(0);
                                for _ in 0..2 {
                                    match self.s.get(self.i).and_then(|c| c.to_digit(8)) {
                                        Some(dd) => {
                                            v = v * 8 + dd;
                                            self.i += 1;
                                        }
                                        None => break,
                                    }
                                }
                                s.push(char::from_u32(v).unwrap_or('?'));
                            }
                            other => {
                                s.push('\\');
                                s.push(other);
                            }
                        }
                    }
                    _ => s.push(d),
                }
            }
            return Ok(Tok::Str(s));
        }
        if c == '/' && self.regex_allowed() {
            self.i += 1;
            let mut s = String::new();
            let mut in_br = false;
            loop {
                let Some(&d) = self.s.get(self.i) else {
                    return Err(SyntaxError {
                        line: self.line,
                        msg: "runaway regular expression /".to_string() + &s + " ...",
                    });
                };
                self.i += 1;
                match d {
                    '\n' => {
                        return Err(SyntaxError {
                            line: self.line,
                            msg: format!("runaway regular expression /{s} ..."),
                        })
                    }
                    '/' if !in_br => break,
                    '[' => {
                        in_br = true;
                        s.push(d);
                        if self.s.get(self.i) == Some(&'^') {
                            s.push('^');
                            self.i += 1;
                        }
                        if self.s.get(self.i) == Some(&']') {
                            s.push(']');
                            self.i += 1;
                        }
                    }
                    ']' => {
                        in_br = false;
                        s.push(d);
                    }
                    '\\' => {
                        let Some(&e) = self.s.get(self.i) else { break };
                        self.i += 1;
                        if e == '/' {
                            s.push('/');
                        } else {
                            s.push('\\');
                            s.push(e);
                        }
                    }
                    _ => s.push(d),
                }
            }
            return Ok(Tok::Ere(s));
        }
        // `**` is not mawk's.
        for op in OPS {
            let n = op.chars().count();
            if self.i + n <= self.s.len()
                && self.s[self.i..self.i + n].iter().copied().eq(op.chars())
            {
                self.i += n;
                return Ok(Tok::Op(op));
            }
        }
        self.i += 1;
        Err(SyntaxError {
            line: self.line,
            msg: format!("syntax error at or near {c}"),
        })
    }
}

// --- syntax tree ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Expr {
    Num(f64),
    Str(String),
    Re(Rc<Regex>),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    Assign(Box<Expr>, Option<&'static str>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    In(Vec<Expr>, String),
    Match(Box<Expr>, Box<Expr>, bool),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Pos(Box<Expr>),
    Incr(Box<Expr>, f64, bool),
    Call(String, Vec<Expr>),
    Builtin(&'static str, Vec<Expr>),
    /// `getline [var] [< file]`, `cmd | getline [var]`.
    Getline(Option<Box<Expr>>, GetSrc),
    Group(Box<Expr>),
}

#[derive(Clone, Debug)]
enum GetSrc {
    Main,
    File(Box<Expr>),
    Cmd(Box<Expr>),
}

#[derive(Clone, Debug)]
enum Dest {
    File(Expr),
    Append(Expr),
    Pipe(Expr),
}

#[derive(Clone, Debug)]
enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<Dest>),
    Printf(Vec<Expr>, Option<Dest>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Clone, Debug)]
enum Pattern {
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Clone, Debug)]
struct Func {
    params: Vec<String>,
    body: Vec<Stmt>,
}

#[derive(Default, Debug)]
struct Program {
    begin: Vec<Vec<Stmt>>,
    end: Vec<Vec<Stmt>>,
    rules: Vec<(Pattern, Option<Vec<Stmt>>)>,
    funcs: BTreeMap<String, Rc<Func>>,
}

// --- parser --------------------------------------------------------------------------------

struct Parser {
    lx: Lexer,
    tok: Tok,
    /// Inside `print` arguments, outside parentheses: `>` redirects.
    no_gt: u32,
    /// Inside `for (... in` heads: `in` is not an operator.
    no_in: u32,
    depth: u32,
}

type PR<T> = Result<T, SyntaxError>;

fn ere(pat: &str) -> Result<Rc<Regex>, String> {
    let tr = crate::regex::translate(pat, true)?;
    Regex::new_translated(&tr, false).map(Rc::new)
}

impl Parser {
    fn advance(&mut self) -> PR<()> {
        self.tok = self.lx.next()?;
        Ok(())
    }

    fn err<T>(&self) -> PR<T> {
        let near = match &self.tok {
            Tok::Eof => {
                return Err(SyntaxError {
                    line: self.lx.line,
                    msg: "syntax error at or near end of file".into(),
                })
            }
            Tok::Newline => "end of line".to_string(),
            Tok::Num(n) => fmt_num(*n, "%.6g"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Ere(s) => format!("/{s}/"),
            Tok::Name(n) | Tok::Call(n) => n.clone(),
            Tok::Builtin(b) | Tok::Kw(b) | Tok::Op(b) => b.to_string(),
        };
        Err(SyntaxError {
            line: self.lx.line,
            msg: format!("syntax error at or near {near}"),
        })
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if *o == op)
    }

    fn is_kw(&self, k: &str) -> bool {
        matches!(&self.tok, Tok::Kw(o) if *o == k)
    }

    fn expect_op(&mut self, op: &str) -> PR<()> {
        if self.is_op(op) {
            self.advance()
        } else {
            self.err()
        }
    }

    fn skip_nl(&mut self) -> PR<()> {
        while matches!(self.tok, Tok::Newline) {
            self.advance()?;
        }
        Ok(())
    }

    fn skip_terms(&mut self) -> PR<()> {
        while matches!(self.tok, Tok::Newline) || self.is_op(";") {
            self.advance()?;
        }
        Ok(())
    }

    fn program(&mut self) -> PR<Program> {
        let mut p = Program::default();
        self.advance()?;
        loop {
            self.skip_terms()?;
            match &self.tok {
                Tok::Eof => break,
                Tok::Kw("BEGIN") => {
                    self.advance()?;
                    self.skip_nl()?;
                    let b = self.block()?;
                    p.begin.push(b);
                }
                Tok::Kw("END") => {
                    self.advance()?;
                    self.skip_nl()?;
                    let b = self.block()?;
                    p.end.push(b);
                }
                Tok::Kw("function") | Tok::Kw("func") => {
                    self.advance()?;
                    let name = match &self.tok {
                        Tok::Name(n) | Tok::Call(n) => n.clone(),
                        _ => return self.err(),
                    };
                    self.advance()?;
                    self.expect_op("(")?;
                    let mut params = Vec::new();
                    while let Tok::Name(n) = &self.tok {
                        params.push(n.clone());
                        self.advance()?;
                        if self.is_op(",") {
                            self.advance()?;
                            self.skip_nl()?;
                        }
                    }
                    self.expect_op(")")?;
                    self.skip_nl()?;
                    let body = self.block()?;
                    p.funcs.insert(name, Rc::new(Func { params, body }));
                }
                Tok::Op("{") => {
                    let b = self.block()?;
                    p.rules.push((Pattern::All, Some(b)));
                }
                _ => {
                    let e = self.expr()?;
                    let pat = if self.is_op(",") {
                        self.advance()?;
                        self.skip_nl()?;
                        let e2 = self.expr()?;
                        Pattern::Range(e, e2)
                    } else {
                        Pattern::Expr(e)
                    };
                    if self.is_op("{") {
                        let b = self.block()?;
                        p.rules.push((pat, Some(b)));
                    } else {
                        p.rules.push((pat, None));
                    }
                }
            }
        }
        Ok(p)
    }

    fn block(&mut self) -> PR<Vec<Stmt>> {
        if !self.is_op("{") {
            return self.err();
        }
        self.depth += 1;
        if self.depth > 100 {
            return self.err();
        }
        self.advance()?;
        let mut v = Vec::new();
        loop {
            self.skip_terms()?;
            if self.is_op("}") {
                self.advance()?;
                break;
            }
            if matches!(self.tok, Tok::Eof) {
                return Err(SyntaxError {
                    line: self.lx.line + 1,
                    msg: "missing } near end of file".into(),
                });
            }
            v.push(self.stmt()?);
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(v)
    }

    /// Ends a simple statement: `;`, newline, or before `}`.
    fn end_simple(&mut self) -> PR<()> {
        if self.is_op(";") || matches!(self.tok, Tok::Newline) {
            self.advance()?;
            return Ok(());
        }
        if self.is_op("}") || matches!(self.tok, Tok::Eof) {
            return Ok(());
        }
        self.err()
    }

    fn simple_or_block(&mut self) -> PR<Stmt> {
        self.skip_nl()?;
        if self.is_op(";") {
            self.advance()?;
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn stmt(&mut self) -> PR<Stmt> {
        self.depth += 1;
        if self.depth > 200 {
            return self.err();
        }
        let r = self.stmt_inner();
        self.depth = self.depth.saturating_sub(1);
        r
    }

    fn stmt_inner(&mut self) -> PR<Stmt> {
        match self.tok.clone() {
            Tok::Op("{") => Ok(Stmt::Block(self.block()?)),
            Tok::Kw("if") => {
                self.advance()?;
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                let then = self.simple_or_block()?;
                // `else` may follow newlines or a `;`.
                let save_i = self.lx.i;
                let save_tok = self.tok.clone();
                let save_line = self.lx.line;
                let save_last = self.lx.last.clone();
                self.skip_terms()?;
                if self.is_kw("else") {
                    self.advance()?;
                    let e = self.simple_or_block()?;
                    return Ok(Stmt::If(c, Box::new(then), Some(Box::new(e))));
                }
                self.lx.i = save_i;
                self.tok = save_tok;
                self.lx.line = save_line;
                self.lx.last = save_last;
                Ok(Stmt::If(c, Box::new(then), None))
            }
            Tok::Kw("while") => {
                self.advance()?;
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.advance()?;
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                let b = self.simple_or_block()?;
                Ok(Stmt::While(c, Box::new(b)))
            }
            Tok::Kw("do") => {
                self.advance()?;
                let b = self.simple_or_block()?;
                self.skip_terms()?;
                if !self.is_kw("while") {
                    return self.err();
                }
                self.advance()?;
                self.expect_op("(")?;
                let c = self.expr()?;
                self.expect_op(")")?;
                self.end_simple()?;
                Ok(Stmt::Do(Box::new(b), c))
            }
            Tok::Kw("for") => {
                self.advance()?;
                self.expect_op("(")?;
                // for (k in a)
                if let Tok::Name(k) = self.tok.clone() {
                    let save = (
                        self.lx.i,
                        self.tok.clone(),
                        self.lx.line,
                        self.lx.last.clone(),
                    );
                    self.advance()?;
                    if self.is_kw("in") {
                        self.advance()?;
                        if let Tok::Name(a) = self.tok.clone() {
                            self.advance()?;
                            if self.is_op(")") {
                                self.advance()?;
                                let b = self.simple_or_block()?;
                                return Ok(Stmt::ForIn(k, a, Box::new(b)));
                            }
                        }
                    }
                    (self.lx.i, self.tok, self.lx.line, self.lx.last) = save;
                }
                let init = if self.is_op(";") {
                    None
                } else {
                    Some(Box::new(self.simple_stmt()?))
                };
                self.expect_op(";")?;
                self.skip_nl()?;
                let cond = if self.is_op(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect_op(";")?;
                self.skip_nl()?;
                let step = if self.is_op(")") {
                    None
                } else {
                    Some(Box::new(self.simple_stmt()?))
                };
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.advance()?;
                    return Ok(Stmt::For(
                        init,
                        cond,
                        step,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                let b = self.simple_or_block()?;
                Ok(Stmt::For(init, cond, step, Box::new(b)))
            }
            Tok::Op(";") => {
                self.advance()?;
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let s = self.simple_stmt()?;
                self.end_simple()?;
                Ok(s)
            }
        }
    }

    fn simple_stmt(&mut self) -> PR<Stmt> {
        match self.tok.clone() {
            Tok::Kw("print") | Tok::Kw("printf") => {
                let is_printf = self.is_kw("printf");
                self.advance()?;
                let mut args = Vec::new();
                if !(self.is_op(";")
                    || self.is_op("}")
                    || matches!(self.tok, Tok::Newline | Tok::Eof)
                    || self.is_op(">")
                    || self.is_op(">>")
                    || self.is_op("|"))
                {
                    self.no_gt += 1;
                    let first = self.expr();
                    self.no_gt = self.no_gt.saturating_sub(1);
                    let first = first?;
                    // `print (a, b)`: a parenthesised list.
                    if let Expr::Group(inner) = &first {
                        if let Expr::Builtin("__list", items) = &**inner {
                            args.extend(items.iter().cloned());
                        } else {
                            args.push(first.clone());
                        }
                    } else {
                        args.push(first);
                    }
                    while self.is_op(",") {
                        self.advance()?;
                        self.skip_nl()?;
                        self.no_gt += 1;
                        let e = self.expr();
                        self.no_gt = self.no_gt.saturating_sub(1);
                        args.push(e?);
                    }
                }
                let dest = if self.is_op(">") || self.is_op(">>") || self.is_op("|") {
                    let op = self.tok.clone();
                    self.advance()?;
                    let target = self.concat_expr(true)?;
                    Some(match op {
                        Tok::Op(">") => Dest::File(target),
                        Tok::Op(">>") => Dest::Append(target),
                        _ => Dest::Pipe(target),
                    })
                } else {
                    None
                };
                if is_printf {
                    if args.is_empty() {
                        return self.err();
                    }
                    Ok(Stmt::Printf(args, dest))
                } else {
                    Ok(Stmt::Print(args, dest))
                }
            }
            Tok::Kw("next") => {
                self.advance()?;
                Ok(Stmt::Next)
            }
            Tok::Kw("nextfile") => {
                self.advance()?;
                Ok(Stmt::NextFile)
            }
            Tok::Kw("break") => {
                self.advance()?;
                Ok(Stmt::Break)
            }
            Tok::Kw("continue") => {
                self.advance()?;
                Ok(Stmt::Continue)
            }
            Tok::Kw("exit") | Tok::Kw("return") => {
                let exit = self.is_kw("exit");
                self.advance()?;
                let e = if self.is_op(";")
                    || self.is_op("}")
                    || matches!(self.tok, Tok::Newline | Tok::Eof)
                {
                    None
                } else {
                    Some(self.expr()?)
                };
                Ok(if exit { Stmt::Exit(e) } else { Stmt::Return(e) })
            }
            Tok::Kw("delete") => {
                self.advance()?;
                let Tok::Name(n) = self.tok.clone() else {
                    return self.err();
                };
                self.advance()?;
                if self.is_op("[") {
                    self.advance()?;
                    let idx = self.expr_list("]")?;
                    Ok(Stmt::Delete(n, Some(idx)))
                } else {
                    Ok(Stmt::Delete(n, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    fn expr_list(&mut self, close: &str) -> PR<Vec<Expr>> {
        let mut v = Vec::new();
        self.skip_nl()?;
        if self.is_op(close) {
            self.advance()?;
            return Ok(v);
        }
        loop {
            v.push(self.expr()?);
            self.skip_nl()?;
            if self.is_op(",") {
                self.advance()?;
                self.skip_nl()?;
                continue;
            }
            self.expect_op(close)?;
            return Ok(v);
        }
    }

    fn expr(&mut self) -> PR<Expr> {
        self.depth += 1;
        if self.depth > 300 {
            return self.err();
        }
        let r = self.ternary();
        self.depth = self.depth.saturating_sub(1);
        r
    }

    fn is_lvalue(e: &Expr) -> bool {
        matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..))
    }

    fn ternary(&mut self) -> PR<Expr> {
        let c = self.or()?;
        if self.is_op("?") {
            self.advance()?;
            self.skip_nl()?;
            let a = self.ternary()?;
            self.skip_nl()?;
            self.expect_op(":")?;
            self.skip_nl()?;
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        // Assignment (right-associative; the left side must be an lvalue).
        if Self::is_lvalue(&c) {
            let op = match &self.tok {
                Tok::Op("=") => Some(None),
                Tok::Op("+=") => Some(Some("+")),
                Tok::Op("-=") => Some(Some("-")),
                Tok::Op("*=") => Some(Some("*")),
                Tok::Op("/=") => Some(Some("/")),
                Tok::Op("%=") => Some(Some("%")),
                Tok::Op("^=") => Some(Some("^")),
                _ => None,
            };
            if let Some(op) = op {
                self.advance()?;
                self.skip_nl()?;
                let rhs = self.ternary()?;
                return Ok(Expr::Assign(Box::new(c), op, Box::new(rhs)));
            }
        }
        Ok(c)
    }

    fn or(&mut self) -> PR<Expr> {
        let mut l = self.and()?;
        while self.is_op("||") {
            self.advance()?;
            self.skip_nl()?;
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> PR<Expr> {
        let mut l = self.in_expr()?;
        while self.is_op("&&") {
            self.advance()?;
            self.skip_nl()?;
            let r = self.in_expr()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> PR<Expr> {
        let mut l = self.match_expr()?;
        while self.is_kw("in") && self.no_in == 0 {
            self.advance()?;
            let Tok::Name(a) = self.tok.clone() else {
                return self.err();
            };
            self.advance()?;
            let keys = match l {
                Expr::Group(inner) => match *inner {
                    Expr::Builtin("__list", items) => items,
                    other => vec![other],
                },
                other => vec![other],
            };
            l = Expr::In(keys, a);
        }
        Ok(l)
    }

    fn match_expr(&mut self) -> PR<Expr> {
        let mut l = self.comparison()?;
        loop {
            let neg = if self.is_op("~") {
                false
            } else if self.is_op("!~") {
                true
            } else {
                break;
            };
            self.advance()?;
            let r = self.comparison()?;
            l = Expr::Match(Box::new(l), Box::new(r), neg);
        }
        Ok(l)
    }

    fn comparison(&mut self) -> PR<Expr> {
        let l = self.concat_expr(false)?;
        let op = match &self.tok {
            Tok::Op("<") => "<",
            Tok::Op("<=") => "<=",
            Tok::Op("==") => "==",
            Tok::Op("!=") => "!=",
            Tok::Op(">=") => ">=",
            Tok::Op(">") if self.no_gt == 0 => ">",
            _ => return Ok(l),
        };
        self.advance()?;
        let r = self.concat_expr(false)?;
        Ok(Expr::Cmp(op, Box::new(l), Box::new(r)))
    }

    /// True if the current token can start an operand (for implicit concatenation).
    fn starts_operand(&self) -> bool {
        match &self.tok {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Ere(_)
            | Tok::Name(_)
            | Tok::Call(_)
            | Tok::Builtin(_) => true,
            Tok::Op(o) => matches!(*o, "$" | "!" | "(" | "-" | "+" | "++" | "--"),
            Tok::Kw("getline") => false,
            _ => false,
        }
    }

    fn concat_expr(&mut self, no_in_dest: bool) -> PR<Expr> {
        let _ = no_in_dest;
        let mut l = self.additive()?;
        loop {
            if !self.starts_operand() || self.is_kw("in") {
                break;
            }
            // `a -1` is subtraction, handled in additive; here only non-sign starts.
            if self.is_op("-") || self.is_op("+") {
                break;
            }
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        // `cmd | getline [var]`
        while self.is_op("|") && self.no_gt == 0 {
            let save = (
                self.lx.i,
                self.tok.clone(),
                self.lx.line,
                self.lx.last.clone(),
            );
            self.advance()?;
            if self.is_kw("getline") {
                self.advance()?;
                let var = self.opt_lvalue()?;
                l = Expr::Getline(var.map(Box::new), GetSrc::Cmd(Box::new(l)));
            } else {
                (self.lx.i, self.tok, self.lx.line, self.lx.last) = save;
                break;
            }
        }
        Ok(l)
    }

    fn opt_lvalue(&mut self) -> PR<Option<Expr>> {
        match self.tok.clone() {
            Tok::Name(_) | Tok::Op("$") => {
                let e = self.primary_postfix()?;
                Ok(Some(e))
            }
            _ => Ok(None),
        }
    }

    fn additive(&mut self) -> PR<Expr> {
        let mut l = self.mul()?;
        loop {
            let op = if self.is_op("+") {
                "+"
            } else if self.is_op("-") {
                "-"
            } else {
                break;
            };
            self.advance()?;
            self.skip_nl_after_op()?;
            let r = self.mul()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn skip_nl_after_op(&mut self) -> PR<()> {
        Ok(())
    }

    fn mul(&mut self) -> PR<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = if self.is_op("*") {
                "*"
            } else if self.is_op("/") {
                "/"
            } else if self.is_op("%") {
                "%"
            } else {
                break;
            };
            self.advance()?;
            let r = self.unary()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn unary(&mut self) -> PR<Expr> {
        self.depth += 1;
        if self.depth > 300 {
            return self.err();
        }
        let r = if self.is_op("!") {
            self.advance()?;
            self.unary().map(|e| Expr::Not(Box::new(e)))
        } else if self.is_op("-") {
            self.advance()?;
            self.unary().map(|e| Expr::Neg(Box::new(e)))
        } else if self.is_op("+") {
            self.advance()?;
            self.unary().map(|e| Expr::Pos(Box::new(e)))
        } else {
            self.power()
        };
        self.depth = self.depth.saturating_sub(1);
        r
    }

    fn power(&mut self) -> PR<Expr> {
        let base = self.incdec()?;
        if self.is_op("^") {
            self.advance()?;
            // Right-associative, and binds tighter than unary minus on its right.
            let exp = if self.is_op("-") {
                self.advance()?;
                Expr::Neg(Box::new(self.power()?))
            } else {
                self.power()?
            };
            return Ok(Expr::Bin("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn incdec(&mut self) -> PR<Expr> {
        if self.is_op("++") || self.is_op("--") {
            let d = if self.is_op("++") { 1.0 } else { -1.0 };
            self.advance()?;
            let e = self.primary_postfix()?;
            if !Self::is_lvalue(&e) {
                return self.err();
            }
            return Ok(Expr::Incr(Box::new(e), d, true));
        }
        let e = self.primary_postfix()?;
        if Self::is_lvalue(&e) && (self.is_op("++") || self.is_op("--")) {
            let d = if self.is_op("++") { 1.0 } else { -1.0 };
            self.advance()?;
            return Ok(Expr::Incr(Box::new(e), d, false));
        }
        Ok(e)
    }

    fn primary_postfix(&mut self) -> PR<Expr> {
        match self.tok.clone() {
            Tok::Op("$") => {
                self.advance()?;
                let e = if self.is_op("++") || self.is_op("--") {
                    self.incdec()?
                } else if self.is_op("-") {
                    self.advance()?;
                    Expr::Neg(Box::new(self.primary_postfix()?))
                } else {
                    self.primary_postfix()?
                };
                Ok(Expr::Field(Box::new(e)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> PR<Expr> {
        let t = self.tok.clone();
        match t {
            Tok::Num(n) => {
                self.advance()?;
                Ok(Expr::Num(n))
            }
            Tok::Str(s) => {
                self.advance()?;
                Ok(Expr::Str(s))
            }
            Tok::Ere(s) => {
                self.advance()?;
                match ere(&s) {
                    Ok(r) => Ok(Expr::Re(r)),
                    Err(m) => Err(SyntaxError {
                        line: self.lx.line,
                        msg: format!("regular expression compile failed ({m})\n{s}"),
                    }),
                }
            }
            Tok::Op("(") => {
                self.advance()?;
                self.no_gt += 0;
                let saved_gt = self.no_gt;
                self.no_gt = 0;
                let saved_in = self.no_in;
                self.no_in = 0;
                self.skip_nl()?;
                let first = self.expr()?;
                self.skip_nl()?;
                let r = if self.is_op(",") {
                    let mut items = vec![first];
                    while self.is_op(",") {
                        self.advance()?;
                        self.skip_nl()?;
                        items.push(self.expr()?);
                        self.skip_nl()?;
                    }
                    self.expect_op(")")?;
                    Expr::Group(Box::new(Expr::Builtin("__list", items)))
                } else {
                    self.expect_op(")")?;
                    Expr::Group(Box::new(first))
                };
                self.no_gt = saved_gt;
                self.no_in = saved_in;
                Ok(r)
            }
            Tok::Name(n) => {
                self.advance()?;
                if self.is_op("[") {
                    self.advance()?;
                    let idx = self.expr_list("]")?;
                    return Ok(Expr::Index(n, idx));
                }
                Ok(Expr::Var(n))
            }
            Tok::Call(n) => {
                self.advance()?;
                self.expect_op("(")?;
                let args = self.expr_list(")")?;
                Ok(Expr::Call(n, args))
            }
            Tok::Builtin(b) => {
                self.advance()?;
                if b == "length" && !self.is_op("(") {
                    return Ok(Expr::Builtin("length", Vec::new()));
                }
                self.expect_op("(")?;
                let args = self.expr_list(")")?;
                Ok(Expr::Builtin(b, args))
            }
            Tok::Kw("getline") => {
                self.advance()?;
                let var = self.opt_lvalue()?;
                if self.is_op("<") {
                    self.advance()?;
                    let src = self.incdec()?;
                    return Ok(Expr::Getline(
                        var.map(Box::new),
                        GetSrc::File(Box::new(src)),
                    ));
                }
                Ok(Expr::Getline(var.map(Box::new), GetSrc::Main))
            }
            Tok::Op("-") | Tok::Op("+") | Tok::Op("!") => self.unary(),
            _ => self.err(),
        }
    }
}

// --- values --------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Val {
    Num(f64),
    Str(String),
    /// Input that looks numeric: compares as a number.
    StrNum(String),
    Uninit,
}

/// strtod-like: the numeric prefix of `s`.
fn str_to_num(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == ds || (i == ds + 1 && b[ds] == b'.') {
        return 0.0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let save = i;
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if i < b.len() && b[i].is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            i = save;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// True if the whole string (blanks around allowed) is a number.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.is_empty() {
        return false;
    }
    let b = t.as_bytes();
    let mut i = 0;
    if b[0] == b'+' || b[0] == b'-' {
        i = 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - ds;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - fs;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return false;
        }
    }
    i == b.len()
}

/// A number as a string: integers within 32 bits as `%d`, others with `fmt`.
fn fmt_num(n: f64, fmt: &str) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() {
            "-nan".into()
        } else {
            "nan".into()
        };
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if n == n.trunc() && n.abs() < 2147483648.0 {
        return format!("{}", n as i64);
    }
    let o = crate::format::printf(fmt, &[format!("{n:e}")]);
    String::from_utf8_lossy(&o.out).into_owned()
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => str_to_num(s),
            Val::Uninit => 0.0,
        }
    }
    fn str(&self, convfmt: &str) -> String {
        match self {
            Val::Num(n) => fmt_num(*n, convfmt),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
            Val::Uninit => String::new(),
        }
    }
    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => str_to_num(s) != 0.0,
            Val::Uninit => false,
        }
    }
    fn is_numeric(&self) -> bool {
        matches!(self, Val::Num(_) | Val::StrNum(_) | Val::Uninit)
    }
}

/// An input string: numeric-looking input compares as a number.
fn input_val(s: String) -> Val {
    if looks_numeric(&s) {
        Val::StrNum(s)
    } else {
        Val::Str(s)
    }
}

// --- interpreter ---------------------------------------------------------------------------------

/// An associative array in insertion order.
#[derive(Clone, Debug, Default)]
struct Array {
    keys: Vec<Option<String>>,
    index: BTreeMap<String, (usize, Val)>,
}

impl Array {
    fn get(&self, k: &str) -> Option<&Val> {
        self.index.get(k).map(|(_, v)| v)
    }
    fn set(&mut self, k: String, v: Val) {
        if let Some(e) = self.index.get_mut(&k) {
            e.1 = v;
            return;
        }
        self.keys.push(Some(k.clone()));
        self.index.insert(k, (self.keys.len() - 1, v));
    }
    fn remove(&mut self, k: &str) {
        if let Some((i, _)) = self.index.remove(k) {
            if let Some(slot) = self.keys.get_mut(i) {
                *slot = None;
            }
        }
    }
    fn clear(&mut self) {
        self.keys.clear();
        self.index.clear();
    }
    fn len(&self) -> usize {
        self.index.len()
    }
    fn key_list(&self) -> Vec<String> {
        self.keys.iter().flatten().cloned().collect()
    }
}

enum Ctl {
    Next,
    NextFile,
    Exit,
    Return(Val),
    Break,
    Continue,
    /// A fatal runtime error (message printed), exit 2.
    Fatal,
}

type R<T> = Result<T, Ctl>;

enum OutTarget {
    File(FileRef),
    Pipe(FileRef, Pid),
}

struct Frame {
    params: Vec<String>,
    vals: BTreeMap<String, Val>,
    arrs: BTreeMap<String, Array>,
}

struct Awk<'p> {
    proc: &'p Proc,
    prog: Rc<Program>,
    vars: BTreeMap<String, Val>,
    arrays: BTreeMap<String, Array>,
    frames: Vec<Frame>,
    record: String,
    fields: Vec<String>,
    fields_ok: bool,
    nf: usize,
    out: Out<'p>,
    outputs: BTreeMap<String, OutTarget>,
    inputs: BTreeMap<String, Lines>,
    cmd_inputs: BTreeMap<String, (Lines, Pid)>,
    /// Main input: operands, the current file.
    operands: Vec<String>,
    next_operand: usize,
    main: Option<Lines>,
    range_on: Vec<bool>,
    exit_code: i32,
    rand_state: u64,
    prev_seed: f64,
    re_cache: BTreeMap<String, Rc<Regex>>,
    depth: u32,
}

impl<'p> Awk<'p> {
    fn get_special(&self, name: &str) -> String {
        self.vars
            .get(name)
            .map(|v| v.str("%.6g"))
            .unwrap_or_default()
    }

    fn convfmt(&self) -> String {
        let c = self.get_special("CONVFMT");
        if c.is_empty() {
            "%.6g".into()
        } else {
            c
        }
    }

    fn ofmt(&self) -> String {
        let c = self.get_special("OFMT");
        if c.is_empty() {
            "%.6g".into()
        } else {
            c
        }
    }

    fn to_str(&self, v: &Val) -> String {
        match v {
            Val::Num(n) => fmt_num(*n, &self.convfmt()),
            other => other.str("%.6g"),
        }
    }

    fn out_str(&self, v: &Val) -> String {
        match v {
            Val::Num(n) => fmt_num(*n, &self.ofmt()),
            other => other.str("%.6g"),
        }
    }

    fn regex(&mut self, v: &Val) -> R<Rc<Regex>> {
        let s = self.to_str(v);
        if let Some(r) = self.re_cache.get(&s) {
            return Ok(r.clone());
        }
        match ere(&s) {
            Ok(r) => {
                self.re_cache.insert(s, r.clone());
                Ok(r)
            }
            Err(m) => {
                self.fatal(&format!("regular expression compile failed ({m})\n{s}"));
                Err(Ctl::Fatal)
            }
        }
    }

    fn fatal(&mut self, msg: &str) {
        self.out.flush();
        let name = self.proc.name().to_string();
        err(
            self.proc,
            &format!(
                "{name}: run time error: {msg}\n\tFILENAME=\"{}\" FNR={} NR={}",
                self.get_special("FILENAME"),
                self.get_special("FNR"),
                self.get_special("NR")
            ),
        );
    }

    // Variables.

    fn is_local(&self, name: &str) -> bool {
        self.frames
            .last()
            .is_some_and(|f| f.params.iter().any(|p| p == name))
    }

    fn is_array(&self, name: &str) -> bool {
        match self.frames.last() {
            Some(f) if f.params.iter().any(|p| p == name) => f.arrs.contains_key(name),
            _ => self.arrays.contains_key(name),
        }
    }

    fn get_var(&mut self, name: &str) -> Val {
        if name == "NF" {
            self.split_fields();
            return Val::Num(self.nf as f64);
        }
        if self.is_local(name) {
            if let Some(f) = self.frames.last() {
                return f.vals.get(name).cloned().unwrap_or(Val::Uninit);
            }
        }
        self.vars.get(name).cloned().unwrap_or(Val::Uninit)
    }

    fn set_var(&mut self, name: &str, v: Val) {
        if name == "NF" {
            self.split_fields();
            let n = v.num().max(0.0) as usize;
            self.fields.resize(n + 1, String::new());
            self.nf = n;
            self.rebuild();
            return;
        }
        if self.is_local(name) {
            if let Some(f) = self.frames.last_mut() {
                f.vals.insert(name.to_string(), v);
                return;
            }
        }
        self.vars.insert(name.to_string(), v);
    }

    fn array(&mut self, name: &str) -> &mut Array {
        let local = self.is_local(name);
        match self.frames.last_mut() {
            Some(f) if local => f.arrs.entry(name.to_string()).or_default(),
            _ => self.arrays.entry(name.to_string()).or_default(),
        }
    }

    /// Takes an array out of the scope that names it (to bind it to a parameter).
    fn take_array(&mut self, name: &str) -> Option<Array> {
        let local = self.is_local(name);
        match self.frames.last_mut() {
            Some(f) if local => f.arrs.remove(name),
            _ => self.arrays.remove(name),
        }
    }

    fn put_array(&mut self, name: &str, a: Array) {
        let local = self.is_local(name);
        match self.frames.last_mut() {
            Some(f) if local => {
                f.arrs.insert(name.to_string(), a);
            }
            _ => {
                self.arrays.insert(name.to_string(), a);
            }
        }
    }

    fn subsep(&self) -> String {
        self.vars
            .get("SUBSEP")
            .map(|v| v.str("%.6g"))
            .unwrap_or_else(|| "\x1c".into())
    }

    // Fields.

    fn set_record(&mut self, s: String) {
        self.record = s;
        self.fields_ok = false;
    }

    fn split_fields(&mut self) {
        if self.fields_ok {
            return;
        }
        let fs = self.get_special("FS");
        let rs = self.get_special("RS");
        let parts = self.split_with(&self.record.clone(), &fs, rs.is_empty());
        self.fields = std::iter::once(self.record.clone()).chain(parts).collect();
        self.nf = self.fields.len() - 1;
        self.fields_ok = true;
    }

    fn split_with(&mut self, s: &str, fs: &str, paragraph: bool) -> Vec<String> {
        if fs == " " {
            return s
                .split([' ', '\t', '\n'])
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect();
        }
        if s.is_empty() {
            return Vec::new();
        }
        let mut parts: Vec<String> = if fs.chars().count() == 1 && fs != "\\" {
            let c = fs.chars().next().unwrap_or(' ');
            if c == '\t' || !"\\^$.[]|()*+?{}".contains(c) {
                s.split(c).map(str::to_string).collect()
            } else {
                let esc = format!("\\{c}");
                self.split_re(s, &esc)
            }
        } else {
            self.split_re(s, fs)
        };
        if paragraph {
            parts = parts
                .into_iter()
                .flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>())
                .collect();
        }
        parts
    }

    fn split_re(&mut self, s: &str, pat: &str) -> Vec<String> {
        let Ok(re) = self.regex(&Val::Str(pat.to_string())) else {
            return vec![s.to_string()];
        };
        let mut out = Vec::new();
        let mut pos = 0;
        let mut search = 0;
        while search <= s.len() {
            match re.find_at(s, search) {
                Some((a, b)) if b > a => {
                    out.push(s[pos..a].to_string());
                    pos = b;
                    search = b;
                }
                Some((a, _)) => {
                    search = a + s[a..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
                }
                None => break,
            }
        }
        out.push(s[pos..].to_string());
        out
    }

    fn get_field(&mut self, i: usize) -> Val {
        if i == 0 {
            return input_val(self.record.clone());
        }
        self.split_fields();
        match self.fields.get(i) {
            Some(f) => input_val(f.clone()),
            None => Val::Uninit,
        }
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(v);
            return;
        }
        self.split_fields();
        if i >= self.fields.len() {
            self.fields.resize(i + 1, String::new());
            self.nf = i;
        }
        self.fields[i] = v;
        self.rebuild();
    }

    fn rebuild(&mut self) {
        let ofs = self.get_special("OFS");
        self.record = self.fields[1..=self.nf.min(self.fields.len() - 1)].join(&ofs);
        self.fields[0] = self.record.clone();
    }

    // Evaluation.

    fn index_key(&mut self, idx: &[Expr]) -> Lbf<'_, R<String>> {
        let idx = idx.to_vec();
        Box::pin(async move {
            let mut parts = Vec::new();
            for e in &idx {
                let v = self.eval(e).await?;
                parts.push(self.to_str(&v));
            }
            Ok(parts.join(&self.subsep()))
        })
    }

    fn assign<'a>(&'a mut self, target: &'a Expr, v: Val) -> Lbf<'a, R<()>> {
        Box::pin(async move {
            match target {
                Expr::Var(n) => self.set_var(n, v),
                Expr::Field(e) => {
                    let i = self.eval(e).await?.num();
                    if i < 0.0 {
                        self.fatal(&format!("negative field index ${}", i as i64));
                        return Err(Ctl::Fatal);
                    }
                    let s = self.to_str(&v);
                    self.set_field(i as usize, s);
                }
                Expr::Index(n, idx) => {
                    let k = self.index_key(idx).await?;
                    self.array(n).set(k, v);
                }
                Expr::Group(inner) => return self.assign(inner, v).await,
                _ => {}
            }
            Ok(())
        })
    }

    fn eval<'a>(&'a mut self, e: &'a Expr) -> Lbf<'a, R<Val>> {
        Box::pin(async move {
            Ok(match e {
                Expr::Num(n) => Val::Num(*n),
                Expr::Str(s) => Val::Str(s.clone()),
                Expr::Re(r) => {
                    let rec = self.record.clone();
                    Val::Num(f64::from(u8::from(r.is_match(&rec))))
                }
                Expr::Group(inner) => match &**inner {
                    Expr::Builtin("__list", items) => {
                        // (a, b) outside `in`: the values joined by SUBSEP.
                        let k = self.index_key(items).await?;
                        Val::Str(k)
                    }
                    other => self.eval(other).await?,
                },
                Expr::Var(n) => self.get_var(n),
                Expr::Field(i) => {
                    let i = self.eval(i).await?.num();
                    if i < 0.0 {
                        self.fatal(&format!("negative field index ${}", i as i64));
                        return Err(Ctl::Fatal);
                    }
                    self.get_field(i as usize)
                }
                Expr::Index(n, idx) => {
                    let k = self.index_key(idx).await?;
                    let a = self.array(n);
                    match a.get(&k) {
                        Some(v) => v.clone(),
                        None => {
                            a.set(k, Val::Uninit);
                            Val::Uninit
                        }
                    }
                }
                Expr::Assign(t, op, rhs) => {
                    let r = self.eval(rhs).await?;
                    let v = match op {
                        None => match r {
                            Val::Uninit => Val::Uninit,
                            other => other,
                        },
                        Some(op) => {
                            let cur = self.eval(t).await?.num();
                            Val::Num(arith(op, cur, r.num()))
                        }
                    };
                    self.assign(t, v.clone()).await?;
                    v
                }
                Expr::Cond(c, a, b) => {
                    if self.eval(c).await?.truthy() {
                        self.eval(a).await?
                    } else {
                        self.eval(b).await?
                    }
                }
                Expr::And(a, b) => {
                    let v = self.eval(a).await?.truthy() && self.eval(b).await?.truthy();
                    Val::Num(f64::from(u8::from(v)))
                }
                Expr::Or(a, b) => {
                    let v = self.eval(a).await?.truthy() || self.eval(b).await?.truthy();
                    Val::Num(f64::from(u8::from(v)))
                }
                Expr::Not(a) => Val::Num(f64::from(u8::from(!self.eval(a).await?.truthy()))),
                Expr::In(keys, arr) => {
                    let k = self.index_key(keys).await?;
                    let has = self.array(arr).get(&k).is_some();
                    Val::Num(f64::from(u8::from(has)))
                }
                Expr::Match(l, r, neg) => {
                    let s = self.eval(l).await?;
                    let s = self.to_str(&s);
                    let re = match &**r {
                        Expr::Re(re) => re.clone(),
                        other => {
                            let v = self.eval(other).await?;
                            self.regex(&v)?
                        }
                    };
                    Val::Num(f64::from(u8::from(re.is_match(&s) != *neg)))
                }
                Expr::Bin(op, a, b) => {
                    let x = self.eval(a).await?.num();
                    let y = self.eval(b).await?.num();
                    if *op == "%" && y == 0.0 {
                        Val::Num(f64::NAN)
                    } else {
                        Val::Num(arith(op, x, y))
                    }
                }
                Expr::Cmp(op, a, b) => {
                    let x = self.eval(a).await?;
                    let y = self.eval(b).await?;
                    let ord = if x.is_numeric() && y.is_numeric() {
                        x.num().partial_cmp(&y.num())
                    } else {
                        Some(self.to_str(&x).as_bytes().cmp(self.to_str(&y).as_bytes()))
                    };
                    let t = match ord {
                        None => *op == "!=",
                        Some(o) => match *op {
                            "<" => o.is_lt(),
                            "<=" => o.is_le(),
                            "==" => o.is_eq(),
                            "!=" => o.is_ne(),
                            ">=" => o.is_ge(),
                            _ => o.is_gt(),
                        },
                    };
                    Val::Num(f64::from(u8::from(t)))
                }
                Expr::Concat(a, b) => {
                    let x = self.eval(a).await?;
                    let y = self.eval(b).await?;
                    Val::Str(format!("{}{}", self.to_str(&x), self.to_str(&y)))
                }
                Expr::Neg(a) => Val::Num(-self.eval(a).await?.num()),
                Expr::Pos(a) => Val::Num(self.eval(a).await?.num()),
                Expr::Incr(t, d, pre) => {
                    let cur = self.eval(t).await?.num();
                    let nv = cur + d;
                    self.assign(t, Val::Num(nv)).await?;
                    Val::Num(if *pre { nv } else { cur })
                }
                Expr::Call(name, args) => self.call(name, args).await?,
                Expr::Builtin(name, args) => self.builtin(name, args).await?,
                Expr::Getline(var, src) => self.getline(var.as_deref(), src).await?,
            })
        })
    }

    async fn call(&mut self, name: &str, args: &[Expr]) -> R<Val> {
        let Some(f) = self.prog.funcs.get(name).cloned() else {
            self.fatal(&format!("function {name} never defined"));
            return Err(Ctl::Fatal);
        };
        if self.depth > 200 {
            self.fatal("function call nesting too deep");
            return Err(Ctl::Fatal);
        }
        // Evaluate arguments in the caller's scope; arrays (and unset names, which may become
        // arrays) are bound by reference: moved into the frame and back.
        let mut vals = BTreeMap::new();
        let mut arrs = BTreeMap::new();
        let mut by_ref: Vec<(String, String)> = Vec::new();
        for (i, p) in f.params.iter().enumerate() {
            match args.get(i) {
                Some(Expr::Var(n)) if self.is_array(n) => {
                    if let Some(a) = self.take_array(n) {
                        arrs.insert(p.clone(), a);
                    }
                    by_ref.push((p.clone(), n.clone()));
                }
                Some(Expr::Var(n)) => {
                    let v = self.get_var(n);
                    if matches!(v, Val::Uninit) {
                        by_ref.push((p.clone(), n.clone()));
                    }
                    vals.insert(p.clone(), v);
                }
                Some(e) => {
                    let v = self.eval(e).await?;
                    vals.insert(p.clone(), v);
                }
                None => {}
            }
        }
        self.frames.push(Frame {
            params: f.params.clone(),
            vals,
            arrs,
        });
        self.depth += 1;
        let r = self.run_block(&f.body).await;
        self.depth = self.depth.saturating_sub(1);
        if let Some(mut frame) = self.frames.pop() {
            for (p, n) in by_ref {
                if let Some(a) = frame.arrs.remove(&p) {
                    self.put_array(&n, a);
                }
            }
        }
        match r {
            Ok(()) => Ok(Val::Uninit),
            Err(Ctl::Return(v)) => Ok(v),
            Err(e) => Err(e),
        }
    }

    async fn builtin(&mut self, name: &str, args: &[Expr]) -> R<Val> {
        let nargs = args.len();
        macro_rules! arg {
            ($i:expr) => {
                match args.get($i) {
                    Some(e) => self.eval(e).await?,
                    None => Val::Uninit,
                }
            };
        }
        Ok(match name {
            "length" => {
                if nargs == 0 {
                    Val::Num(self.record.len() as f64)
                } else if let Some(Expr::Var(n)) = args.first() {
                    if self.is_array(n) {
                        Val::Num(self.array(n).len() as f64)
                    } else {
                        let v = self.get_var(n);
                        Val::Num(self.to_str(&v).len() as f64)
                    }
                } else {
                    let v = arg!(0);
                    Val::Num(self.to_str(&v).len() as f64)
                }
            }
            "substr" => {
                let s = arg!(0);
                let s = self.to_str(&s);
                let b = s.as_bytes();
                let start = arg!(1).num();
                let len = if nargs > 2 {
                    arg!(2).num()
                } else {
                    f64::INFINITY
                };
                let start_i = if start.is_nan() { 0.0 } else { start.trunc() };
                let (from, count) = if start_i < 1.0 {
                    // mawk 1.3.4 counts the length from position 1 so.
                    (1.0, len - start_i)
                } else {
                    (start_i, if len.is_nan() { 0.0 } else { len.trunc() })
                };
                let from = (from as usize).saturating_sub(1).min(b.len());
                let count = if count <= 0.0 {
                    0
                } else if count.is_infinite() {
                    b.len()
                } else {
                    count as usize
                };
                let end = from.saturating_add(count).min(b.len());
                Val::Str(String::from_utf8_lossy(&b[from..end]).into_owned())
            }
            "index" => {
                let s = arg!(0);
                let t = arg!(1);
                let (s, t) = (self.to_str(&s), self.to_str(&t));
                Val::Num(s.find(&t).map(|i| i + 1).unwrap_or(0) as f64)
            }
            "split" => {
                let s = arg!(0);
                let s = self.to_str(&s);
                let Some(Expr::Var(an)) = args.get(1) else {
                    self.fatal("split: second argument must be an array");
                    return Err(Ctl::Fatal);
                };
                let parts = if nargs > 2 {
                    match &args[2] {
                        Expr::Re(r) => {
                            let mut out = Vec::new();
                            if !s.is_empty() {
                                let mut pos = 0;
                                let mut search = 0;
                                while let Some((a, b)) = r.find_at(&s, search) {
                                    if b == a {
                                        search = a + 1;
                                        if search > s.len() {
                                            break;
                                        }
                                        continue;
                                    }
                                    out.push(s[pos..a].to_string());
                                    pos = b;
                                    search = b;
                                }
                                out.push(s[pos..].to_string());
                            }
                            out
                        }
                        e => {
                            let fs = self.eval(e).await?;
                            let fs = self.to_str(&fs);
                            self.split_with(&s, &fs, false)
                        }
                    }
                } else {
                    let fs = self.get_special("FS");
                    self.split_with(&s, &fs, false)
                };
                let n = parts.len();
                let a = self.array(an);
                a.clear();
                for (i, p) in parts.into_iter().enumerate() {
                    a.set((i + 1).to_string(), input_val(p));
                }
                Val::Num(n as f64)
            }
            "sub" | "gsub" => {
                let re = match args.first() {
                    Some(Expr::Re(r)) => r.clone(),
                    Some(e) => {
                        let v = self.eval(e).await?;
                        self.regex(&v)?
                    }
                    None => return Ok(Val::Num(0.0)),
                };
                let rep = arg!(1);
                let rep = self.to_str(&rep);
                let target = args
                    .get(2)
                    .cloned()
                    .unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let cur = self.eval(&target).await?;
                let cur = self.to_str(&cur);
                let (newv, n) = substitute(&re, &rep, &cur, name == "gsub");
                if n > 0 {
                    self.assign(&target, Val::Str(newv)).await?;
                }
                Val::Num(n as f64)
            }
            "match" => {
                let s = arg!(0);
                let s = self.to_str(&s);
                let re = match args.get(1) {
                    Some(Expr::Re(r)) => r.clone(),
                    Some(e) => {
                        let v = self.eval(e).await?;
                        self.regex(&v)?
                    }
                    None => return Ok(Val::Num(0.0)),
                };
                let (start, len) = match re.find_at(&s, 0) {
                    Some((a, b)) => ((a + 1) as f64, (b - a) as f64),
                    None => (0.0, -1.0),
                };
                self.set_var("RSTART", Val::Num(start));
                self.set_var("RLENGTH", Val::Num(len));
                Val::Num(start)
            }
            "sprintf" => {
                let mut vals = Vec::new();
                for e in args {
                    vals.push(self.eval(e).await?);
                }
                Val::Str(self.sprintf(&vals)?)
            }
            "tolower" => {
                let v = arg!(0);
                Val::Str(self.to_str(&v).to_ascii_lowercase())
            }
            "toupper" => {
                let v = arg!(0);
                Val::Str(self.to_str(&v).to_ascii_uppercase())
            }
            "int" => Val::Num(arg!(0).num().trunc()),
            "sqrt" => Val::Num(arg!(0).num().sqrt()),
            "exp" => Val::Num(arg!(0).num().exp()),
            "log" => {
                let x = arg!(0).num();
                Val::Num(if x < 0.0 { -f64::NAN } else { x.ln() })
            }
            "sin" => Val::Num(arg!(0).num().sin()),
            "cos" => Val::Num(arg!(0).num().cos()),
            "atan2" => {
                let y = arg!(0).num();
                let x = arg!(1).num();
                Val::Num(y.atan2(x))
            }
            "rand" => {
                self.rand_state = self
                    .rand_state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Val::Num((self.rand_state >> 11) as f64 / (1u64 << 53) as f64)
            }
            "srand" => {
                let prev = self.prev_seed;
                let seed = if nargs > 0 { arg!(0).num() } else { 0.0 };
                self.prev_seed = seed;
                self.rand_state = seed.to_bits();
                Val::Num(prev)
            }
            "system" => {
                let c = arg!(0);
                let cmd = self.to_str(&c);
                self.out.flush();
                self.flush_all();
                let spec = SpawnSpec {
                    argv: vec!["sh".into(), "-c".into(), cmd],
                    env: self.proc.env.clone(),
                    cwd: self.proc.cwd.clone(),
                    netns: self.proc.netns,
                    fds: self.proc.fds.clone(),
                    pgid: self.proc.sys.pgid(self.proc.pid),
                };
                match self.proc.spawn(spec) {
                    Ok(pid) => Val::Num(self.proc.wait(pid).await.code() as f64),
                    Err(_) => Val::Num(127.0),
                }
            }
            "close" => {
                let v = arg!(0);
                let k = self.to_str(&v);
                let mut status = -1.0;
                if let Some(t) = self.outputs.remove(&k) {
                    status = 0.0;
                    if let OutTarget::Pipe(w, pid) = t {
                        drop(w);
                        status = self.proc.wait(pid).await.code() as f64;
                    }
                }
                if self.inputs.remove(&k).is_some() {
                    status = 0.0;
                }
                if let Some((rd, pid)) = self.cmd_inputs.remove(&k) {
                    drop(rd);
                    status = self.proc.wait(pid).await.code() as f64;
                }
                Val::Num(status)
            }
            "fflush" => {
                self.out.flush();
                Val::Num(0.0)
            }
            _ => Val::Uninit,
        })
    }

    fn flush_all(&mut self) {
        self.out.flush();
    }

    fn sprintf(&mut self, vals: &[Val]) -> R<String> {
        let Some(fmt) = vals.first() else {
            return Ok(String::new());
        };
        let fmt = self.to_str(fmt);
        let mut out = String::new();
        let cs: Vec<char> = fmt.chars().collect();
        let mut i = 0;
        let mut ai = 1;
        while i < cs.len() {
            let c = cs[i];
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            if cs.get(i + 1) == Some(&'%') {
                out.push('%');
                i += 2;
                continue;
            }
            let start = i;
            i += 1;
            let mut spec = String::from("%");
            while let Some(&f) = cs.get(i) {
                if "-+ #0".contains(f) {
                    spec.push(f);
                    i += 1;
                } else {
                    break;
                }
            }
            let star = |spec: &mut String, i: &mut usize, ai: &mut usize| -> R<()> {
                if cs.get(*i) == Some(&'*') {
                    let Some(v) = vals.get(*ai) else {
                        return Err(Ctl::Fatal);
                    };
                    *ai += 1;
                    spec.push_str(&(v.num() as i64).to_string());
                    *i += 1;
                } else {
                    while let Some(&d) = cs.get(*i).filter(|d| d.is_ascii_digit()) {
                        spec.push(d);
                        *i += 1;
                    }
                }
                Ok(())
            };
            if star(&mut spec, &mut i, &mut ai).is_err() {
                self.printf_error(&fmt);
                return Err(Ctl::Fatal);
            }
            if cs.get(i) == Some(&'.') {
                spec.push('.');
                i += 1;
                if star(&mut spec, &mut i, &mut ai).is_err() {
                    self.printf_error(&fmt);
                    return Err(Ctl::Fatal);
                }
            }
            while matches!(cs.get(i), Some('l') | Some('h') | Some('L')) {
                i += 1;
            }
            let Some(&conv) = cs.get(i) else {
                out.extend(&cs[start..]);
                break;
            };
            i += 1;
            let Some(v) = vals.get(ai) else {
                self.printf_error(&fmt);
                return Err(Ctl::Fatal);
            };
            ai += 1;
            spec.push(conv);
            let arg = match conv {
                'd' | 'i' | 'o' | 'x' | 'X' | 'u' => {
                    let n = v.num();
                    let n = if n.is_nan() { 0.0 } else { n.trunc() };
                    format!("{}", n as i64)
                }
                'c' => match v {
                    Val::Num(n) => char::from_u32(*n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    other => {
                        let s = self.to_str(other);
                        s.chars().next().map(String::from).unwrap_or_default()
                    }
                },
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' => format!("{:e}", v.num()),
                's' => self.to_str(v),
                _ => {
                    out.extend(&cs[start..i]);
                    continue;
                }
            };
            let spec = if conv == 'c' {
                spec.replace('c', "s")
            } else {
                spec
            };
            let o = crate::format::printf(&spec, &[arg]);
            out.push_str(&String::from_utf8_lossy(&o.out));
        }
        Ok(out)
    }

    fn printf_error(&mut self, fmt: &str) {
        self.fatal(&format!("not enough arguments passed to printf(\"{fmt}\")"));
    }

    async fn output(&mut self, dest: &Option<Dest>, text: String) -> R<()> {
        let Some(d) = dest else {
            self.out.str(&text);
            if self.out.broken {
                return Err(Ctl::Exit);
            }
            return Ok(());
        };
        let (target, mode) = match d {
            Dest::File(e) => (e, 0),
            Dest::Append(e) => (e, 1),
            Dest::Pipe(e) => (e, 2),
        };
        let t = self.eval(target).await?;
        let name = self.to_str(&t);
        if mode < 2 && (name == "/dev/stdout" || name == "-") {
            self.out.str(&text);
            return Ok(());
        }
        if mode < 2 && name == "/dev/stderr" {
            self.out.flush();
            self.proc.err(&text);
            return Ok(());
        }
        if !self.outputs.contains_key(&name) {
            let t = if mode == 2 {
                let (r, w) = Pipe::new_pair();
                let mut fds = self.proc.fds.clone();
                fds.insert(0, r);
                self.out.flush();
                let spec = SpawnSpec {
                    argv: vec!["sh".into(), "-c".into(), name.clone()],
                    env: self.proc.env.clone(),
                    cwd: self.proc.cwd.clone(),
                    netns: self.proc.netns,
                    fds,
                    pgid: self.proc.sys.pgid(self.proc.pid),
                };
                match self.proc.spawn(spec) {
                    Ok(pid) => OutTarget::Pipe(w, pid),
                    Err(_) => return Ok(()),
                }
            } else {
                let m = if mode == 1 {
                    OpenMode::APPEND
                } else {
                    OpenMode::WRITE
                };
                match self
                    .proc
                    .sys
                    .open(&self.proc.cwd, &name, m, self.proc.netns)
                {
                    Ok(f) => OutTarget::File(f),
                    Err(e) => {
                        self.fatal(&format!("cannot open \"{name}\" for output ({e})"));
                        return Err(Ctl::Fatal);
                    }
                }
            };
            self.outputs.insert(name.clone(), t);
        }
        if let Some(t) = self.outputs.get(&name) {
            let f = match t {
                OutTarget::File(f) | OutTarget::Pipe(f, _) => f,
            };
            let _ = f.write(text.as_bytes());
        }
        Ok(())
    }

    /// Reads the next record from the main input. `None` at the end.
    async fn next_main_record(&mut self) -> Option<String> {
        loop {
            if self.main.is_none() {
                loop {
                    let Some(op) = self.operands.get(self.next_operand).cloned() else {
                        if (self.next_operand == 0
                            || self.operands.iter().all(|o| is_assignment(o)))
                            && self.next_operand != usize::MAX
                        {
                            {
                                // No file operands: standard input, once.
                                self.next_operand = usize::MAX;
                                let f = self.proc.fd(0).cloned()?;
                                self.main = Some(Lines::new(f));
                                self.set_var("FNR", Val::Num(0.0));
                                break;
                            }
                        }
                        return None;
                    };
                    self.next_operand += 1;
                    if is_assignment(&op) {
                        if let Some((k, v)) = op.split_once('=') {
                            self.set_var(k, input_val(unescape(v)));
                        }
                        continue;
                    }
                    match super::open(self.proc, &op) {
                        Ok(f) => {
                            self.set_var("FILENAME", Val::Str(op.clone()));
                            self.set_var("FNR", Val::Num(0.0));
                            self.main = Some(Lines::new(f));
                            break;
                        }
                        Err(e) => {
                            err(
                                self.proc,
                                &format!("{}: cannot open {op} ({e})", self.proc.name()),
                            );
                            self.exit_code = 2;
                            continue;
                        }
                    }
                }
            }
            let rs = self.get_special("RS");
            let rec = read_record(self.main.as_mut()?, &rs).await;
            match rec {
                Some(r) => {
                    let nr = self.get_var("NR").num() + 1.0;
                    self.set_var("NR", Val::Num(nr));
                    let fnr = self.get_var("FNR").num() + 1.0;
                    self.set_var("FNR", Val::Num(fnr));
                    return Some(r);
                }
                None => {
                    self.main = None;
                    if self.next_operand == usize::MAX {
                        return None;
                    }
                }
            }
        }
    }

    async fn getline(&mut self, var: Option<&Expr>, src: &GetSrc) -> R<Val> {
        let rec = match src {
            GetSrc::Main => {
                let Some(r) = self.next_main_record().await else {
                    return Ok(Val::Num(0.0));
                };
                r
            }
            GetSrc::File(e) => {
                let v = self.eval(e).await?;
                let name = self.to_str(&v);
                if !self.inputs.contains_key(&name) {
                    match super::open(self.proc, &name) {
                        Ok(f) => {
                            self.inputs.insert(name.clone(), Lines::new(f));
                        }
                        Err(_) => return Ok(Val::Num(-1.0)),
                    }
                }
                let rs = self.get_special("RS");
                let Some(rd) = self.inputs.get_mut(&name) else {
                    return Ok(Val::Num(-1.0));
                };
                match read_record(rd, &rs).await {
                    Some(r) => r,
                    None => return Ok(Val::Num(0.0)),
                }
            }
            GetSrc::Cmd(e) => {
                let v = self.eval(e).await?;
                let cmd = self.to_str(&v);
                if !self.cmd_inputs.contains_key(&cmd) {
                    self.out.flush();
                    let (r, w) = Pipe::new_pair();
                    let mut fds = self.proc.fds.clone();
                    fds.insert(1, w);
                    let spec = SpawnSpec {
                        argv: vec!["sh".into(), "-c".into(), cmd.clone()],
                        env: self.proc.env.clone(),
                        cwd: self.proc.cwd.clone(),
                        netns: self.proc.netns,
                        fds,
                        pgid: self.proc.sys.pgid(self.proc.pid),
                    };
                    match self.proc.spawn(spec) {
                        Ok(pid) => {
                            self.cmd_inputs.insert(cmd.clone(), (Lines::new(r), pid));
                        }
                        Err(_) => return Ok(Val::Num(-1.0)),
                    }
                }
                let rs = self.get_special("RS");
                let Some((rd, _)) = self.cmd_inputs.get_mut(&cmd) else {
                    return Ok(Val::Num(-1.0));
                };
                let r = read_record(rd, &rs).await;
                match r {
                    Some(r) => {
                        let nr = self.get_var("NR").num() + 1.0;
                        self.set_var("NR", Val::Num(nr));
                        r
                    }
                    None => return Ok(Val::Num(0.0)),
                }
            }
        };
        match var {
            Some(t) => self.assign(t, input_val(rec)).await?,
            None => {
                self.set_record(rec);
                if matches!(src, GetSrc::File(_)) {
                    // NR/FNR do not change for getline < file.
                } else if matches!(src, GetSrc::Cmd(_)) {
                }
            }
        }
        Ok(Val::Num(1.0))
    }

    fn run_block<'a>(&'a mut self, stmts: &'a [Stmt]) -> Lbf<'a, R<()>> {
        Box::pin(async move {
            for s in stmts {
                self.exec(s).await?;
            }
            Ok(())
        })
    }

    fn exec<'a>(&'a mut self, s: &'a Stmt) -> Lbf<'a, R<()>> {
        Box::pin(async move {
            match s {
                Stmt::Expr(e) => {
                    self.eval(e).await?;
                }
                Stmt::Print(args, dest) => {
                    let mut parts = Vec::new();
                    if args.is_empty() {
                        parts.push(self.record.clone());
                    } else {
                        for a in args {
                            let v = self.eval(a).await?;
                            parts.push(self.out_str(&v));
                        }
                    }
                    let ofs = self.get_special("OFS");
                    let ors = self.get_special("ORS");
                    let text = format!("{}{ors}", parts.join(&ofs));
                    self.output(dest, text).await?;
                }
                Stmt::Printf(args, dest) => {
                    let mut vals = Vec::new();
                    for a in args {
                        vals.push(self.eval(a).await?);
                    }
                    let text = self.sprintf(&vals)?;
                    self.output(dest, text).await?;
                }
                Stmt::If(c, t, e) => {
                    if self.eval(c).await?.truthy() {
                        self.exec(t).await?;
                    } else if let Some(e) = e {
                        self.exec(e).await?;
                    }
                }
                Stmt::While(c, b) => {
                    let mut n = 0u32;
                    while self.eval(c).await?.truthy() {
                        match self.exec(b).await {
                            Ok(()) | Err(Ctl::Continue) => {}
                            Err(Ctl::Break) => break,
                            Err(e) => return Err(e),
                        }
                        n += 1;
                        if n % 65536 == 0 {
                            super::yield_now().await;
                        }
                    }
                }
                Stmt::Do(b, c) => loop {
                    match self.exec(b).await {
                        Ok(()) | Err(Ctl::Continue) => {}
                        Err(Ctl::Break) => break,
                        Err(e) => return Err(e),
                    }
                    if !self.eval(c).await?.truthy() {
                        break;
                    }
                },
                Stmt::For(init, cond, step, b) => {
                    if let Some(i) = init {
                        self.exec(i).await?;
                    }
                    loop {
                        if let Some(c) = cond {
                            if !self.eval(c).await?.truthy() {
                                break;
                            }
                        }
                        match self.exec(b).await {
                            Ok(()) | Err(Ctl::Continue) => {}
                            Err(Ctl::Break) => break,
                            Err(e) => return Err(e),
                        }
                        if let Some(st) = step {
                            self.exec(st).await?;
                        }
                    }
                }
                Stmt::ForIn(k, a, b) => {
                    let keys = self.array(a).key_list();
                    for key in keys {
                        if self.array(a).get(&key).is_none() {
                            continue;
                        }
                        self.set_var(k, input_val(key));
                        match self.exec(b).await {
                            Ok(()) | Err(Ctl::Continue) => {}
                            Err(Ctl::Break) => break,
                            Err(e) => return Err(e),
                        }
                    }
                }
                Stmt::Block(v) => self.run_block(v).await?,
                Stmt::Next => return Err(Ctl::Next),
                Stmt::NextFile => return Err(Ctl::NextFile),
                Stmt::Exit(e) => {
                    if let Some(e) = e {
                        self.exit_code = self.eval(e).await?.num() as i32;
                    }
                    return Err(Ctl::Exit);
                }
                Stmt::Return(e) => {
                    let v = match e {
                        Some(e) => self.eval(e).await?,
                        None => Val::Uninit,
                    };
                    return Err(Ctl::Return(v));
                }
                Stmt::Break => return Err(Ctl::Break),
                Stmt::Continue => return Err(Ctl::Continue),
                Stmt::Delete(n, idx) => match idx {
                    Some(i) => {
                        let k = self.index_key(i).await?;
                        self.array(n).remove(&k);
                    }
                    None => self.array(n).clear(),
                },
            }
            Ok(())
        })
    }

    async fn close_all(&mut self) {
        self.out.flush();
        let outs = std::mem::take(&mut self.outputs);
        for (_, t) in outs {
            if let OutTarget::Pipe(w, pid) = t {
                drop(w);
                let _ = self.proc.wait(pid).await;
            }
        }
        let ins = std::mem::take(&mut self.cmd_inputs);
        for (_, (rd, pid)) in ins {
            drop(rd);
            let _ = self.proc.wait(pid).await;
        }
    }
}

fn arith(op: &str, x: f64, y: f64) -> f64 {
    match op {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" => x / y,
        "%" => x % y,
        "^" => x.powf(y),
        _ => 0.0,
    }
}

/// `sub`/`gsub`: `&` is the match, `\&` a literal ampersand.
fn substitute(re: &Regex, rep: &str, s: &str, global: bool) -> (String, usize) {
    let mut out = String::new();
    let mut pos = 0;
    let mut n = 0;
    let mut search = 0;
    while search <= s.len() {
        let Some((a, b)) = re.find_at(s, search) else {
            break;
        };
        out.push_str(&s[pos..a]);
        let m = &s[a..b];
        let mut it = rep.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '\\' if it.peek() == Some(&'&') => {
                    out.push('&');
                    it.next();
                }
                '\\' if it.peek() == Some(&'\\') => {
                    out.push('\\');
                    it.next();
                }
                '&' => out.push_str(m),
                _ => out.push(c),
            }
        }
        n += 1;
        if b == a {
            // An empty match: copy one character and move on.
            match s[a..].chars().next() {
                Some(ch) => {
                    out.push(ch);
                    pos = a + ch.len_utf8();
                    search = pos;
                }
                None => {
                    pos = s.len();
                    break;
                }
            }
        } else {
            pos = b;
            search = b;
        }
        if !global {
            break;
        }
    }
    out.push_str(&s[pos.min(s.len())..]);
    (out, n)
}

fn is_assignment(op: &str) -> bool {
    match op.split_once('=') {
        Some((k, _)) => crate::parser::is_name(k),
        None => false,
    }
}

/// Escapes in command-line assignments and -v values.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('/') => out.push('/'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

async fn read_record(rd: &mut Lines, rs: &str) -> Option<String> {
    if rs == "\n" || rs.len() != 1 && !rs.is_empty() {
        // Newline-separated (multi-character RS is treated as newline here).
        let (l, _) = rd.next().await.ok()??;
        return Some(String::from_utf8_lossy(&l).into_owned());
    }
    if rs.is_empty() {
        // Paragraph mode: skip blank lines, then read up to the next blank line.
        let mut rec = String::new();
        loop {
            let Ok(Some((l, _))) = rd.next().await else {
                return if rec.is_empty() { None } else { Some(rec) };
            };
            let l = String::from_utf8_lossy(&l).into_owned();
            if l.is_empty() {
                if rec.is_empty() {
                    continue;
                }
                return Some(rec);
            }
            if !rec.is_empty() {
                rec.push('\n');
            }
            rec.push_str(&l);
        }
    }
    // A single-character separator: read lines and split.
    let sep = rs.chars().next().unwrap_or('\n');
    let mut rec = String::new();
    loop {
        let Ok(Some((l, nl))) = rd.next().await else {
            return if rec.is_empty() { None } else { Some(rec) };
        };
        let l = String::from_utf8_lossy(&l).into_owned();
        if let Some(i) = l.find(sep) {
            rec.push_str(&l[..i]);
            // Put the rest back as the next line.
            let rest = &l[i + sep.len_utf8()..];
            let mut back = rest.as_bytes().to_vec();
            if nl {
                back.push(b'\n');
            }
            rd.unread(&back);
            return Some(rec);
        }
        rec.push_str(&l);
        if nl {
            rec.push('\n');
        }
    }
}

async fn awk_main(proc: Proc) -> i32 {
    let name = proc.name().to_string();
    let argv: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
    let mut fs: Option<String> = None;
    let mut assigns: Vec<String> = Vec::new();
    let mut progfiles: Vec<String> = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a == "-W" || a == "-Wversion" || a == "-Wv" {
            proc.out("mawk 1.3.4 20200120\nCopyright 2008-2019,2020, Thomas E. Dickey\nCopyright 1991-1996,2014, Michael D. Brennan\n\nrandom-funcs:       srandom/random\nregex-funcs:        internal\ncompiled limits:\nsprintf buffer      8192\nmaximum-integer     2147483647\n");
            return 0;
        }
        if let Some(v) = a.strip_prefix("-F") {
            let v = if v.is_empty() {
                i += 1;
                argv.get(i).cloned().unwrap_or_default()
            } else {
                v.to_string()
            };
            fs = Some(if v == "t" { "\t".into() } else { unescape(&v) });
        } else if let Some(v) = a.strip_prefix("-v") {
            let v = if v.is_empty() {
                i += 1;
                argv.get(i).cloned().unwrap_or_default()
            } else {
                v.to_string()
            };
            if !is_assignment(&v) {
                err(&proc, &format!("{name}: improper assignment: -v {v}"));
                return 2;
            }
            assigns.push(v);
        } else if let Some(v) = a.strip_prefix("-f") {
            let v = if v.is_empty() {
                i += 1;
                argv.get(i).cloned().unwrap_or_default()
            } else {
                v.to_string()
            };
            progfiles.push(v);
        } else if a.starts_with('-') && a.len() > 1 {
            err(&proc, &format!("{name}: not an option: {a}"));
            return 2;
        } else {
            break;
        }
        i += 1;
    }
    let src = if progfiles.is_empty() {
        let Some(p) = argv.get(i) else {
            err(&proc, &format!("usage: {name} [-F value] [-v var=value] [--] 'program text' [file ...]\nusage: {name} [-F value] [-v var=value] [-f program-file] [--] [file ...]"));
            return 2;
        };
        i += 1;
        p.clone()
    } else {
        let mut s = String::new();
        for f in &progfiles {
            match super::read_all(&proc, f).await {
                Ok(d) => {
                    s.push_str(&String::from_utf8_lossy(&d));
                    s.push('\n');
                }
                Err(e) => {
                    err(&proc, &format!("{name}: couldn't open file {f} ({e})"));
                    return 2;
                }
            }
        }
        s
    };
    let operands: Vec<String> = argv[i.min(argv.len())..].to_vec();
    let mut parser = Parser {
        lx: Lexer {
            s: src.chars().collect(),
            i: 0,
            line: 1,
            last: Tok::Newline,
        },
        tok: Tok::Newline,
        no_gt: 0,
        no_in: 0,
        depth: 0,
    };
    let prog = match parser.program() {
        Ok(p) => p,
        Err(e) => {
            let file = match progfiles.as_slice() {
                [f] => format!("{f}: "),
                _ => String::new(),
            };
            err(&proc, &format!("{name}: {file}line {}: {}", e.line, e.msg));
            return 2;
        }
    };
    let nrules = prog.rules.len();
    let has_main = !prog.rules.is_empty() || !prog.end.is_empty();
    let mut awk = Awk {
        proc: &proc,
        prog: Rc::new(prog),
        vars: BTreeMap::new(),
        arrays: BTreeMap::new(),
        frames: Vec::new(),
        record: String::new(),
        fields: vec![String::new()],
        fields_ok: true,
        nf: 0,
        out: Out::new(&proc),
        outputs: BTreeMap::new(),
        inputs: BTreeMap::new(),
        cmd_inputs: BTreeMap::new(),
        operands,
        next_operand: 0,
        main: None,
        range_on: vec![false; nrules],
        exit_code: 0,
        rand_state: 0x853c49e6748fea9b,
        prev_seed: 0.0,
        re_cache: BTreeMap::new(),
        depth: 0,
    };
    for (k, v) in [
        ("FS", fs.clone().unwrap_or_else(|| " ".into())),
        ("OFS", " ".into()),
        ("ORS", "\n".into()),
        ("RS", "\n".into()),
        ("SUBSEP", "\x1c".into()),
        ("CONVFMT", "%.6g".into()),
        ("OFMT", "%.6g".into()),
        ("FILENAME", String::new()),
    ] {
        awk.set_var(k, Val::Str(v));
    }
    for k in ["NR", "FNR", "RSTART"] {
        awk.set_var(k, Val::Num(0.0));
    }
    awk.set_var("RLENGTH", Val::Num(-1.0));
    let env_arr = awk.array("ENVIRON");
    for (k, v) in &proc.env {
        env_arr.set(k.clone(), input_val(v.clone()));
    }
    let argv_arr = awk.array("ARGV");
    argv_arr.set("0".into(), Val::Str(name.clone()));
    let ops = awk.operands.clone();
    for (k, o) in ops.iter().enumerate() {
        awk.array("ARGV")
            .set((k + 1).to_string(), Val::Str(o.clone()));
    }
    awk.set_var("ARGC", Val::Num((ops.len() + 1) as f64));
    for a in &assigns {
        if let Some((k, v)) = a.split_once('=') {
            awk.set_var(k, input_val(unescape(v)));
        }
    }
    let prog = awk.prog.clone();
    let mut exiting = false;
    for b in &prog.begin {
        match awk.run_block(b).await {
            Ok(()) => {}
            Err(Ctl::Exit) => {
                exiting = true;
                break;
            }
            Err(Ctl::Fatal) => {
                awk.close_all().await;
                return 2;
            }
            Err(_) => {}
        }
    }
    if !exiting && has_main {
        'records: while let Some(rec) = awk.next_main_record().await {
            awk.set_record(rec);
            for (k, (pat, action)) in prog.rules.iter().enumerate() {
                let hit = match pat {
                    Pattern::All => true,
                    Pattern::Expr(e) => match awk.eval(e).await {
                        Ok(v) => v.truthy(),
                        Err(Ctl::Exit) => {
                            exiting = true;
                            break 'records;
                        }
                        Err(Ctl::Fatal) => {
                            awk.close_all().await;
                            return 2;
                        }
                        Err(_) => false,
                    },
                    Pattern::Range(a, b) => {
                        if awk.range_on[k] {
                            if awk.eval(b).await.map(|v| v.truthy()).unwrap_or(false) {
                                awk.range_on[k] = false;
                            }
                            true
                        } else if awk.eval(a).await.map(|v| v.truthy()).unwrap_or(false) {
                            if !awk.eval(b).await.map(|v| v.truthy()).unwrap_or(false) {
                                awk.range_on[k] = true;
                            }
                            true
                        } else {
                            false
                        }
                    }
                };
                if !hit {
                    continue;
                }
                let r = match action {
                    Some(stmts) => awk.run_block(stmts).await,
                    None => {
                        let text = format!("{}{}", awk.record, awk.get_special("ORS"));
                        awk.output(&None, text).await
                    }
                };
                match r {
                    Ok(()) => {}
                    Err(Ctl::Next) => break,
                    Err(Ctl::NextFile) => {
                        awk.main = None;
                        break;
                    }
                    Err(Ctl::Exit) => {
                        exiting = true;
                        break 'records;
                    }
                    Err(Ctl::Fatal) => {
                        awk.close_all().await;
                        return 2;
                    }
                    Err(_) => {}
                }
            }
            if awk.out.broken {
                return 2;
            }
        }
    }
    let _ = exiting;
    for b in &prog.end {
        match awk.run_block(b).await {
            Ok(()) => {}
            Err(Ctl::Exit) => break,
            Err(Ctl::Fatal) => {
                awk.close_all().await;
                return 2;
            }
            Err(_) => {}
        }
    }
    awk.close_all().await;
    awk.exit_code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_mawk() {
        assert_eq!(fmt_num(1e6, "%.6g"), "1000000");
        assert_eq!(fmt_num(2f64.powi(31), "%.6g"), "2.14748e+09");
        assert_eq!(fmt_num(2147483647.0, "%.6g"), "2147483647");
        assert_eq!(fmt_num(0.1 + 0.2, "%.6g"), "0.3");
        assert_eq!(fmt_num(1.0 / 3.0, "%.6g"), "0.333333");
        assert_eq!(fmt_num(1e-5, "%.6g"), "1e-05");
        assert_eq!(fmt_num(f64::INFINITY, "%.6g"), "inf");
    }

    #[test]
    fn numeric_strings() {
        assert!(looks_numeric(" 3.0 "));
        assert!(looks_numeric("-1e5"));
        assert!(!looks_numeric("1a"));
        assert!(!looks_numeric(""));
        assert_eq!(str_to_num("12abc"), 12.0);
        assert_eq!(str_to_num(".5x"), 0.5);
    }

    #[test]
    fn random_programs_never_panic() {
        let frags = [
            "{", "}", "(", ")", "print", "$", "1", "NF", "x", "=", "+", "-", "*", "/", "^", "!",
            "~", "\"s\"", "/re/", "if", "else", "while", "for", "in", "a[", "]", ";", "\n", ",",
            ">", "|", "getline", "BEGIN", "END", "function", "f(", "?", ":", "&&", "++",
        ];
        let mut x: u64 = 0x0fed_cba9_8765_4321;
        for _ in 0..5000 {
            let mut src = String::new();
            for _ in 0..(x % 14) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                src.push_str(frags[(x % frags.len() as u64) as usize]);
                src.push(' ');
            }
            x = x.wrapping_add(0x9E37_79B9);
            let mut p = Parser {
                lx: Lexer {
                    s: src.chars().collect(),
                    i: 0,
                    line: 1,
                    last: Tok::Newline,
                },
                tok: Tok::Newline,
                no_gt: 0,
                no_in: 0,
                depth: 0,
            };
            let _ = p.program();
        }
    }

    #[test]
    fn parses_common_programs() {
        for src in [
            "{print}",
            "{ print $1, $NF }",
            "/re/ { n++ } END { print n }",
            "$1 == \"x\" { print $2 }",
            "BEGIN { FS = \":\" } { printf \"%s-%d\\n\", $1, NR }",
            "NR > 1 && NF { a[$1] += $2 } END { for (k in a) print k, a[k] }",
            "function f(x) { return x * 2 } { print f($1) }",
            "{ print $1 > \"/dev/stderr\" }",
            "{ if ($1 > 5) print \"big\"; else print \"small\" }",
            "NR==1,NR==3",
            "{ $2 = \"\"; print }",
            "BEGIN { while ((getline line < \"f\") > 0) n++ }",
            "{ print length($0) }",
            "{ print (1, 2) in a }",
            "{ x = $1 ~ /^a/ ? \"yes\" : \"no\" }",
        ] {
            let mut p = Parser {
                lx: Lexer {
                    s: src.chars().collect(),
                    i: 0,
                    line: 1,
                    last: Tok::Newline,
                },
                tok: Tok::Newline,
                no_gt: 0,
                no_in: 0,
                depth: 0,
            };
            assert!(p.program().is_ok(), "{src}");
        }
    }
}

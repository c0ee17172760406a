//! The parser: shell source text to [`crate::ast`], one complete command at a time.
//!
//! It is a hand-written recursive-descent parser that reads characters directly rather than a
//! token stream, because the shell's lexing depends on where the parser stands: reserved words
//! count only where a command starts, `$(...)` holds a whole nested program, here-document
//! bodies start after the next newline, `[[ ... =~ re ]]` reads its regex in a mode of its
//! own. Like bash, the caller asks for one complete command (up to an unnested newline) at a
//! time and runs it before the next is parsed, so a syntax error on line 10 happens after
//! lines 1-9 ran. Errors carry bash's wording (`syntax error near unexpected token `fi'`) and
//! line numbers. Nothing here panics on any input; nesting is bounded.
//!
//! Reference: bash(1) "SHELL GRAMMAR", "QUOTING", "EXPANSION"; POSIX XCU 2.3 (token
//! recognition), 2.10 (grammar).

use std::fmt;
use std::rc::Rc;

use crate::ast::*;

/// How deeply constructs may nest before the parser gives up (protects the stack).
const MAX_DEPTH: u32 = 48;

/// A syntax error, with the line it was found on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: u32,
    pub kind: ParseErrorKind,
    /// The source line that holds the error (bash prints it on a second line for scripts).
    pub source_line: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// `syntax error near unexpected token `X'`
    UnexpectedToken(String),
    /// `syntax error: unexpected end of file`
    UnexpectedEof,
    /// `unexpected EOF while looking for matching `X'`
    Unmatched(char),
    /// `` `x': not a valid identifier``
    NotIdentifier(String),
    /// Nesting deeper than the parser allows.
    TooDeep,
}

impl ParseError {
    /// The exit status bash gives for this error.
    pub fn status(&self) -> i32 {
        match self.kind {
            ParseErrorKind::NotIdentifier(_) => 1,
            _ => 2,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ParseErrorKind::UnexpectedToken(t) => {
                write!(f, "syntax error near unexpected token `{t}'")
            }
            ParseErrorKind::UnexpectedEof => write!(f, "syntax error: unexpected end of file"),
            ParseErrorKind::Unmatched(c) => {
                write!(f, "unexpected EOF while looking for matching `{c}'")
            }
            ParseErrorKind::NotIdentifier(s) => write!(f, "`{s}': not a valid identifier"),
            ParseErrorKind::TooDeep => write!(f, "syntax error: nesting too deep"),
        }
    }
}

impl std::error::Error for ParseError {}

type PResult<T> = Result<T, ParseError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Semi,
    DSemi,
    SemiAmp,
    DSemiAmp,
    Amp,
    AndAnd,
    Pipe,
    PipeAmp,
    OrOr,
    LParen,
    RParen,
    Less,
    Great,
    DGreat,
    DLess,
    DLessDash,
    TLess,
    LessAmp,
    GreatAmp,
    LessGreat,
    Clobber,
    AndGreat,
    AndDGreat,
}

impl Op {
    fn text(self) -> &'static str {
        use Op::*;
        match self {
            Semi => ";",
            DSemi => ";;",
            SemiAmp => ";&",
            DSemiAmp => ";;&",
            Amp => "&",
            AndAnd => "&&",
            Pipe => "|",
            PipeAmp => "|&",
            OrOr => "||",
            LParen => "(",
            RParen => ")",
            Less => "<",
            Great => ">",
            DGreat => ">>",
            DLess => "<<",
            DLessDash => "<<-",
            TLess => "<<<",
            LessAmp => "<&",
            GreatAmp => ">&",
            LessGreat => "<>",
            Clobber => ">|",
            AndGreat => "&>",
            AndDGreat => "&>>",
        }
    }

    fn redir(self) -> Option<RedirOp> {
        use Op::*;
        Some(match self {
            Less => RedirOp::In,
            Great => RedirOp::Out,
            DGreat => RedirOp::Append,
            Clobber => RedirOp::Clobber,
            LessGreat => RedirOp::ReadWrite,
            LessAmp => RedirOp::DupIn,
            GreatAmp => RedirOp::DupOut,
            AndGreat => RedirOp::OutErr,
            AndDGreat => RedirOp::AppendErr,
            DLess | DLessDash => RedirOp::HereDoc,
            TLess => RedirOp::HereString,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
enum Tok {
    Word(Word, String),
    ArrayAssign(Assign, String),
    Op(Op),
    IoNum(u32, String),
    Newline,
    Eof,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Word(_, raw) | Tok::ArrayAssign(_, raw) | Tok::IoNum(_, raw) => raw.clone(),
            Tok::Op(op) => op.text().to_string(),
            Tok::Newline => "newline".to_string(),
            Tok::Eof => String::new(),
        }
    }

    fn literal(&self) -> Option<&str> {
        match self {
            Tok::Word(w, _) => w.as_literal(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
struct Peeked {
    tok: Tok,
    start: usize,
}

/// Where a run of word characters stops, and how quotes and backslashes behave in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// An ordinary word: stops at blanks and metacharacters.
    Normal,
    /// Inside `"..."`.
    DQuote,
    /// A here-document body (unquoted delimiter).
    HereDoc,
    /// The word of `${x:-word}`: stops at `}`.
    ParamWord,
    /// The pattern of `${x/pat/rep}`: stops at `/` or `}`.
    ParamPat,
    /// `$(( ... ))`: stops at an unbalanced `)`.
    Arith,
    /// One of the three parts of `for ((;;))`: stops at `;` or an unbalanced `)`.
    ArithFor,
    /// The right side of `=~`: stops at blanks outside parentheses.
    Regex,
}

/// Reserved words that end a compound list.
const TERMINATORS: [&str; 9] = [
    "then", "else", "elif", "fi", "do", "done", "esac", "}", "in",
];

/// Accumulates the parts of a word, merging adjacent literal text.
#[derive(Default)]
struct PartsBuf {
    parts: Vec<WordPart>,
}

impl PartsBuf {
    fn lit(&mut self, c: char) {
        if let Some(WordPart::Lit(s)) = self.parts.last_mut() {
            s.push(c);
        } else {
            self.parts.push(WordPart::Lit(c.to_string()));
        }
    }
    fn quoted(&mut self, s: &str) {
        if !s.is_empty() {
            if let Some(WordPart::Quoted(q)) = self.parts.last_mut() {
                q.push_str(s);
                return;
            }
        }
        self.parts.push(WordPart::Quoted(s.to_string()));
    }
    fn text(&mut self, c: char, quoted: bool) {
        if quoted {
            let mut b = [0u8; 4];
            self.quoted(c.encode_utf8(&mut b));
        } else {
            self.lit(c);
        }
    }
    fn push(&mut self, p: WordPart) {
        self.parts.push(p);
    }
}

/// A parser over one source text.
pub struct Parser {
    src: Vec<char>,
    pos: usize,
    /// Line number of the first character, minus one (sub-parsers of backquotes start mid-file).
    line_base: u32,
    newlines: Vec<usize>,
    pending: Vec<Rc<HereDoc>>,
    peeked: Option<Peeked>,
    depth: u32,
    /// Warnings to print (here-document ended by end of file): line and text.
    pub warnings: Vec<(u32, String)>,
    heredoc_eof: bool,
}

/// True for a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && cs.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

impl Parser {
    pub fn new(src: &str) -> Parser {
        Parser::with_line(src, 1)
    }

    /// A parser whose first line is numbered `line`.
    pub fn with_line(src: &str, line: u32) -> Parser {
        let src: Vec<char> = src.chars().collect();
        let newlines = src
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == '\n')
            .map(|(i, _)| i)
            .collect();
        Parser {
            src,
            pos: 0,
            line_base: line.saturating_sub(1),
            newlines,
            pending: Vec::new(),
            peeked: None,
            depth: 0,
            warnings: Vec::new(),
            heredoc_eof: false,
        }
    }

    /// The line number of the character at `pos`.
    fn line_at(&self, pos: usize) -> u32 {
        let n = self.newlines.partition_point(|&i| i < pos);
        self.line_base
            .saturating_add(1)
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The current line number (where the next token starts, or the end of input).
    pub fn line(&self) -> u32 {
        self.line_at(self.peeked.as_ref().map(|p| p.start).unwrap_or(self.pos))
    }

    /// The text of the source line holding `pos`, without its newline.
    fn source_line(&self, pos: usize) -> String {
        let pos = pos.min(self.src.len());
        let start = self.src[..pos]
            .iter()
            .rposition(|&c| c == '\n')
            .map(|i| i + 1)
            .unwrap_or(0);
        let end = self.src[pos..]
            .iter()
            .position(|&c| c == '\n')
            .map(|i| pos + i)
            .unwrap_or(self.src.len());
        self.src[start..end].iter().collect()
    }

    fn err_at(&self, pos: usize, kind: ParseErrorKind) -> ParseError {
        ParseError {
            line: self.line_at(pos),
            kind,
            source_line: Some(self.source_line(pos)),
        }
    }

    fn eof_error(&self) -> ParseError {
        ParseError {
            line: self.line_at(self.src.len()),
            kind: ParseErrorKind::UnexpectedEof,
            source_line: None,
        }
    }

    fn unmatched(&self, line_pos: usize, c: char) -> ParseError {
        ParseError {
            line: self.line_at(line_pos),
            kind: ParseErrorKind::Unmatched(c),
            source_line: None,
        }
    }

    /// The error for the token the parser is looking at, which it did not expect.
    fn unexpected(&mut self) -> ParseError {
        let (tok, start) = match self.peek_full() {
            Ok(p) => (p.tok.clone(), p.start),
            Err(e) => return e,
        };
        match tok {
            Tok::Eof => self.eof_error(),
            t => {
                // A newline token is reported on the line it ends.
                self.err_at(start, ParseErrorKind::UnexpectedToken(t.text()))
            }
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err_at(self.pos, ParseErrorKind::TooDeep));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // --- characters -----------------------------------------------------------------------

    fn cur(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn at(&self, off: usize) -> Option<char> {
        self.src.get(self.pos + off).copied()
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.cur() {
                Some(' ') | Some('\t') => self.pos += 1,
                Some('\\') if self.at(1) == Some('\n') => self.pos += 2,
                _ => break,
            }
        }
    }

    // --- tokens ---------------------------------------------------------------------------

    fn peek_full(&mut self) -> PResult<&Peeked> {
        if self.peeked.is_none() {
            let p = self.lex()?;
            self.peeked = Some(p);
        }
        match &self.peeked {
            Some(p) => Ok(p),
            None => Err(self.eof_error()),
        }
    }

    fn peek(&mut self) -> PResult<&Tok> {
        Ok(&self.peek_full()?.tok)
    }

    fn peek_start(&mut self) -> PResult<usize> {
        Ok(self.peek_full()?.start)
    }

    fn next(&mut self) -> PResult<Tok> {
        self.peek_full()?;
        let tok = match self.peeked.take() {
            Some(p) => p.tok,
            None => Tok::Eof,
        };
        if matches!(tok, Tok::Newline) {
            self.read_heredocs();
        }
        Ok(tok)
    }

    fn peek_is_op(&mut self, op: Op) -> PResult<bool> {
        Ok(matches!(self.peek()?, Tok::Op(o) if *o == op))
    }

    fn peek_is_word(&mut self, w: &str) -> PResult<bool> {
        Ok(self.peek()?.literal() == Some(w))
    }

    fn expect_word(&mut self, w: &str) -> PResult<()> {
        if self.peek_is_word(w)? {
            self.next()?;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    fn lex(&mut self) -> PResult<Peeked> {
        self.skip_blanks();
        if self.cur() == Some('#') {
            while let Some(c) = self.cur() {
                if c == '\n' {
                    break;
                }
                self.pos += 1;
            }
        }
        let start = self.pos;
        let Some(c) = self.cur() else {
            return Ok(Peeked {
                tok: Tok::Eof,
                start,
            });
        };
        let n1 = self.at(1);
        let n2 = self.at(2);
        // `<(...)` and `>(...)` start a word (process substitution), not a redirection.
        if (c == '<' || c == '>') && n1 == Some('(') {
            let tok = self.lex_word(start)?;
            return Ok(Peeked { tok, start });
        }
        let op = |len: usize, op: Op| (len, Some(op));
        let (len, op) = match c {
            '\n' => {
                self.pos += 1;
                return Ok(Peeked {
                    tok: Tok::Newline,
                    start,
                });
            }
            ';' => match (n1, n2) {
                (Some(';'), Some('&')) => op(3, Op::DSemiAmp),
                (Some(';'), _) => op(2, Op::DSemi),
                (Some('&'), _) => op(2, Op::SemiAmp),
                _ => op(1, Op::Semi),
            },
            '&' => match (n1, n2) {
                (Some('&'), _) => op(2, Op::AndAnd),
                (Some('>'), Some('>')) => op(3, Op::AndDGreat),
                (Some('>'), _) => op(2, Op::AndGreat),
                _ => op(1, Op::Amp),
            },
            '|' => match n1 {
                Some('|') => op(2, Op::OrOr),
                Some('&') => op(2, Op::PipeAmp),
                _ => op(1, Op::Pipe),
            },
            '(' => op(1, Op::LParen),
            ')' => op(1, Op::RParen),
            '<' => match (n1, n2) {
                (Some('<'), Some('<')) => op(3, Op::TLess),
                (Some('<'), Some('-')) => op(3, Op::DLessDash),
                (Some('<'), _) => op(2, Op::DLess),
                (Some('&'), _) => op(2, Op::LessAmp),
                (Some('>'), _) => op(2, Op::LessGreat),
                _ => op(1, Op::Less),
            },
            '>' => match n1 {
                Some('>') => op(2, Op::DGreat),
                Some('&') => op(2, Op::GreatAmp),
                Some('|') => op(2, Op::Clobber),
                _ => op(1, Op::Great),
            },
            _ => (0, None),
        };
        if let Some(op) = op {
            self.pos += len;
            return Ok(Peeked {
                tok: Tok::Op(op),
                start,
            });
        }
        // An IO number: digits right before `<` or `>`.
        if c.is_ascii_digit() {
            let mut end = self.pos;
            while self.src.get(end).is_some_and(|c| c.is_ascii_digit()) {
                end += 1;
            }
            if matches!(self.src.get(end), Some('<') | Some('>')) {
                let raw: String = self.src[self.pos..end].iter().collect();
                if let Ok(n) = raw.parse::<u32>() {
                    self.pos = end;
                    return Ok(Peeked {
                        tok: Tok::IoNum(n, raw),
                        start,
                    });
                }
            }
        }
        let tok = self.lex_word(start)?;
        Ok(Peeked { tok, start })
    }

    fn lex_word(&mut self, start: usize) -> PResult<Tok> {
        let parts = self.read_parts(Mode::Normal)?;
        // `name=(...)`: an array assignment.
        if self.cur() == Some('(') {
            if let [WordPart::Lit(s)] = parts.as_slice() {
                let (name, append) = if let Some(n) = s.strip_suffix("+=") {
                    (n, true)
                } else if let Some(n) = s.strip_suffix('=') {
                    (n, false)
                } else {
                    ("", false)
                };
                if is_name(name) {
                    let name = name.to_string();
                    self.pos += 1;
                    let elems = self.read_array_elems()?;
                    let raw: String = self.src[start..self.pos].iter().collect();
                    return Ok(Tok::ArrayAssign(
                        Assign {
                            name,
                            index: None,
                            value: AssignValue::Array(elems),
                            append,
                        },
                        raw,
                    ));
                }
            }
        }
        let raw: String = self.src[start..self.pos].iter().collect();
        if parts.is_empty() {
            // A lone character no rule takes (cannot happen for valid starts); consume it so
            // that the parser always moves on.
            self.pos = (start + 1).min(self.src.len()).max(self.pos);
            let raw: String = self.src[start..self.pos].iter().collect();
            return Ok(Tok::Word(Word::lit(&raw), raw));
        }
        Ok(Tok::Word(Word { parts }, raw))
    }

    fn read_array_elems(&mut self) -> PResult<Vec<Word>> {
        let open = self.pos;
        let mut elems = Vec::new();
        loop {
            loop {
                self.skip_blanks();
                match self.cur() {
                    Some('\n') => self.pos += 1,
                    Some('#') => {
                        while self.cur().is_some_and(|c| c != '\n') {
                            self.pos += 1;
                        }
                    }
                    _ => break,
                }
            }
            match self.cur() {
                None => return Err(self.unmatched(open, ')')),
                Some(')') => {
                    self.pos += 1;
                    return Ok(elems);
                }
                Some(c) if ";&|<>(".contains(c) => {
                    return Err(
                        self.err_at(self.pos, ParseErrorKind::UnexpectedToken(c.to_string()))
                    );
                }
                _ => {
                    let parts = self.read_parts(Mode::Normal)?;
                    elems.push(Word { parts });
                }
            }
        }
    }

    /// Reads word characters in `mode` until the mode's terminator (not consumed).
    fn read_parts(&mut self, mode: Mode) -> PResult<Vec<WordPart>> {
        self.enter()?;
        let r = self.read_parts_inner(mode);
        self.leave();
        r
    }

    fn read_parts_inner(&mut self, mode: Mode) -> PResult<Vec<WordPart>> {
        let mut buf = PartsBuf::default();
        let quoted_text = matches!(mode, Mode::DQuote | Mode::HereDoc);
        let mut depth = 0u32;
        while let Some(c) = self.cur() {
            if mode == Mode::Normal
                && (c == '<' || c == '>')
                && self.at(1) == Some('(')
                && buf.parts.is_empty()
            {
                let open = self.pos;
                self.pos += 2;
                let ast = self.read_comsub(open)?;
                buf.push(WordPart::ProcSubst {
                    output: c == '>',
                    ast: Rc::new(ast),
                });
                continue;
            }
            // Terminators.
            match mode {
                Mode::Normal => {
                    if matches!(
                        c,
                        ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
                    ) {
                        break;
                    }
                }
                Mode::DQuote => {
                    if c == '"' {
                        break;
                    }
                }
                Mode::HereDoc => {}
                Mode::ParamWord => {
                    if c == '}' {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    } else if c == '{' {
                        depth += 1;
                    }
                }
                Mode::ParamPat => {
                    if c == '}' || c == '/' {
                        break;
                    }
                }
                Mode::Arith | Mode::ArithFor => {
                    if c == ')' {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    } else if c == '(' {
                        depth += 1;
                    } else if c == ';' && mode == Mode::ArithFor && depth == 0 {
                        break;
                    }
                }
                Mode::Regex => {
                    if depth == 0 && matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '<' | '>') {
                        break;
                    }
                    if c == '(' {
                        depth += 1;
                    } else if c == ')' {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                }
            }
            match c {
                '\\' => {
                    let next = self.at(1);
                    match next {
                        Some('\n') => {
                            self.pos += 2;
                        }
                        None => {
                            buf.text('\\', quoted_text);
                            self.pos += 1;
                        }
                        Some(n) => {
                            let escapes = match mode {
                                Mode::DQuote => matches!(n, '$' | '`' | '"' | '\\'),
                                Mode::HereDoc => matches!(n, '$' | '`' | '\\'),
                                _ => true,
                            };
                            if escapes {
                                let mut b = [0u8; 4];
                                buf.quoted(n.encode_utf8(&mut b));
                            } else {
                                buf.text('\\', quoted_text);
                                buf.text(n, quoted_text);
                            }
                            self.pos += 2;
                        }
                    }
                }
                '\'' if !quoted_text => {
                    let open = self.pos;
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.cur() {
                            None => return Err(self.unmatched(open, '\'')),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                s.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    buf.quoted(&s);
                }
                '"' if !quoted_text => {
                    let open = self.pos;
                    self.pos += 1;
                    let inner = self.read_parts(Mode::DQuote)?;
                    if self.cur() != Some('"') {
                        return Err(self.unmatched(open, '"'));
                    }
                    self.pos += 1;
                    buf.push(WordPart::Double(inner));
                }
                '`' => {
                    let part = self.read_backquote(mode == Mode::DQuote)?;
                    buf.push(part);
                }
                '$' => self.read_dollar(&mut buf, mode)?,
                _ => {
                    buf.text(c, quoted_text);
                    self.pos += 1;
                }
            }
        }
        Ok(buf.parts)
    }

    fn read_backquote(&mut self, in_dquote: bool) -> PResult<WordPart> {
        let open = self.pos;
        let line = self.line_at(open);
        self.pos += 1;
        let mut text = String::new();
        loop {
            match self.cur() {
                None => return Err(self.unmatched(open, '`')),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    match self.at(1) {
                        Some(n @ ('$' | '`' | '\\')) => text.push(n),
                        Some('"') if in_dquote => text.push('"'),
                        Some(n) => {
                            text.push('\\');
                            text.push(n);
                        }
                        None => text.push('\\'),
                    }
                    self.pos += 2;
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        let mut sub = Parser::with_line(&text, line);
        sub.depth = self.depth;
        let ast = sub.parse_all()?;
        self.warnings.append(&mut sub.warnings);
        Ok(WordPart::Command(Rc::new(ast)))
    }

    fn read_dollar(&mut self, buf: &mut PartsBuf, mode: Mode) -> PResult<()> {
        let quoted_text = matches!(mode, Mode::DQuote | Mode::HereDoc);
        let next = self.at(1);
        match next {
            Some('\'') if !quoted_text => {
                let open = self.pos;
                self.pos += 2;
                let s = self.read_ansi_c(open)?;
                buf.quoted(&s);
            }
            Some('"') if !quoted_text => {
                let open = self.pos;
                self.pos += 2;
                let inner = self.read_parts(Mode::DQuote)?;
                if self.cur() != Some('"') {
                    return Err(self.unmatched(open, '"'));
                }
                self.pos += 1;
                buf.push(WordPart::Double(inner));
            }
            Some('(') if self.at(2) == Some('(') => {
                let open = self.pos;
                self.pos += 3;
                let saved_warnings = self.warnings.len();
                match self.read_parts(Mode::Arith) {
                    Ok(parts) if self.cur() == Some(')') && self.at(1) == Some(')') => {
                        self.pos += 2;
                        buf.push(WordPart::Arith(Word { parts }));
                    }
                    Ok(_) | Err(_) => {
                        // Not arithmetic after all: a command substitution of a subshell.
                        self.warnings.truncate(saved_warnings);
                        self.pos = open + 2;
                        let ast = self.read_comsub(open)?;
                        buf.push(WordPart::Command(Rc::new(ast)));
                    }
                }
            }
            Some('(') => {
                let open = self.pos;
                self.pos += 2;
                let ast = self.read_comsub(open)?;
                buf.push(WordPart::Command(Rc::new(ast)));
            }
            Some('{') => {
                let open = self.pos;
                self.pos += 2;
                let pe = self.read_braced_param(open)?;
                buf.push(WordPart::Param(Box::new(pe)));
            }
            Some(c) if is_name_start(c) => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(c) = self.cur() {
                    if !is_name_char(c) {
                        break;
                    }
                    name.push(c);
                    self.pos += 1;
                }
                buf.push(WordPart::Param(Box::new(ParamExp {
                    name,
                    index: None,
                    indirect: false,
                    op: ParamOp::Plain,
                })));
            }
            Some(c) if c.is_ascii_digit() || "@*#?-$!".contains(c) => {
                self.pos += 2;
                buf.push(WordPart::Param(Box::new(ParamExp {
                    name: c.to_string(),
                    index: None,
                    indirect: false,
                    op: ParamOp::Plain,
                })));
            }
            _ => {
                buf.text('$', quoted_text);
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// Reads a `$'...'` string (after the opening quote) and decodes its escapes.
    fn read_ansi_c(&mut self, open: usize) -> PResult<String> {
        let mut s = String::new();
        loop {
            let Some(c) = self.cur() else {
                return Err(self.unmatched(open, '\''));
            };
            self.pos += 1;
            match c {
                '\'' => return Ok(s),
                '\\' => {
                    let Some(e) = self.cur() else { continue };
                    self.pos += 1;
                    match e {
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        'e' | 'E' => s.push('\x1b'),
                        'f' => s.push('\x0c'),
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        'v' => s.push('\x0b'),
                        '\\' | '\'' | '"' | '?' => s.push(e),
                        '0'..='7' => {
                            let mut v = e.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                match self.cur().and_then(|c| c.to_digit(8)) {
                                    Some(d) => {
                                        v = v * 8 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            s.push(char::from_u32(v & 0xff).unwrap_or('\u{fffd}'));
                        }
                        'x' | 'u' | 'U' => {
                            let max = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let mut v = 0u32;
                            let mut n = 0;
                            while n < max {
                                match self.cur().and_then(|c| c.to_digit(16)) {
                                    Some(d) => {
                                        v = v.wrapping_mul(16).wrapping_add(d);
                                        self.pos += 1;
                                        n += 1;
                                    }
                                    None => break,
                                }
                            }
                            if n == 0 {
                                s.push('\\');
                                s.push(e);
                            } else {
                                s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                            }
                        }
                        'c' => {
                            if let Some(x) = self.cur() {
                                self.pos += 1;
                                let v = (x.to_ascii_uppercase() as u32) ^ 0x40;
                                s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                            }
                        }
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                }
                other => s.push(other),
            }
        }
    }

    /// Parses the program inside `$( ... )`, the `(` already consumed.
    fn read_comsub(&mut self, open: usize) -> PResult<Ast> {
        self.enter()?;
        let saved_pending = std::mem::take(&mut self.pending);
        let saved_peek = self.peeked.take();
        let r = (|| -> PResult<Ast> {
            let mut ast = Ast::default();
            loop {
                self.skip_newlines()?;
                match self.peek()? {
                    Tok::Op(Op::RParen) => {
                        self.next()?;
                        return Ok(ast);
                    }
                    Tok::Eof => {
                        let _ = open;
                        return Err(self.unmatched(self.src.len(), ')'));
                    }
                    _ => {}
                }
                let list = self.line_list()?;
                if list.items.is_empty() {
                    return Err(self.unexpected());
                }
                ast.commands.push(list);
                match self.peek()? {
                    Tok::Newline | Tok::Op(Op::RParen) => {}
                    Tok::Eof => return Err(self.unmatched(self.src.len(), ')')),
                    _ => return Err(self.unexpected()),
                }
            }
        })();
        self.pending = saved_pending;
        if self.peeked.is_none() {
            self.peeked = saved_peek;
        }
        self.leave();
        r
    }

    /// Parses `${...}` after the `${`.
    fn read_braced_param(&mut self, open: usize) -> PResult<ParamExp> {
        let bad_until_close = |p: &mut Parser| -> PResult<ParamExp> {
            // Skip to the closing brace; the expansion fails when it runs.
            let mut depth = 0;
            while let Some(c) = p.cur() {
                p.pos += 1;
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        return Ok(ParamExp {
                            name: p.src[open..p.pos].iter().collect(),
                            index: None,
                            indirect: false,
                            op: ParamOp::Bad,
                        });
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            Err(p.unmatched(open, '}'))
        };
        let mut length = false;
        let mut indirect = false;
        // `${#}` is the count of positional parameters; `${#x}` the length of x.
        if self.cur() == Some('#') && !matches!(self.at(1), Some('}') | None) {
            // `${#-}`, `${#?}` would be ambiguous; bash reads `#` followed by a name as length.
            length = true;
            self.pos += 1;
        } else if self.cur() == Some('!') && !matches!(self.at(1), Some('}') | None) {
            indirect = true;
            self.pos += 1;
        }
        let name = match self.cur() {
            Some(c) if is_name_start(c) => {
                let mut n = String::new();
                while let Some(c) = self.cur() {
                    if !is_name_char(c) {
                        break;
                    }
                    n.push(c);
                    self.pos += 1;
                }
                n
            }
            Some(c) if c.is_ascii_digit() => {
                let mut n = String::new();
                while let Some(c) = self.cur() {
                    if !c.is_ascii_digit() {
                        break;
                    }
                    n.push(c);
                    self.pos += 1;
                }
                n
            }
            Some(c) if "@*#?-$!".contains(c) => {
                self.pos += 1;
                c.to_string()
            }
            None => return Err(self.unmatched(open, '}')),
            _ => return bad_until_close(self),
        };
        let mut index = None;
        if self.cur() == Some('[') && is_name(&name) {
            self.pos += 1;
            let mut parts = PartsBuf::default();
            let mut depth = 0;
            loop {
                match self.cur() {
                    None => return Err(self.unmatched(open, '}')),
                    Some(']') if depth == 0 => {
                        self.pos += 1;
                        break;
                    }
                    Some('[') => {
                        depth += 1;
                        parts.lit('[');
                        self.pos += 1;
                    }
                    Some(']') => {
                        depth -= 1;
                        parts.lit(']');
                        self.pos += 1;
                    }
                    Some('$') => self.read_dollar(&mut parts, Mode::Arith)?,
                    Some('"') => {
                        let o = self.pos;
                        self.pos += 1;
                        let inner = self.read_parts(Mode::DQuote)?;
                        if self.cur() != Some('"') {
                            return Err(self.unmatched(o, '"'));
                        }
                        self.pos += 1;
                        parts.push(WordPart::Double(inner));
                    }
                    Some(c) => {
                        parts.lit(c);
                        self.pos += 1;
                    }
                }
            }
            index = Some(Word { parts: parts.parts });
        }
        let op = if length {
            if self.cur() != Some('}') {
                return bad_until_close(self);
            }
            ParamOp::Length
        } else {
            match self.cur() {
                None => return Err(self.unmatched(open, '}')),
                Some('}') => ParamOp::Plain,
                Some(':') => match self.at(1) {
                    Some(k @ ('-' | '=' | '?' | '+')) => {
                        self.pos += 2;
                        let word = self.read_param_word(open)?;
                        return self.close_param(
                            open,
                            name,
                            index,
                            indirect,
                            ParamOp::Default {
                                colon: true,
                                kind: default_kind(k),
                                word,
                            },
                        );
                    }
                    _ => {
                        self.pos += 1;
                        // `${x:off:len}`: read up to `:` or `}` at depth 0.
                        let offset = self.read_substring_part(open, true)?;
                        let length = if self.cur() == Some(':') {
                            self.pos += 1;
                            Some(self.read_substring_part(open, false)?)
                        } else {
                            None
                        };
                        return self.close_param(
                            open,
                            name,
                            index,
                            indirect,
                            ParamOp::Substring { offset, length },
                        );
                    }
                },
                Some(k @ ('-' | '=' | '?' | '+')) => {
                    self.pos += 1;
                    let word = self.read_param_word(open)?;
                    return self.close_param(
                        open,
                        name,
                        index,
                        indirect,
                        ParamOp::Default {
                            colon: false,
                            kind: default_kind(k),
                            word,
                        },
                    );
                }
                Some(k @ ('#' | '%')) => {
                    self.pos += 1;
                    let longest = self.cur() == Some(k);
                    if longest {
                        self.pos += 1;
                    }
                    let pattern = self.read_param_word(open)?;
                    return self.close_param(
                        open,
                        name,
                        index,
                        indirect,
                        ParamOp::Trim {
                            suffix: k == '%',
                            longest,
                            pattern,
                        },
                    );
                }
                Some('/') => {
                    self.pos += 1;
                    let mode = match self.cur() {
                        Some('/') => {
                            self.pos += 1;
                            ReplaceMode::All
                        }
                        Some('#') => {
                            self.pos += 1;
                            ReplaceMode::Prefix
                        }
                        Some('%') => {
                            self.pos += 1;
                            ReplaceMode::Suffix
                        }
                        _ => ReplaceMode::First,
                    };
                    let pattern = Word {
                        parts: self.read_parts(Mode::ParamPat)?,
                    };
                    let with = if self.cur() == Some('/') {
                        self.pos += 1;
                        self.read_param_word(open)?
                    } else {
                        Word::default()
                    };
                    return self.close_param(
                        open,
                        name,
                        index,
                        indirect,
                        ParamOp::Replace {
                            mode,
                            pattern,
                            with,
                        },
                    );
                }
                Some(k @ ('^' | ',')) => {
                    self.pos += 1;
                    let all = self.cur() == Some(k);
                    if all {
                        self.pos += 1;
                    }
                    ParamOp::Case {
                        upper: k == '^',
                        all,
                    }
                }
                Some(_) => return bad_until_close(self),
            }
        };
        self.close_param(open, name, index, indirect, op)
    }

    fn read_param_word(&mut self, open: usize) -> PResult<Word> {
        let parts = self.read_parts(Mode::ParamWord)?;
        if self.cur() != Some('}') {
            return Err(self.unmatched(open, '}'));
        }
        Ok(Word { parts })
    }

    fn read_substring_part(&mut self, open: usize, stop_at_colon: bool) -> PResult<Word> {
        let mut buf = PartsBuf::default();
        let mut depth = 0;
        loop {
            match self.cur() {
                None => return Err(self.unmatched(open, '}')),
                Some('}') if depth == 0 => break,
                Some(':') if stop_at_colon && depth == 0 => break,
                Some('$') => self.read_dollar(&mut buf, Mode::Arith)?,
                Some(c) => {
                    if c == '(' {
                        depth += 1;
                    } else if c == ')' && depth > 0 {
                        depth -= 1;
                    }
                    buf.lit(c);
                    self.pos += 1;
                }
            }
        }
        Ok(Word { parts: buf.parts })
    }

    fn close_param(
        &mut self,
        open: usize,
        name: String,
        index: Option<Word>,
        indirect: bool,
        op: ParamOp,
    ) -> PResult<ParamExp> {
        if self.cur() != Some('}') {
            return Err(self.unmatched(open, '}'));
        }
        self.pos += 1;
        Ok(ParamExp {
            name,
            index,
            indirect,
            op,
        })
    }

    fn read_heredocs(&mut self) {
        for hd in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            loop {
                if self.pos >= self.src.len() {
                    self.heredoc_eof = true;
                    self.warnings.push((
                        self.line_at(self.src.len()),
                        format!(
                            "warning: here-document at line {} delimited by end-of-file (wanted `{}')",
                            hd.line, hd.delimiter
                        ),
                    ));
                    break;
                }
                let end = self.src[self.pos..]
                    .iter()
                    .position(|&c| c == '\n')
                    .map(|i| self.pos + i)
                    .unwrap_or(self.src.len());
                let line: String = self.src[self.pos..end].iter().collect();
                self.pos = (end + 1).min(self.src.len());
                let cmp = if hd.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line.as_str()
                };
                if cmp == hd.delimiter {
                    break;
                }
                body.push_str(cmp);
                body.push('\n');
            }
            *hd.body.borrow_mut() = body;
        }
    }

    // --- grammar --------------------------------------------------------------------------

    /// Parses the whole text.
    pub fn parse_all(&mut self) -> PResult<Ast> {
        let mut ast = Ast::default();
        while let Some(list) = self.next_command()? {
            ast.commands.push(list);
        }
        Ok(ast)
    }

    /// Parses the next complete command; `None` at end of input.
    pub fn next_command(&mut self) -> PResult<Option<List>> {
        self.skip_newlines()?;
        if matches!(self.peek()?, Tok::Eof) {
            if !self.pending.is_empty() {
                self.read_heredocs();
            }
            return Ok(None);
        }
        let list = self.line_list()?;
        match self.peek()? {
            Tok::Newline => {
                self.next()?;
            }
            Tok::Eof => {
                if !self.pending.is_empty() {
                    self.read_heredocs();
                }
            }
            _ => return Err(self.unexpected()),
        }
        if list.items.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Some(list))
    }

    /// True if a here-document was cut short by the end of the input (an interactive shell
    /// then reads more lines).
    pub fn heredoc_at_eof(&self) -> bool {
        self.heredoc_eof
    }

    /// True if the parser has consumed all input.
    pub fn at_end(&mut self) -> bool {
        matches!(
            self.skip_newlines()
                .and_then(|_| self.peek().map(|t| matches!(t, Tok::Eof))),
            Ok(true)
        )
    }

    /// And-or lists separated by `;` or `&`, up to a newline or a token that ends the list.
    fn line_list(&mut self) -> PResult<List> {
        let mut items = Vec::new();
        loop {
            if !self.starts_command()? {
                break;
            }
            let start = self.peek_start()?;
            let and_or = self.and_or()?;
            let end = self.pos_before_peek();
            let text: String = self.src[start..end].iter().collect();
            let background = match self.peek()? {
                Tok::Op(Op::Semi) => {
                    self.next()?;
                    false
                }
                Tok::Op(Op::Amp) => {
                    self.next()?;
                    true
                }
                _ => {
                    items.push(Item {
                        and_or,
                        background: false,
                        text: text.trim_end().to_string(),
                    });
                    break;
                }
            };
            items.push(Item {
                and_or,
                background,
                text: text.trim_end().to_string(),
            });
        }
        Ok(List { items })
    }

    fn pos_before_peek(&self) -> usize {
        self.peeked.as_ref().map(|p| p.start).unwrap_or(self.pos)
    }

    /// A compound list: and-or lists separated by `;`, `&` or newlines, up to a reserved word
    /// or an operator that cannot start a command.
    fn compound_list(&mut self) -> PResult<List> {
        let mut items = Vec::new();
        self.skip_newlines()?;
        loop {
            if !self.starts_command()? {
                break;
            }
            let start = self.peek_start()?;
            let and_or = self.and_or()?;
            let end = self.pos_before_peek();
            let text: String = self.src[start..end].iter().collect();
            let (background, more) = match self.peek()? {
                Tok::Op(Op::Semi) => {
                    self.next()?;
                    (false, true)
                }
                Tok::Op(Op::Amp) => {
                    self.next()?;
                    (true, true)
                }
                Tok::Newline => (false, true),
                _ => (false, false),
            };
            items.push(Item {
                and_or,
                background,
                text: text.trim_end().to_string(),
            });
            if !more {
                break;
            }
            self.skip_newlines()?;
        }
        Ok(List { items })
    }

    /// A compound list that must not be empty.
    fn nonempty_list(&mut self) -> PResult<List> {
        let l = self.compound_list()?;
        if l.items.is_empty() {
            return Err(self.unexpected());
        }
        Ok(l)
    }

    /// True if the next token can start a command.
    fn starts_command(&mut self) -> PResult<bool> {
        Ok(match self.peek()? {
            Tok::Word(w, _) => !w
                .as_literal()
                .is_some_and(|s| TERMINATORS.contains(&s) && s != "in"),
            Tok::ArrayAssign(..) | Tok::IoNum(..) => true,
            Tok::Op(op) => op.redir().is_some() || *op == Op::LParen,
            Tok::Newline | Tok::Eof => false,
        })
    }

    fn and_or(&mut self) -> PResult<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let conn = match self.peek()? {
                Tok::Op(Op::AndAnd) => Connector::And,
                Tok::Op(Op::OrOr) => Connector::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((conn, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> PResult<Pipeline> {
        let line = self.line();
        let mut bang = false;
        while self.peek_is_word("!")? {
            self.next()?;
            bang = !bang;
        }
        let mut commands = vec![self.command()?];
        loop {
            let amp = match self.peek()? {
                Tok::Op(Op::Pipe) => false,
                Tok::Op(Op::PipeAmp) => true,
                _ => break,
            };
            self.next()?;
            if amp {
                if let Some(last) = commands.last_mut() {
                    last.redirs.push(Redir {
                        fd: Some(2),
                        op: RedirOp::DupOut,
                        target: RedirTarget::Word(Word::lit("1")),
                    });
                }
            }
            self.skip_newlines()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline {
            bang,
            commands,
            line,
        })
    }

    fn command(&mut self) -> PResult<Command> {
        self.enter()?;
        let r = self.command_inner();
        self.leave();
        r
    }

    fn command_inner(&mut self) -> PResult<Command> {
        let start = self.peek_start()?;
        let line = self.line_at(start);
        let tok = self.peek()?.clone();
        let kind = match &tok {
            Tok::Word(w, _) => match w.as_literal() {
                Some("{") => {
                    self.next()?;
                    let l = self.nonempty_list()?;
                    self.expect_word("}")?;
                    CommandKind::Group(l)
                }
                Some("if") => self.if_command()?,
                Some(k @ ("while" | "until")) => {
                    let until = k == "until";
                    self.next()?;
                    let cond = self.nonempty_list()?;
                    self.expect_word("do")?;
                    let body = self.nonempty_list()?;
                    self.expect_word("done")?;
                    CommandKind::Loop { until, cond, body }
                }
                Some("for") => self.for_command()?,
                Some("case") => self.case_command()?,
                Some("function") => self.function_keyword()?,
                Some("[[") => {
                    self.next()?;
                    let e = self.cond_or()?;
                    if !self.peek_is_word("]]")? {
                        return Err(self.unexpected());
                    }
                    self.next()?;
                    CommandKind::Cond(e)
                }
                Some(t) if TERMINATORS.contains(&t) && t != "in" => {
                    return Err(self.unexpected());
                }
                _ => return self.simple_command(line),
            },
            Tok::Op(Op::LParen) => {
                if self.src.get(start + 1) == Some(&'(') {
                    if let Some(w) = self.try_arith_command(start)? {
                        CommandKind::Arith(w)
                    } else {
                        self.subshell()?
                    }
                } else {
                    self.subshell()?
                }
            }
            Tok::ArrayAssign(..) | Tok::IoNum(..) => return self.simple_command(line),
            Tok::Op(op) if op.redir().is_some() => return self.simple_command(line),
            _ => return Err(self.unexpected()),
        };
        let mut redirs = Vec::new();
        self.redirections(&mut redirs)?;
        Ok(Command { kind, redirs, line })
    }

    fn subshell(&mut self) -> PResult<CommandKind> {
        self.next()?;
        let l = self.nonempty_list()?;
        if !self.peek_is_op(Op::RParen)? {
            return Err(self.unexpected());
        }
        self.next()?;
        Ok(CommandKind::Subshell(l))
    }

    /// `(( expr ))` at `start`; `None` if the parentheses do not close as `))`.
    fn try_arith_command(&mut self, start: usize) -> PResult<Option<Word>> {
        self.peeked = None;
        self.pos = start + 2;
        match self.read_parts(Mode::Arith) {
            Ok(parts) if self.cur() == Some(')') && self.at(1) == Some(')') => {
                self.pos += 2;
                Ok(Some(Word { parts }))
            }
            _ => {
                self.pos = start;
                Ok(None)
            }
        }
    }

    fn redirections(&mut self, redirs: &mut Vec<Redir>) -> PResult<()> {
        loop {
            match self.peek()? {
                Tok::IoNum(n, _) => {
                    let n = *n;
                    self.next()?;
                    redirs.push(self.redirect(Some(n))?);
                }
                Tok::Op(op) if op.redir().is_some() => redirs.push(self.redirect(None)?),
                _ => return Ok(()),
            }
        }
    }

    fn redirect(&mut self, fd: Option<u32>) -> PResult<Redir> {
        let start = self.peek_start()?;
        let Tok::Op(op) = self.next()? else {
            return Err(self.unexpected());
        };
        let Some(rop) = op.redir() else {
            return Err(self.err_at(start, ParseErrorKind::UnexpectedToken(op.text().into())));
        };
        let word = match self.peek()? {
            Tok::Word(w, _) => w.clone(),
            _ => return Err(self.unexpected()),
        };
        self.next()?;
        let target = if rop == RedirOp::HereDoc {
            let hd = Rc::new(HereDoc {
                delimiter: word.unquoted_text(),
                quoted: word.has_quotes(),
                strip_tabs: op == Op::DLessDash,
                body: Default::default(),
                line: self.line_at(start),
            });
            self.pending.push(hd.clone());
            RedirTarget::Here(hd)
        } else {
            RedirTarget::Word(word)
        };
        Ok(Redir {
            fd,
            op: rop,
            target,
        })
    }

    fn simple_command(&mut self, line: u32) -> PResult<Command> {
        let _ = line;
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek()? {
                Tok::Word(w, _) => {
                    let w = w.clone();
                    self.next()?;
                    if words.is_empty() {
                        if let Some(a) = split_assignment(&w) {
                            assigns.push(a);
                            continue;
                        }
                    }
                    words.push(w);
                }
                Tok::ArrayAssign(a, _) => {
                    let decl = words.first().and_then(|w| w.as_literal()).is_some_and(|s| {
                        matches!(s, "declare" | "local" | "typeset" | "export" | "readonly")
                    });
                    if !words.is_empty() && !decl {
                        return Err(self.unexpected_paren());
                    }
                    let a = a.clone();
                    self.next()?;
                    if decl {
                        words.push(compound_word(&a));
                    } else {
                        assigns.push(a);
                    }
                }
                Tok::IoNum(..) => self.redirections(&mut redirs)?,
                Tok::Op(op) if op.redir().is_some() => self.redirections(&mut redirs)?,
                _ => break,
            }
        }
        let end_line = self.line_at(self.last_token_end());
        // `name ( )`: a function definition.
        if words.len() == 1
            && assigns.is_empty()
            && redirs.is_empty()
            && self.peek_is_op(Op::LParen)?
        {
            let name = words[0].as_literal().map(str::to_string);
            self.next()?;
            if !self.peek_is_op(Op::RParen)? {
                return Err(self.unexpected());
            }
            self.next()?;
            let Some(name) = name else {
                return Err(self.unexpected());
            };
            return self.function_body(name, end_line);
        }
        if words.is_empty() && assigns.is_empty() && redirs.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Command {
            kind: CommandKind::Simple { assigns, words },
            redirs,
            line: end_line,
        })
    }

    fn unexpected_paren(&mut self) -> ParseError {
        let start = self.peek_start().unwrap_or(self.pos);
        let p = self.src[start..]
            .iter()
            .position(|&c| c == '(')
            .map(|i| start + i)
            .unwrap_or(start);
        self.err_at(p, ParseErrorKind::UnexpectedToken("(".into()))
    }

    /// The end of the last consumed token (before any blanks and the peeked token).
    fn last_token_end(&self) -> usize {
        let mut p = self.pos_before_peek();
        while p > 0 && matches!(self.src.get(p - 1), Some(' ') | Some('\t')) {
            p -= 1;
        }
        p.saturating_sub(1)
    }

    fn function_body(&mut self, name: String, line: u32) -> PResult<Command> {
        self.skip_newlines()?;
        let compound = match self.peek()? {
            Tok::Word(w, _) => matches!(
                w.as_literal(),
                Some("{" | "if" | "while" | "until" | "for" | "case" | "[[")
            ),
            Tok::Op(Op::LParen) => true,
            _ => false,
        };
        if !compound {
            return Err(self.unexpected());
        }
        let body = self.command()?;
        Ok(Command {
            kind: CommandKind::Function {
                name,
                body: Rc::new(body),
            },
            redirs: Vec::new(),
            line,
        })
    }

    fn function_keyword(&mut self) -> PResult<CommandKind> {
        self.next()?;
        let line = self.line();
        let name = match self.peek()? {
            Tok::Word(w, _) => match w.as_literal() {
                Some(n) => n.to_string(),
                None => return Err(self.unexpected()),
            },
            _ => return Err(self.unexpected()),
        };
        self.next()?;
        if self.peek_is_op(Op::LParen)? {
            self.next()?;
            if !self.peek_is_op(Op::RParen)? {
                return Err(self.unexpected());
            }
            self.next()?;
        }
        Ok(self.function_body(name, line)?.kind)
    }

    fn if_command(&mut self) -> PResult<CommandKind> {
        self.next()?;
        let mut arms = Vec::new();
        let cond = self.nonempty_list()?;
        self.expect_word("then")?;
        let body = self.nonempty_list()?;
        arms.push((cond, body));
        let mut otherwise = None;
        loop {
            match self.peek()?.literal() {
                Some("elif") => {
                    self.next()?;
                    let c = self.nonempty_list()?;
                    self.expect_word("then")?;
                    let b = self.nonempty_list()?;
                    arms.push((c, b));
                }
                Some("else") => {
                    self.next()?;
                    otherwise = Some(self.nonempty_list()?);
                    self.expect_word("fi")?;
                    break;
                }
                Some("fi") => {
                    self.next()?;
                    break;
                }
                _ => return Err(self.unexpected()),
            }
        }
        Ok(CommandKind::If { arms, otherwise })
    }

    fn for_command(&mut self) -> PResult<CommandKind> {
        self.next()?;
        // `for ((init; cond; step))`
        if self.peek_is_op(Op::LParen)? {
            let start = self.peek_start()?;
            if self.src.get(start + 1) == Some(&'(') {
                self.peeked = None;
                self.pos = start + 2;
                let mut parts = Vec::new();
                for i in 0..3 {
                    let p = self.read_parts(Mode::ArithFor)?;
                    parts.push(Word { parts: p });
                    let want = if i < 2 { ';' } else { ')' };
                    if self.cur() != Some(want) {
                        return match self.cur() {
                            None => Err(self.eof_error()),
                            Some(c) => Err(self
                                .err_at(self.pos, ParseErrorKind::UnexpectedToken(c.to_string()))),
                        };
                    }
                    self.pos += 1;
                }
                if self.cur() != Some(')') {
                    return Err(self.unexpected());
                }
                self.pos += 1;
                if self.peek_is_op(Op::Semi)? {
                    self.next()?;
                }
                self.skip_newlines()?;
                let body = self.do_group()?;
                let mut it = parts.into_iter();
                let (init, cond, step) = (
                    it.next().unwrap_or_default(),
                    it.next().unwrap_or_default(),
                    it.next().unwrap_or_default(),
                );
                return Ok(CommandKind::ArithFor {
                    init,
                    cond,
                    step,
                    body,
                });
            }
            return Err(self.unexpected());
        }
        let start = self.peek_start()?;
        let var = match self.peek()? {
            Tok::Word(w, raw) => match w.as_literal() {
                Some(n) if is_name(n) => n.to_string(),
                _ => {
                    let raw = raw.clone();
                    return Err(self.err_at(start, ParseErrorKind::NotIdentifier(raw)));
                }
            },
            _ => return Err(self.unexpected()),
        };
        self.next()?;
        self.skip_newlines()?;
        let mut words = None;
        let mut raws: Vec<String> = Vec::new();
        if self.peek_is_word("in")? {
            self.next()?;
            let mut ws = Vec::new();
            loop {
                match self.peek()? {
                    Tok::Word(w, raw) => {
                        let w = w.clone();
                        raws.push(raw.clone());
                        self.next()?;
                        ws.push(w);
                    }
                    Tok::Op(Op::Semi) | Tok::Newline => {
                        self.next()?;
                        break;
                    }
                    _ => return Err(self.unexpected()),
                }
            }
            words = Some(ws);
        } else if self.peek_is_op(Op::Semi)? {
            self.next()?;
        }
        self.skip_newlines()?;
        let body = self.do_group()?;
        Ok(CommandKind::For {
            var,
            words,
            text: raws.join(" "),
            body,
        })
    }

    fn do_group(&mut self) -> PResult<List> {
        if self.peek_is_word("{")? {
            self.next()?;
            let l = self.nonempty_list()?;
            self.expect_word("}")?;
            return Ok(l);
        }
        self.expect_word("do")?;
        let body = self.nonempty_list()?;
        self.expect_word("done")?;
        Ok(body)
    }

    fn case_command(&mut self) -> PResult<CommandKind> {
        self.next()?;
        let (word, text) = match self.peek()? {
            Tok::Word(w, raw) => (w.clone(), raw.clone()),
            _ => return Err(self.unexpected()),
        };
        self.next()?;
        self.skip_newlines()?;
        self.expect_word("in")?;
        self.skip_newlines()?;
        let mut arms = Vec::new();
        loop {
            if self.peek_is_word("esac")? {
                self.next()?;
                break;
            }
            if self.peek_is_op(Op::LParen)? {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                match self.peek()? {
                    Tok::Word(w, _) => {
                        let w = w.clone();
                        self.next()?;
                        patterns.push(w);
                    }
                    _ => return Err(self.unexpected()),
                }
                match self.peek()? {
                    Tok::Op(Op::Pipe) => {
                        self.next()?;
                    }
                    Tok::Op(Op::RParen) => {
                        self.next()?;
                        break;
                    }
                    _ => return Err(self.unexpected()),
                }
            }
            let body = self.compound_list()?;
            let end = match self.peek()? {
                Tok::Op(Op::DSemi) => CaseEnd::Break,
                Tok::Op(Op::SemiAmp) => CaseEnd::FallThrough,
                Tok::Op(Op::DSemiAmp) => CaseEnd::Continue,
                Tok::Word(w, _) if w.as_literal() == Some("esac") => {
                    arms.push(CaseArm {
                        patterns,
                        body,
                        end: CaseEnd::Break,
                    });
                    self.next()?;
                    break;
                }
                _ => return Err(self.unexpected()),
            };
            self.next()?;
            self.skip_newlines()?;
            arms.push(CaseArm {
                patterns,
                body,
                end,
            });
        }
        Ok(CommandKind::Case { word, text, arms })
    }

    // --- [[ ]] ----------------------------------------------------------------------------

    fn cond_or(&mut self) -> PResult<CondExpr> {
        self.enter()?;
        let mut l = self.cond_and()?;
        while self.peek_is_op(Op::OrOr)? {
            self.next()?;
            self.skip_newlines()?;
            let r = self.cond_and()?;
            l = CondExpr::Or(Box::new(l), Box::new(r));
        }
        self.leave();
        Ok(l)
    }

    fn cond_and(&mut self) -> PResult<CondExpr> {
        let mut l = self.cond_not()?;
        while self.peek_is_op(Op::AndAnd)? {
            self.next()?;
            self.skip_newlines()?;
            let r = self.cond_not()?;
            l = CondExpr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn cond_not(&mut self) -> PResult<CondExpr> {
        if self.peek_is_word("!")? {
            self.next()?;
            self.enter()?;
            let e = self.cond_not()?;
            self.leave();
            return Ok(CondExpr::Not(Box::new(e)));
        }
        self.cond_primary()
    }

    fn cond_word(&mut self) -> PResult<Word> {
        match self.peek()? {
            Tok::Word(w, _) if w.as_literal() != Some("]]") => {
                let w = w.clone();
                self.next()?;
                Ok(w)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn cond_primary(&mut self) -> PResult<CondExpr> {
        if self.peek_is_op(Op::LParen)? {
            self.next()?;
            let e = self.cond_or()?;
            if !self.peek_is_op(Op::RParen)? {
                return Err(self.unexpected());
            }
            self.next()?;
            return Ok(e);
        }
        let first = self.cond_word()?;
        if let Some(op) = first.as_literal() {
            if is_unary_test(op) {
                let is_operand =
                    matches!(self.peek()?, Tok::Word(w, _) if w.as_literal() != Some("]]"));
                if is_operand {
                    let op = op.to_string();
                    let arg = self.cond_word()?;
                    return Ok(CondExpr::Unary(op, arg));
                }
            }
        }
        let op = match self.peek()? {
            Tok::Word(w, _) => match w.as_literal() {
                Some(
                    o @ ("==" | "=" | "!=" | "=~" | "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"
                    | "-nt" | "-ot" | "-ef"),
                ) => Some(o.to_string()),
                _ => None,
            },
            Tok::Op(Op::Less) => Some("<".to_string()),
            Tok::Op(Op::Great) => Some(">".to_string()),
            _ => None,
        };
        let Some(op) = op else {
            return Ok(CondExpr::Word(first));
        };
        self.next()?;
        let right = if op == "=~" {
            self.skip_blanks();
            let parts = self.read_parts(Mode::Regex)?;
            if parts.is_empty() {
                return Err(self.unexpected());
            }
            Word { parts }
        } else {
            self.cond_word()?
        };
        Ok(CondExpr::Binary(first, op, right))
    }
}

fn default_kind(c: char) -> DefaultKind {
    match c {
        '-' => DefaultKind::Use,
        '=' => DefaultKind::Assign,
        '?' => DefaultKind::Error,
        _ => DefaultKind::Alternative,
    }
}

/// The unary operators of `test` and `[[`.
pub fn is_unary_test(op: &str) -> bool {
    matches!(
        op,
        "-a" | "-b"
            | "-c"
            | "-d"
            | "-e"
            | "-f"
            | "-g"
            | "-h"
            | "-k"
            | "-p"
            | "-r"
            | "-s"
            | "-t"
            | "-u"
            | "-w"
            | "-x"
            | "-G"
            | "-L"
            | "-N"
            | "-O"
            | "-S"
            | "-z"
            | "-n"
            | "-v"
            | "-o"
    )
}

/// Marks the value of a compound assignment passed to a declaration builtin
/// (`declare -A m=([k]=v)`): the value starts with this character and its elements are
/// separated by [`ELEMENT_SEP`].
pub const COMPOUND_MARK: char = '\u{1e}';
/// Separates the elements of a compound assignment's value (see [`COMPOUND_MARK`]).
pub const ELEMENT_SEP: char = '\u{1f}';

/// A compound assignment as one word for a declaration builtin: `name=` then the marked
/// elements (each expanded as the builtin's argument is).
fn compound_word(a: &Assign) -> Word {
    let mut parts = vec![WordPart::Lit(format!(
        "{}{}={COMPOUND_MARK}",
        a.name,
        if a.append { "+" } else { "" }
    ))];
    if let AssignValue::Array(elems) = &a.value {
        for (i, e) in elems.iter().enumerate() {
            if i > 0 {
                parts.push(WordPart::Quoted(ELEMENT_SEP.to_string()));
            }
            parts.extend(e.parts.iter().cloned());
        }
    }
    Word { parts }
}

/// Splits `name=value` (or `name+=value`, `name[i]=value`) at the start of a word.
pub fn split_assignment(w: &Word) -> Option<Assign> {
    let WordPart::Lit(first) = w.parts.first()? else {
        return None;
    };
    let name_len = first
        .char_indices()
        .find(|&(_, c)| !is_name_char(c))
        .map(|(i, _)| i)
        .unwrap_or(first.len());
    let name = &first[..name_len];
    if !is_name(name) {
        return None;
    }
    let rest = &first[name_len..];
    let split_op = |s: &str| -> Option<(bool, String)> {
        if let Some(a) = s.strip_prefix("+=") {
            Some((true, a.to_string()))
        } else {
            s.strip_prefix('=').map(|a| (false, a.to_string()))
        }
    };
    let (index, append, after, tail) = if let Some(r) = rest.strip_prefix('[') {
        // `name[index]=`: the index may span parts (`a[$i]=x`).
        let mut idx = PartsBuf::default();
        let mut found = None;
        let lits = std::iter::once((0usize, WordPart::Lit(r.to_string())))
            .chain(w.parts.iter().cloned().enumerate().skip(1));
        for (k, p) in lits {
            match p {
                WordPart::Lit(s) => match s.find(']') {
                    Some(i) => {
                        for c in s[..i].chars() {
                            idx.lit(c);
                        }
                        let (append, after) = split_op(&s[i + 1..])?;
                        found = Some((append, after, k + 1));
                        break;
                    }
                    None => {
                        for c in s.chars() {
                            idx.lit(c);
                        }
                    }
                },
                other => idx.push(other),
            }
        }
        let (append, after, tail) = found?;
        (Some(Word { parts: idx.parts }), append, after, tail)
    } else {
        let (append, after) = split_op(rest)?;
        (None, append, after, 1)
    };
    let mut parts = Vec::new();
    if !after.is_empty() {
        parts.push(WordPart::Lit(after));
    }
    parts.extend(w.parts.iter().skip(tail).cloned());
    Some(Assign {
        name: name.to_string(),
        index,
        value: AssignValue::Scalar(Word { parts }),
        append,
    })
}

/// Parses a word's text as a here-document body (unquoted delimiter): `$` expansions,
/// command substitutions and backslash escapes, no other quoting.
pub fn parse_heredoc_body(body: &str, line: u32) -> Result<Word, ParseError> {
    let mut p = Parser::with_line(body, line);
    let parts = p.read_parts(Mode::HereDoc)?;
    Ok(Word { parts })
}

/// Parses a whole program.
pub fn parse(src: &str) -> Result<Ast, ParseError> {
    Parser::new(src).parse_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> Ast {
        match parse(src) {
            Ok(a) => a,
            Err(e) => panic!("{src:?}: {e}"),
        }
    }

    fn err(src: &str) -> String {
        match parse(src) {
            Ok(a) => panic!("{src:?} parsed: {a:?}"),
            Err(e) => format!("{}: {}", e.line, e),
        }
    }

    fn simple(ast: &Ast, i: usize) -> (&Vec<Assign>, &Vec<Word>) {
        match &ast.commands[i].items[0].and_or.first.commands[0].kind {
            CommandKind::Simple { assigns, words } => (assigns, words),
            k => panic!("not simple: {k:?}"),
        }
    }

    #[test]
    fn simple_commands_and_lists() {
        let a = ok("echo a b; ls -l && x || y &\nfoo | bar |& baz\n");
        assert_eq!(a.commands.len(), 2);
        assert_eq!(a.commands[0].items.len(), 2);
        assert!(a.commands[0].items[1].background);
        assert_eq!(a.commands[0].items[0].text, "echo a b");
        assert_eq!(a.commands[0].items[1].text, "ls -l && x || y");
        assert_eq!(a.commands[0].items[1].and_or.rest.len(), 2);
        assert_eq!(a.commands[1].items[0].and_or.first.commands.len(), 3);
        let (_, w) = simple(&a, 0);
        assert_eq!(w.len(), 3);
    }

    #[test]
    fn words_and_quotes() {
        let a = ok(r#"echo 'a b' "c $x ${y:-d e}" \$z $'t\tu' `echo hi` $(echo $((1+2)))"#);
        let (_, w) = simple(&a, 0);
        assert_eq!(w.len(), 7);
        assert!(matches!(&w[1].parts[0], WordPart::Quoted(s) if s == "a b"));
        assert!(matches!(&w[2].parts[0], WordPart::Double(p) if p.len() == 4));
        assert!(matches!(&w[3].parts[0], WordPart::Quoted(s) if s == "$"));
        assert!(matches!(&w[4].parts[0], WordPart::Quoted(s) if s == "t\tu"));
        assert!(matches!(&w[5].parts[0], WordPart::Command(_)));
        assert!(matches!(&w[6].parts[0], WordPart::Command(_)));
    }

    #[test]
    fn assignments() {
        let a = ok("A=1 B+=x C[2]=y D=(1 2 3) cmd E=2\n");
        let (assigns, words) = simple(&a, 0);
        assert_eq!(assigns.len(), 4);
        assert_eq!(assigns[0].name, "A");
        assert!(assigns[1].append);
        assert!(assigns[2].index.is_some());
        assert!(matches!(&assigns[3].value, AssignValue::Array(v) if v.len() == 3));
        assert_eq!(words.len(), 2);
    }

    #[test]
    fn compound_commands() {
        let src = "if true; then echo a; elif false; then echo b; else echo c; fi\n\
                   while read x; do echo $x; done < f\n\
                   for i in 1 2 3; do echo $i; done\n\
                   for i; do :; done\n\
                   case $x in a|b) echo ab;; (c) echo c;& *) echo other;; esac\n\
                   f() { local x=1; return 2; }\n\
                   function g { echo; }\n\
                   ( cd /tmp; ls )\n\
                   { echo a; echo b; } > out\n\
                   (( i++ ))\n\
                   [[ -f x && $a == b* || ! -z $c ]]\n\
                   [[ $x =~ ^a(b|c)$ ]]\n\
                   for ((i=0; i<3; i++)); do echo $i; done\n";
        let a = ok(src);
        assert_eq!(a.commands.len(), 13);
        let kinds: Vec<&CommandKind> = a
            .commands
            .iter()
            .map(|l| &l.items[0].and_or.first.commands[0].kind)
            .collect();
        assert!(
            matches!(kinds[0], CommandKind::If { arms, otherwise: Some(_) } if arms.len() == 2)
        );
        assert!(matches!(kinds[1], CommandKind::Loop { until: false, .. }));
        assert_eq!(
            a.commands[1].items[0].and_or.first.commands[0].redirs.len(),
            1
        );
        assert!(matches!(kinds[2], CommandKind::For { words: Some(w), .. } if w.len() == 3));
        assert!(matches!(kinds[3], CommandKind::For { words: None, .. }));
        assert!(matches!(kinds[4], CommandKind::Case { arms, .. } if arms.len() == 3));
        assert!(matches!(kinds[5], CommandKind::Function { name, .. } if name == "f"));
        assert!(matches!(kinds[6], CommandKind::Function { name, .. } if name == "g"));
        assert!(matches!(kinds[7], CommandKind::Subshell(_)));
        assert!(matches!(kinds[8], CommandKind::Group(_)));
        assert!(matches!(kinds[9], CommandKind::Arith(_)));
        assert!(matches!(kinds[10], CommandKind::Cond(CondExpr::Or(..))));
        assert!(matches!(kinds[11], CommandKind::Cond(CondExpr::Binary(_, op, _)) if op == "=~"));
        assert!(matches!(kinds[12], CommandKind::ArithFor { .. }));
    }

    #[test]
    fn here_documents() {
        let a = ok("cat <<EOF; cat <<-'END'\nhello $x\nEOF\n\tliteral $y\n\tEND\necho after\n");
        assert_eq!(a.commands.len(), 2);
        let c = &a.commands[0].items[0].and_or.first.commands[0];
        let RedirTarget::Here(hd) = &c.redirs[0].target else {
            panic!()
        };
        assert_eq!(&*hd.body.borrow(), "hello $x\n");
        assert!(!hd.quoted);
        let c = &a.commands[0].items[1].and_or.first.commands[0];
        let RedirTarget::Here(hd) = &c.redirs[0].target else {
            panic!()
        };
        assert_eq!(&*hd.body.borrow(), "literal $y\n");
        assert!(hd.quoted);
    }

    #[test]
    fn line_continuation_and_comments() {
        let a = ok("echo a \\\n  b # comment\n# whole line\necho c#d\n");
        assert_eq!(a.commands.len(), 2);
        let (_, w) = simple(&a, 0);
        assert_eq!(w.len(), 3);
        assert_eq!(a.commands[0].items[0].and_or.first.commands[0].line, 2);
        let (_, w) = simple(&a, 1);
        assert_eq!(w[1].as_literal(), Some("c#d"));
    }

    #[test]
    fn syntax_errors_read_like_bash() {
        assert_eq!(
            err("echo b; fi"),
            "1: syntax error near unexpected token `fi'"
        );
        assert_eq!(
            err("echo a\nif true; then\necho b\n"),
            "4: syntax error: unexpected end of file"
        );
        assert_eq!(
            err("echo a\necho \"abc\necho c\n"),
            "2: unexpected EOF while looking for matching `\"'"
        );
        assert_eq!(
            err("echo >\n"),
            "1: syntax error near unexpected token `newline'"
        );
        assert_eq!(err(")"), "1: syntax error near unexpected token `)'");
        assert_eq!(
            err("echo $(ls\n"),
            "2: unexpected EOF while looking for matching `)'"
        );
        assert_eq!(
            err("echo `ls\n"),
            "1: unexpected EOF while looking for matching ``'"
        );
        assert_eq!(
            err("x() echo"),
            "1: syntax error near unexpected token `echo'"
        );
        assert_eq!(
            err("foo(\n"),
            "1: syntax error near unexpected token `newline'"
        );
        assert_eq!(
            err("while true; do; done"),
            "1: syntax error near unexpected token `;'"
        );
        assert_eq!(err("{ }"), "1: syntax error near unexpected token `}'");
        assert_eq!(err("echo a |\n"), "2: syntax error: unexpected end of file");
        assert_eq!(err("&& b"), "1: syntax error near unexpected token `&&'");
        assert_eq!(
            err("case x in a) echo;; b\n"),
            "1: syntax error near unexpected token `newline'"
        );
        assert_eq!(
            err("echo ${x\n"),
            "1: unexpected EOF while looking for matching `}'"
        );
        assert_eq!(
            err("echo a; ;"),
            "1: syntax error near unexpected token `;'"
        );
        assert_eq!(err("if\n"), "2: syntax error: unexpected end of file");
        assert_eq!(
            err("for 1 in a; do :; done"),
            "1: `1': not a valid identifier"
        );
    }

    #[test]
    fn source_line_is_kept_for_messages() {
        let e = parse("echo a\necho b; fi\necho c\n").unwrap_err();
        assert_eq!(e.source_line.as_deref(), Some("echo b; fi"));
    }

    #[test]
    fn one_command_at_a_time() {
        let mut p = Parser::new("echo a\necho b; fi\n");
        assert!(p.next_command().unwrap().is_some());
        assert!(p.next_command().is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "(".repeat(10_000);
        assert!(parse(&src).is_err());
        let src = "$(".repeat(10_000);
        assert!(parse(&src).is_err());
        let src = "\"$(".repeat(10_000);
        assert!(parse(&src).is_err());
    }

    #[test]
    fn param_expansions() {
        let a = ok("echo ${#x} ${x%%.*} ${x/a/b} ${x//a} ${x:1:2} ${x^^} ${a[1]} ${!p} ${%x}\n");
        let (_, w) = simple(&a, 0);
        let ops: Vec<&ParamOp> = w[1..]
            .iter()
            .map(|w| match &w.parts[0] {
                WordPart::Param(p) => &p.op,
                _ => panic!(),
            })
            .collect();
        assert!(matches!(ops[0], ParamOp::Length));
        assert!(matches!(
            ops[1],
            ParamOp::Trim {
                suffix: true,
                longest: true,
                ..
            }
        ));
        assert!(matches!(
            ops[2],
            ParamOp::Replace {
                mode: ReplaceMode::First,
                ..
            }
        ));
        assert!(matches!(
            ops[3],
            ParamOp::Replace {
                mode: ReplaceMode::All,
                ..
            }
        ));
        assert!(matches!(
            ops[4],
            ParamOp::Substring {
                length: Some(_),
                ..
            }
        ));
        assert!(matches!(
            ops[5],
            ParamOp::Case {
                upper: true,
                all: true
            }
        ));
    }
}

//! The syntax tree of a shell program, as the parser builds it and the interpreter walks it.
//!
//! It follows the grammar of POSIX sh (XCU 2.10) with the bash extensions scripts commonly use
//! (`[[ ]]`, `(( ))`, `function`, `local`, arrays, `$'...'`). Words keep their structure
//! (quotes, parameter expansions, command substitutions) so that expansion (see `expand.rs`)
//! can apply quoting rules faithfully; nothing here is expanded yet.

use std::cell::RefCell;
use std::rc::Rc;

/// A whole program: its complete commands in order (each ends at a newline at top level).
#[derive(Clone, Debug, Default)]
pub struct Ast {
    pub commands: Vec<List>,
}

/// A sequence of and-or lists separated by `;`, `&` or newlines.
#[derive(Clone, Debug, Default)]
pub struct List {
    pub items: Vec<Item>,
}

/// One and-or list, run in the background if it ended with `&`.
#[derive(Clone, Debug)]
pub struct Item {
    pub and_or: AndOr,
    pub background: bool,
    /// The source text, as `jobs` shows it.
    pub text: String,
}

/// `p1 && p2 || p3`.
#[derive(Clone, Debug)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `[!] c1 | c2 | ...`.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub bang: bool,
    pub commands: Vec<Command>,
    /// The line the pipeline starts on.
    pub line: u32,
}

/// A command with its redirections.
#[derive(Clone, Debug)]
pub struct Command {
    pub kind: CommandKind,
    pub redirs: Vec<Redir>,
    /// The line bash reports for this command (where a simple command ends).
    pub line: u32,
}

#[derive(Clone, Debug)]
pub enum CommandKind {
    /// `A=1 cmd arg...`; either part may be empty (not both).
    Simple {
        assigns: Vec<Assign>,
        words: Vec<Word>,
    },
    /// `{ list; }`
    Group(List),
    /// `( list )`
    Subshell(List),
    /// `if c1; then b1; elif c2; then b2; else b3; fi`
    If {
        arms: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    /// `while c; do b; done` or `until c; do b; done`.
    Loop { until: bool, cond: List, body: List },
    /// `for v in words; do b; done` (`words` is `None` for `"$@"`); `text` is the words as
    /// written, which `set -x` shows.
    For {
        var: String,
        words: Option<Vec<Word>>,
        text: String,
        body: List,
    },
    /// `for ((init; cond; step)); do b; done`
    ArithFor {
        init: Word,
        cond: Word,
        step: Word,
        body: List,
    },
    /// `case w in p1|p2) b;; esac`; `text` is the word as written.
    Case {
        word: Word,
        text: String,
        arms: Vec<CaseArm>,
    },
    /// `name() body` or `function name body`.
    Function { name: String, body: Rc<Command> },
    /// `(( expr ))`
    Arith(Word),
    /// `[[ expr ]]`
    Cond(CondExpr),
}

#[derive(Clone, Debug)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
    pub end: CaseEnd,
}

/// How a case arm ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseEnd {
    /// `;;`
    Break,
    /// `;&`: run the next arm's body too.
    FallThrough,
    /// `;;&`: test the next patterns.
    Continue,
}

/// `name=value`, `name+=value`, `name[i]=value`, `name=(a b c)`.
#[derive(Clone, Debug)]
pub struct Assign {
    pub name: String,
    pub index: Option<Word>,
    pub value: AssignValue,
    pub append: bool,
}

#[derive(Clone, Debug)]
pub enum AssignValue {
    Scalar(Word),
    Array(Vec<Word>),
}

/// A redirection: `[fd]op target`.
#[derive(Clone, Debug)]
pub struct Redir {
    pub fd: Option<u32>,
    pub op: RedirOp,
    pub target: RedirTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `>|`
    Clobber,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupIn,
    /// `>&`
    DupOut,
    /// `&>`
    OutErr,
    /// `&>>`
    AppendErr,
    /// `<<` and `<<-`
    HereDoc,
    /// `<<<`
    HereString,
}

#[derive(Clone, Debug)]
pub enum RedirTarget {
    Word(Word),
    Here(Rc<HereDoc>),
}

/// A here-document; its body is read after the line that holds the `<<`.
#[derive(Debug, Default)]
pub struct HereDoc {
    pub delimiter: String,
    /// The delimiter was quoted: the body is taken literally.
    pub quoted: bool,
    pub strip_tabs: bool,
    pub body: RefCell<String>,
    /// The line of the `<<`.
    pub line: u32,
}

/// A word: a sequence of parts, each with its own quoting.
#[derive(Clone, Debug, Default)]
pub struct Word {
    pub parts: Vec<WordPart>,
}

#[derive(Clone, Debug)]
pub enum WordPart {
    /// Unquoted text (subject to field splitting only if it came from an expansion: never;
    /// to pathname expansion and tilde expansion: yes).
    Lit(String),
    /// Quoted text: `'...'`, `\x`, `$'...'`, or literal text inside `"..."`.
    Quoted(String),
    /// `"..."`.
    Double(Vec<WordPart>),
    /// `$x`, `${x...}`.
    Param(Box<ParamExp>),
    /// `$(...)` or `` `...` ``.
    Command(Rc<Ast>),
    /// `$((...))`: the expression, itself a word (it undergoes expansion first).
    Arith(Word),
    /// `<(...)` (`output` false) or `>(...)`: a pipe to a background list, named
    /// `/dev/fd/N`.
    ProcSubst { output: bool, ast: Rc<Ast> },
}

/// A parameter expansion.
#[derive(Clone, Debug)]
pub struct ParamExp {
    /// A name, a positional number, or one of `@ * # ? - $ ! 0`.
    pub name: String,
    /// `${a[i]}`
    pub index: Option<Word>,
    /// `${!x}`
    pub indirect: bool,
    pub op: ParamOp,
}

#[derive(Clone, Debug)]
pub enum ParamOp {
    Plain,
    /// `${#x}`
    Length,
    /// `${x-w}` `${x:-w}` `${x=w}` `${x?w}` `${x+w}` and the colon forms.
    Default {
        colon: bool,
        kind: DefaultKind,
        word: Word,
    },
    /// `${x#p}` `${x##p}` `${x%p}` `${x%%p}`
    Trim {
        suffix: bool,
        longest: bool,
        pattern: Word,
    },
    /// `${x/p/r}` `${x//p/r}` `${x/#p/r}` `${x/%p/r}`
    Replace {
        mode: ReplaceMode,
        pattern: Word,
        with: Word,
    },
    /// `${x:off}` `${x:off:len}`
    Substring {
        offset: Word,
        length: Option<Word>,
    },
    /// `${x^}` `${x^^}` `${x,}` `${x,,}`
    Case {
        upper: bool,
        all: bool,
    },
    /// Not a valid expansion (`${%x}`): "bad substitution" when it runs; `name` holds the
    /// text as written.
    Bad,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultKind {
    /// `-`
    Use,
    /// `=`
    Assign,
    /// `?`
    Error,
    /// `+`
    Alternative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplaceMode {
    First,
    All,
    Prefix,
    Suffix,
}

/// The expression of `[[ ... ]]`.
#[derive(Clone, Debug)]
pub enum CondExpr {
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
    Not(Box<CondExpr>),
    /// `-f x`, `-z x`, ...
    Unary(String, Word),
    /// `a == b`, `a -lt b`, `a =~ re`, ...
    Binary(Word, String, Word),
    /// A lone word: true if non-empty.
    Word(Word),
}

impl Word {
    /// A word of one unquoted literal.
    pub fn lit(s: &str) -> Word {
        Word {
            parts: vec![WordPart::Lit(s.to_string())],
        }
    }

    /// The text of a word made only of unquoted literals (reserved words, names).
    pub fn as_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// True if any part is quoted (a here-document delimiter with quotes is taken literally).
    pub fn has_quotes(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, WordPart::Quoted(_) | WordPart::Double(_)))
    }

    /// The word's text after quote removal, with expansions kept as they were written
    /// (`$x`); used for here-document delimiters.
    pub fn unquoted_text(&self) -> String {
        let mut s = String::new();
        fn walk(parts: &[WordPart], s: &mut String) {
            for p in parts {
                match p {
                    WordPart::Lit(t) | WordPart::Quoted(t) => s.push_str(t),
                    WordPart::Double(inner) => walk(inner, s),
                    WordPart::Param(pe) => {
                        s.push('$');
                        s.push_str(&pe.name);
                    }
                    WordPart::Command(_) | WordPart::Arith(_) | WordPart::ProcSubst { .. } => {}
                }
            }
        }
        walk(&self.parts, &mut s);
        s
    }
}

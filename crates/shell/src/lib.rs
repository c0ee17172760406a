//! The shell: a POSIX sh subset with the bash extensions lab scripts use, and the small
//! utilities those scripts call (echo, printf, cat, grep, sed, awk, head, tail, wc, sort, ...).
//!
//! `bash FILE`, `bash -c STR`, `bash` reading its standard input (interactive, with a prompt,
//! when that is a terminal) all run the same interpreter; `sh` is the same shell speaking
//! dash's messages. The pieces, in the order a line meets them:
//!
//! - [`parser`] turns text into an [`ast`], one complete command at a time, as bash does: a
//!   syntax error on line 10 comes after lines 1-9 ran, in bash's words and with its line
//!   numbers. Here-documents, `$(...)`, `[[ ]]`, `(( ))` and `case` are lexed in context.
//! - `expand` performs word expansion in bash's order (brace, tilde, parameter, arithmetic
//!   via [`arith`], command substitution, field splitting on IFS, pathname expansion via
//!   [`pattern`], quote removal).
//! - `shell` runs the tree on the lab's process model. Programs are spawned as lab processes;
//!   whatever bash forks (pipeline stages, `( )`, `$( )`, `&`) is forked here too with
//!   `Proc::fork`, so `$!`, `kill`, `wait`, SIGPIPE and SIGINT behave as on Linux. Builtins
//!   (`builtins`) run inside the shell with the command's redirections applied.
//! - [`utils`] are the programs (coreutils, grep, sed, mawk's awk, ...), with stdio-like
//!   buffering so that stdout and stderr interleave as they do on Linux.
//!
//! Everything is deterministic: ordered maps, no wall clock, virtual time for `sleep`,
//! `timeout` and `read -t`.
//!
//! Parser choice: brush-parser 0.4 covers the grammar (here-documents, arithmetic, case,
//! functions), but it parses a whole program before anything runs, reports errors in its own
//! terms, and leaves words as raw strings to be parsed again; a hand-written
//! recursive-descent parser gives bash's incremental execution, bash's error messages and line
//! numbers, and structured words directly, and is bounded so that no input can overflow the
//! stack (see the fuzz target `shell_parse`).

// `is_multiple_of` is newer than the workspace's minimum Rust version.
#![allow(clippy::manual_is_multiple_of)]

pub mod arith;
pub mod ast;
pub(crate) mod builtins;
mod expand;
pub mod format;
pub mod parser;
pub mod pattern;
pub mod regex;
mod shell;
mod state;
pub mod test;
pub mod utils;

pub use ast::Ast;
pub use parser::ParseError;

use tsunagi_lab::Lab;

/// Parses a whole shell program (used by tests and the fuzz target).
pub fn parse(src: &str) -> Result<Ast, ParseError> {
    parser::parse(src)
}

/// Expands the words of `src` (one simple command) without running anything: command
/// substitutions give nothing, pathname expansion is off. For the fuzz target and tests.
pub fn expand_sandboxed(src: &str) -> Option<Vec<String>> {
    shell::expand_sandboxed(src)
}

/// Registers `bash`, `sh` and the utilities with a lab.
pub fn register(lab: &Lab) {
    lab.register("bash", shell::bash_main);
    lab.register("sh", shell::bash_main);
    utils::register(lab);
}

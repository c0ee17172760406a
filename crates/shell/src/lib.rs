//! The shell: a POSIX sh subset with the bash extensions lab scripts use, and the small
//! utilities those scripts call (echo, printf, cat, grep, sed, awk, head, tail, wc, sort, ...).
//!
//! `bash FILE`, `bash -c STR`, `bash` reading its standard input (interactive when that is the
//! terminal) all run the same interpreter. Source text is parsed one complete command at a
//! time ([`parser`]) into a syntax tree ([`ast`]), and run by an async interpreter on the lab's
//! process model (`shell`): external commands, pipeline stages and subshells are lab
//! processes, so that `$!`, `kill`, `wait` and signals behave as on Linux.
//!
//! Parser choice: a hand-written recursive-descent parser rather than brush-parser. bash
//! parses and runs one complete command at a time (a syntax error on line 10 comes after
//! lines 1-9 ran), reports errors in its own words with line numbers, and lexes
//! context-sensitively; owning the parser makes all three faithful and keeps it panic-free
//! under fuzzing.

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

//! `test`, `[` and the operators of `[[ ]]`: string, integer and file tests.
//!
//! Files are looked up through the lab ([`Sys::stat`]) so that `/proc/sys/net/...`,
//! `/run/netns/NAME` and `/etc/netns` answer as the lab has them; attributes the lab does not
//! model (permissions, sizes, times) come from the real file system for real paths.
//!
//! Reference: test(1), bash(1) "CONDITIONAL EXPRESSIONS", POSIX XCU test.

use std::collections::BTreeMap;
use std::path::Path;

use tsunagi_lab::{FileRef, NsId, Sys, VPath};

/// What file tests need to know.
pub struct Tester<'a> {
    pub sys: &'a Sys,
    pub cwd: &'a Path,
    pub netns: NsId,
    pub fds: &'a BTreeMap<u32, FileRef>,
}

/// Parses an integer as `test` does (blanks around it allowed).
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_matches(|c| c == ' ' || c == '\t' || c == '\n');
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut v: i64 = 0;
    for c in digits.chars() {
        v = v.wrapping_mul(10).wrapping_add(i64::from(c as u8 - b'0'));
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

impl Tester<'_> {
    fn real_meta(&self, path: &str, follow: bool) -> Option<std::fs::Metadata> {
        match VPath::resolve(self.cwd, path) {
            VPath::Real(p) => {
                if follow {
                    std::fs::metadata(p).ok()
                } else {
                    std::fs::symlink_metadata(p).ok()
                }
            }
            _ => None,
        }
    }

    fn is_real(&self, path: &str) -> bool {
        matches!(VPath::resolve(self.cwd, path), VPath::Real(_))
    }

    /// A unary test (`-f x`, `-z s`, ...).
    pub fn unary(&self, op: &str, arg: &str) -> bool {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let stat = || {
            if arg.is_empty() {
                None
            } else {
                self.sys.stat(self.cwd, arg, self.netns)
            }
        };
        match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-e" | "-a" => stat().is_some(),
            "-f" => {
                if self.is_real(arg) {
                    self.real_meta(arg, true).is_some_and(|m| m.is_file())
                } else {
                    stat() == Some(false) && !matches!(VPath::resolve(self.cwd, arg), VPath::Null)
                }
            }
            "-d" => stat() == Some(true),
            "-s" => {
                if self.is_real(arg) {
                    self.real_meta(arg, true).is_some_and(|m| m.len() > 0)
                } else {
                    stat().is_some()
                }
            }
            "-r" | "-w" => stat().is_some(),
            "-x" => {
                if self.is_real(arg) {
                    self.real_meta(arg, true)
                        .is_some_and(|m| m.is_dir() || m.mode() & 0o111 != 0)
                } else {
                    stat() == Some(true)
                }
            }
            "-L" | "-h" => self
                .real_meta(arg, false)
                .is_some_and(|m| m.file_type().is_symlink()),
            "-p" => self
                .real_meta(arg, true)
                .is_some_and(|m| m.file_type().is_fifo()),
            "-S" => self
                .real_meta(arg, true)
                .is_some_and(|m| m.file_type().is_socket()),
            "-b" => self
                .real_meta(arg, true)
                .is_some_and(|m| m.file_type().is_block_device()),
            "-c" => {
                matches!(VPath::resolve(self.cwd, arg), VPath::Null)
                    || self
                        .real_meta(arg, true)
                        .is_some_and(|m| m.file_type().is_char_device())
            }
            "-g" => self
                .real_meta(arg, true)
                .is_some_and(|m| m.mode() & 0o2000 != 0),
            "-u" => self
                .real_meta(arg, true)
                .is_some_and(|m| m.mode() & 0o4000 != 0),
            "-k" => self
                .real_meta(arg, true)
                .is_some_and(|m| m.mode() & 0o1000 != 0),
            "-O" | "-G" => stat().is_some(),
            "-N" => false,
            "-t" => parse_int(arg)
                .and_then(|n| u32::try_from(n).ok())
                .and_then(|n| self.fds.get(&n))
                .is_some_and(|f| f.is_terminal()),
            _ => false,
        }
    }

    /// A binary test; `Err` holds the message (`x: integer expression expected`).
    pub fn binary(&self, a: &str, op: &str, b: &str) -> Result<bool, String> {
        use std::os::unix::fs::MetadataExt;
        let int = |s: &str| parse_int(s).ok_or_else(|| format!("{s}: integer expression expected"));
        Ok(match op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a < b,
            ">" => a > b,
            "-eq" => int(a)? == int(b)?,
            "-ne" => int(a)? != int(b)?,
            "-lt" => int(a)? < int(b)?,
            "-le" => int(a)? <= int(b)?,
            "-gt" => int(a)? > int(b)?,
            "-ge" => int(a)? >= int(b)?,
            "-nt" | "-ot" => {
                let ma = self.real_meta(a, true).and_then(|m| m.modified().ok());
                let mb = self.real_meta(b, true).and_then(|m| m.modified().ok());
                match (ma, mb, op) {
                    (Some(x), Some(y), "-nt") => x > y,
                    (Some(x), Some(y), _) => x < y,
                    (Some(_), None, "-nt") => true,
                    (None, Some(_), "-ot") => true,
                    _ => false,
                }
            }
            "-ef" => {
                let ma = self.real_meta(a, true);
                let mb = self.real_meta(b, true);
                match (ma, mb) {
                    (Some(x), Some(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
                    _ => false,
                }
            }
            _ => return Err(format!("{op}: binary operator expected")),
        })
    }

    fn is_binary_op(op: &str) -> bool {
        matches!(
            op,
            "=" | "=="
                | "!="
                | "<"
                | ">"
                | "-eq"
                | "-ne"
                | "-lt"
                | "-le"
                | "-gt"
                | "-ge"
                | "-nt"
                | "-ot"
                | "-ef"
        )
    }

    /// The `test` command over its arguments (without `test`, or `[` and `]`).
    pub fn test(&self, args: &[String]) -> Result<bool, String> {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        self.posix(&a)
    }

    fn posix(&self, a: &[&str]) -> Result<bool, String> {
        match a.len() {
            0 => Ok(false),
            1 => Ok(!a[0].is_empty()),
            2 => {
                if a[0] == "!" {
                    return Ok(a[1].is_empty());
                }
                if crate::parser::is_unary_test(a[0]) && a[0] != "-o" && a[0] != "-v" {
                    return Ok(self.unary(a[0], a[1]));
                }
                if a[0] == "-v" {
                    return Ok(false);
                }
                Err(format!("{}: unary operator expected", a[0]))
            }
            3 => {
                if Self::is_binary_op(a[1]) {
                    return self.binary(a[0], a[1], a[2]);
                }
                if a[1] == "-a" {
                    return Ok(!a[0].is_empty() && !a[2].is_empty());
                }
                if a[1] == "-o" {
                    return Ok(!a[0].is_empty() || !a[2].is_empty());
                }
                if a[0] == "!" {
                    return Ok(!self.posix(&a[1..])?);
                }
                if a[0] == "(" && a[2] == ")" {
                    return Ok(!a[1].is_empty());
                }
                Err(format!("{}: binary operator expected", a[1]))
            }
            4 => {
                if a[0] == "!" {
                    return Ok(!self.posix(&a[1..])?);
                }
                if a[0] == "(" && a[3] == ")" {
                    return self.posix(&a[1..3]);
                }
                self.full(a)
            }
            _ => self.full(a),
        }
    }

    fn full(&self, a: &[&str]) -> Result<bool, String> {
        let mut p = Full { t: self, a, i: 0 };
        let v = p.or()?;
        if p.i < a.len() {
            return Err("too many arguments".to_string());
        }
        Ok(v)
    }
}

struct Full<'a, 'b> {
    t: &'a Tester<'b>,
    a: &'a [&'a str],
    i: usize,
}

impl Full<'_, '_> {
    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.a.get(self.i) == Some(&"-o") {
            self.i += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }
    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.a.get(self.i) == Some(&"-a") {
            self.i += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }
    fn not(&mut self) -> Result<bool, String> {
        if self.a.get(self.i) == Some(&"!") {
            self.i += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<bool, String> {
        let Some(&x) = self.a.get(self.i) else {
            return Err("argument expected".to_string());
        };
        if x == "(" {
            self.i += 1;
            let v = self.or()?;
            if self.a.get(self.i) != Some(&")") {
                return Err("`)' expected".to_string());
            }
            self.i += 1;
            return Ok(v);
        }
        if let Some(&op) = self.a.get(self.i + 1) {
            if Tester::is_binary_op(op) {
                if let Some(&y) = self.a.get(self.i + 2) {
                    self.i += 3;
                    return self.t.binary(x, op, y);
                }
            }
        }
        if crate::parser::is_unary_test(x) && x != "-a" && x != "-o" {
            if let Some(&y) = self.a.get(self.i + 1) {
                self.i += 2;
                return Ok(self.t.unary(x, y));
            }
        }
        self.i += 1;
        Ok(!x.is_empty())
    }
}

//! Word expansion, in bash's order: brace expansion; tilde, parameter and arithmetic
//! expansion and command substitution (left to right); field splitting on IFS; pathname
//! expansion; quote removal.
//!
//! Expansion first produces [`Piece`]s of text that remember whether they were quoted and
//! whether they came from an unquoted expansion (only those are split); `"$@"` leaves field
//! breaks between its parameters. Fields are then split and globbed. Errors are reported
//! here with bash's words and turn into control flow: `${x:?}` and `set -u` end a
//! non-interactive shell, an arithmetic error or a bad substitution abandons the command line.
//!
//! Reference: bash(1) "EXPANSION"; POSIX XCU 2.6.

use std::rc::Rc;

use tsunagi_lab::Pipe;

use crate::ast::*;
use crate::pattern::Pattern;
use crate::shell::{Ctl, Lbf, Shell};
use crate::state::Mode;

/// A piece of expanded text.
#[derive(Clone, Debug)]
pub(crate) enum Piece {
    Text {
        s: String,
        /// Quoted: literal for globbing, never split.
        quoted: bool,
        /// From an unquoted expansion: subject to field splitting.
        split: bool,
    },
    /// A field boundary (between the parameters of `"$@"`).
    Break,
}

fn text(s: String, quoted: bool, split: bool) -> Piece {
    Piece::Text { s, quoted, split }
}

/// The values a parameter expands to.
struct Values {
    vals: Vec<String>,
    /// `$@`, `$*`, `${a[@]}`, `${a[*]}`: a list rather than one value.
    list: bool,
    /// `*` rather than `@`.
    star: bool,
    /// The parameter is set (for a list: has elements).
    set: bool,
}

impl Shell {
    /// Full expansion of words into fields.
    pub(crate) async fn expand_words(&mut self, words: &[Word]) -> Result<Vec<String>, Ctl> {
        let mut out = Vec::new();
        for w in words {
            for bw in brace_expand(w) {
                let pieces = self.pieces(&bw.parts, false, true).await?;
                for f in self.split_fields(pieces) {
                    self.glob_field(f, &mut out);
                }
            }
        }
        Ok(out)
    }

    /// The words of a simple command. Declaration builtins (`local x=$y`) take their
    /// assignment arguments as one field each, unsplit.
    pub(crate) async fn expand_command_words(
        &mut self,
        words: &[Word],
    ) -> Result<Vec<String>, Ctl> {
        let decl = words
            .first()
            .and_then(|w| w.as_literal())
            .is_some_and(|s| matches!(s, "local" | "declare" | "typeset" | "export" | "readonly"));
        if !decl {
            return self.expand_words(words).await;
        }
        let mut out = Vec::new();
        for w in words {
            if crate::parser::split_assignment(w).is_some() {
                out.push(self.expand_string(w).await?);
            } else {
                out.extend(self.expand_words(std::slice::from_ref(w)).await?);
            }
        }
        Ok(out)
    }

    /// Expansion without field splitting or globbing (assignments, `case`, `[[ ]]`).
    pub(crate) async fn expand_string(&mut self, w: &Word) -> Result<String, Ctl> {
        let pieces = self.pieces(&w.parts, false, true).await?;
        Ok(join_pieces(&pieces))
    }

    /// The value of an assignment word.
    pub(crate) async fn expand_assign_word(&mut self, w: &Word) -> Result<String, Ctl> {
        self.expand_string(w).await
    }

    /// A pattern: quoted parts match literally.
    pub(crate) async fn expand_pattern(&mut self, w: &Word) -> Result<Pattern, Ctl> {
        let pieces = self.pieces(&w.parts, false, true).await?;
        let segs: Vec<(String, bool)> = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text { s, quoted, .. } => (s, quoted),
                Piece::Break => (" ".to_string(), true),
            })
            .collect();
        Ok(Pattern::new(&segs))
    }

    /// A pattern as `set -x` shows it: quoted characters escaped with backslashes.
    pub(crate) async fn pattern_text(&mut self, w: &Word) -> Result<String, Ctl> {
        let pieces = self.pieces(&w.parts, false, true).await?;
        let mut out = String::new();
        for p in pieces {
            if let Piece::Text { s, quoted, .. } = p {
                for c in s.chars() {
                    if quoted {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
        Ok(out)
    }

    /// The right side of `=~`: quoted parts match literally.
    pub(crate) async fn expand_regex_word(&mut self, w: &Word) -> Result<String, Ctl> {
        let pieces = self.pieces(&w.parts, false, true).await?;
        let mut out = String::new();
        for p in pieces {
            if let Piece::Text { s, quoted, .. } = p {
                if quoted {
                    for c in s.chars() {
                        if "\\.[]()*+?{}|^$".contains(c) {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                } else {
                    out.push_str(&s);
                }
            }
        }
        Ok(out)
    }

    /// The text of an arithmetic expression after expansion.
    pub(crate) async fn expand_arith_text(&mut self, w: &Word) -> Result<String, Ctl> {
        let pieces = self.pieces(&w.parts, true, false).await?;
        Ok(join_pieces(&pieces))
    }

    /// A here-document body (unquoted delimiter): parameter, command and arithmetic
    /// expansion, backslash escapes.
    pub(crate) async fn expand_heredoc(&mut self, body: &str, line: u32) -> Result<String, Ctl> {
        match crate::parser::parse_heredoc_body(body, line) {
            Ok(w) => {
                let pieces = self.pieces(&w.parts, true, false).await?;
                Ok(join_pieces(&pieces))
            }
            Err(_) => Ok(body.to_string()),
        }
    }

    /// Expands word parts into pieces. `in_dq`: inside double quotes; `tilde`: a leading `~`
    /// is expanded.
    pub(crate) fn pieces<'a>(
        &'a mut self,
        parts: &'a [WordPart],
        in_dq: bool,
        tilde: bool,
    ) -> Lbf<'a, Result<Vec<Piece>, Ctl>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                match part {
                    WordPart::Lit(s) => {
                        if i == 0 && tilde && !in_dq && s.starts_with('~') {
                            let end = s.find('/').unwrap_or(s.len());
                            let user = &s[1..end];
                            let home = match user {
                                "" => self.st.get("HOME"),
                                "+" => self.st.get("PWD"),
                                "-" => self.st.get("OLDPWD"),
                                "root" => Some("/root".to_string()),
                                _ => None,
                            };
                            // `~` followed by a quoted part (`~"x"`) is not a tilde prefix.
                            let next_quoted = end == s.len() && parts.len() > 1;
                            match home {
                                Some(h) if !next_quoted => {
                                    out.push(text(h, true, false));
                                    out.push(text(s[end..].to_string(), false, false));
                                }
                                _ => out.push(text(s.clone(), false, false)),
                            }
                        } else {
                            out.push(text(s.clone(), in_dq, false));
                        }
                    }
                    WordPart::Quoted(s) => out.push(text(s.clone(), true, false)),
                    WordPart::Double(inner) => {
                        let sub = self.pieces(inner, true, false).await?;
                        if sub.is_empty() && !has_at(inner) {
                            out.push(text(String::new(), true, false));
                        }
                        out.extend(sub);
                    }
                    WordPart::Param(pe) => {
                        let p = self.param_pieces(pe, in_dq).await?;
                        out.extend(p);
                    }
                    WordPart::Command(ast) => {
                        let s = self.command_subst(ast.clone()).await?;
                        out.push(text(s, in_dq, !in_dq));
                    }
                    WordPart::ProcSubst { output, ast } => {
                        let path = self.proc_subst(*output, ast.clone());
                        out.push(text(path, true, false));
                    }
                    WordPart::Arith(w) => {
                        let t = self.expand_arith_text(w).await?;
                        let v = self.arith(&t)?;
                        out.push(text(v.to_string(), in_dq, !in_dq));
                    }
                }
            }
            Ok(out)
        })
    }

    /// Runs `$(...)` in a forked child and gives its output without trailing newlines.
    pub(crate) async fn command_subst(&mut self, ast: Rc<Ast>) -> Result<String, Ctl> {
        if self.st.sandbox {
            return Ok(String::new());
        }
        // `$(< file)`: the file's content, without running anything.
        if let Some(target) = lone_input_redirect(&ast) {
            let path = self.expand_string(&target).await?;
            let sys = self.proc.sys.clone();
            let data = match sys.open(
                &self.st.cwd,
                &path,
                tsunagi_lab::OpenMode::READ,
                self.proc.netns,
            ) {
                Ok(f) => f.read_to_end().await.unwrap_or_default(),
                Err(e) => {
                    self.error(&format!("{path}: {e}"));
                    self.st.status = 1;
                    self.last_subst_status = Some(1);
                    return Ok(String::new());
                }
            };
            self.st.status = 0;
            self.last_subst_status = Some(0);
            let mut s = String::from_utf8_lossy(&data).into_owned();
            while s.ends_with('\n') {
                s.pop();
            }
            return Ok(s);
        }
        let (r, w) = Pipe::new_pair();
        let mut fds = self.st.fds.clone();
        fds.insert(1, w);
        let pid = self.fork_with(fds, move |mut sh| {
            Box::pin(async move {
                sh.st.trace_level += 1;
                let mut res = Ok(());
                for list in &ast.commands {
                    match sh.run_list(list).await {
                        Ok(()) | Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => {}
                        Err(Ctl::Abort) | Err(Ctl::Return) => {
                            res = Err(Ctl::Exit);
                            break;
                        }
                        Err(e) => {
                            res = Err(e);
                            break;
                        }
                    }
                }
                sh.finish(res).await
            })
        });
        let data = r.read_to_end().await.unwrap_or_default();
        drop(r);
        let st = self.proc.wait(pid).await;
        self.st.status = st.code();
        self.last_subst_status = Some(st.code());
        let mut s = String::from_utf8_lossy(&data).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        Ok(s)
    }

    /// Starts `<(...)`/`>(...)`: a forked child writing to (reading from) a pipe whose other
    /// end the next command gets as descriptor N; gives `/dev/fd/N`.
    fn proc_subst(&mut self, output: bool, ast: Rc<Ast>) -> String {
        if self.st.sandbox {
            return "/dev/fd/63".to_string();
        }
        let (r, w) = Pipe::new_pair();
        let mut fds = self.st.fds.clone();
        let mine = if output {
            fds.insert(0, r);
            w
        } else {
            fds.insert(1, w);
            r
        };
        let pid = self.fork_with(fds, move |mut sh| {
            Box::pin(async move {
                let mut res = Ok(());
                for list in &ast.commands {
                    match sh.run_list(list).await {
                        Ok(()) | Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => {}
                        Err(e) => {
                            res = Err(e);
                            break;
                        }
                    }
                }
                let res = match res {
                    Err(Ctl::Abort) | Err(Ctl::Return) => Err(Ctl::Exit),
                    other => other,
                };
                sh.finish(res).await
            })
        });
        self.st.last_bg = Some(pid);
        let n = 63 - self.procsubs.len() as u32;
        self.procsubs.push((n, mine));
        format!("/dev/fd/{n}")
    }

    /// A special parameter or a variable's scalar value.
    pub(crate) fn special_or_var(&mut self, name: &str) -> Option<String> {
        Some(match name {
            "?" => self.st.status.to_string(),
            "#" => self.st.positional.len().to_string(),
            "$" => self.st.shell_pid.0.to_string(),
            "!" => return self.st.last_bg.map(|p| p.0.to_string()),
            "-" => self.st.opts.flags(self.st.mode == Mode::Interactive),
            "0" => self.st.arg0.clone(),
            "@" | "*" => {
                let sep = self
                    .st
                    .ifs()
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default();
                self.st
                    .positional
                    .join(if name == "*" { &sep } else { " " })
            }
            n if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                return self.st.positional.get(i.checked_sub(1)?).cloned();
            }
            "RANDOM" => (self.proc.sys.random_u32() % 32768).to_string(),
            "LINENO" => self.st.lineno.to_string(),
            "SECONDS" => self
                .proc
                .now()
                .as_nanos()
                .div_euclid(1_000_000_000)
                .to_string(),
            "BASHPID" => self.proc.pid.0.to_string(),
            "BASH_SUBSHELL" => self.st.subshell.to_string(),
            _ => return self.st.get(name),
        })
    }

    fn fatal(&self) -> Ctl {
        if self.st.mode == Mode::Interactive && self.st.subshell == 0 {
            Ctl::Abort
        } else {
            Ctl::Exit
        }
    }

    async fn param_values(&mut self, pe: &ParamExp) -> Result<Values, Ctl> {
        let mut name = pe.name.clone();
        let mut index = pe.index.clone();
        // `${!a[@]}`: the indices of an array.
        let all = index
            .as_ref()
            .and_then(|w| w.as_literal())
            .is_some_and(|s| s == "@" || s == "*");
        if pe.indirect && all {
            let keys = self.st.keys(&name);
            let set = !keys.is_empty();
            let star = index.as_ref().and_then(|w| w.as_literal()) == Some("*");
            return Ok(Values {
                vals: keys,
                list: true,
                star,
                set,
            });
        }
        if pe.indirect {
            let target = self.special_or_var(&name).unwrap_or_default();
            if let Some((n, i)) = target.split_once('[') {
                name = n.to_string();
                index = Some(Word::lit(i.trim_end_matches(']')));
            } else {
                name = target;
            }
            if name.is_empty()
                || !(crate::parser::is_name(&name)
                    || name.chars().all(|c| c.is_ascii_digit())
                    || "@*#?$!-".contains(name.as_str()))
            {
                self.error(&format!("{}: invalid indirect expansion", pe.name));
                self.st.status = 1;
                return Err(Ctl::Abort);
            }
        }
        if name == "@" || name == "*" {
            let vals = self.st.positional.clone();
            let set = !vals.is_empty();
            return Ok(Values {
                vals,
                list: true,
                star: name == "*",
                set,
            });
        }
        if let Some(iw) = index {
            let lit = iw.as_literal().map(str::to_string);
            if lit.as_deref() == Some("@") || lit.as_deref() == Some("*") {
                let vals = self.st.array(&name);
                let set = !vals.is_empty();
                return Ok(Values {
                    vals,
                    list: true,
                    star: lit.as_deref() == Some("*"),
                    set,
                });
            }
            let v = if self.st.is_assoc(&name) {
                let key = self.expand_string(&iw).await?;
                self.st.assoc_get(&name, &key)
            } else {
                let t = self.expand_arith_text(&iw).await?;
                let i = self.arith(&t)?;
                self.st.array_get(&name, i)
            };
            return Ok(Values {
                set: v.is_some(),
                vals: v.into_iter().collect(),
                list: false,
                star: false,
            });
        }
        let v = self.special_or_var(&name);
        Ok(Values {
            set: v.is_some(),
            vals: v.into_iter().collect(),
            list: false,
            star: false,
        })
    }

    fn param_pieces<'a>(
        &'a mut self,
        pe: &'a ParamExp,
        in_dq: bool,
    ) -> Lbf<'a, Result<Vec<crate::expand::Piece>, Ctl>> {
        Box::pin(async move {
            if let ParamOp::Bad = pe.op {
                self.error(&format!("{}: bad substitution", pe.name));
                self.st.status = 1;
                return Err(Ctl::Abort);
            }
            let v = self.param_values(pe).await?;
            // `set -u`
            let checks_unset = !matches!(pe.op, ParamOp::Default { .. });
            if checks_unset && !v.set && !v.list && self.st.opts.nounset {
                let shown = if pe.index.is_some() {
                    format!(
                        "{}[{}]",
                        pe.name,
                        pe.index
                            .as_ref()
                            .map(crate::shell::word_source)
                            .unwrap_or_default()
                    )
                } else {
                    pe.name.clone()
                };
                if self.dash() {
                    self.error(&format!("{shown}: parameter not set"));
                } else {
                    self.error(&format!("{shown}: unbound variable"));
                }
                self.st.status = 1;
                return Err(self.fatal());
            }
            let mut vals = v.vals;
            match &pe.op {
                ParamOp::Plain | ParamOp::Bad => {}
                ParamOp::Length => {
                    let n = if v.list {
                        vals.len()
                    } else {
                        vals.first().map(|s| s.chars().count()).unwrap_or(0)
                    };
                    return Ok(vec![text(n.to_string(), in_dq, !in_dq)]);
                }
                ParamOp::Default { colon, kind, word } => {
                    let empty = if v.list {
                        !v.set || (*colon && vals.iter().all(|s| s.is_empty()))
                    } else {
                        !v.set || (*colon && vals.first().is_none_or(|s| s.is_empty()))
                    };
                    match kind {
                        DefaultKind::Use => {
                            if empty {
                                return self.pieces(&word.parts, in_dq, true).await;
                            }
                        }
                        DefaultKind::Alternative => {
                            if empty {
                                return Ok(Vec::new());
                            }
                            return self.pieces(&word.parts, in_dq, true).await;
                        }
                        DefaultKind::Assign => {
                            if empty {
                                let s = self.expand_string(word).await?;
                                if !crate::parser::is_name(&pe.name) || pe.indirect {
                                    self.error(&format!("${}: cannot assign in this way", pe.name));
                                    self.st.status = 1;
                                    return Err(Ctl::Abort);
                                }
                                if let Err(m) = self.st.set(&pe.name, s.clone()) {
                                    self.error(&m);
                                    self.st.status = 1;
                                    return Err(Ctl::Abort);
                                }
                                return Ok(vec![text(s, in_dq, !in_dq)]);
                            }
                        }
                        DefaultKind::Error => {
                            if empty {
                                let msg = if word.parts.is_empty() {
                                    if *colon {
                                        "parameter null or not set".to_string()
                                    } else {
                                        "parameter not set".to_string()
                                    }
                                } else {
                                    self.expand_string(word).await?
                                };
                                self.error(&format!("{}: {msg}", pe.name));
                                self.st.status = 1;
                                return Err(self.fatal());
                            }
                        }
                    }
                }
                ParamOp::Trim {
                    suffix,
                    longest,
                    pattern,
                } => {
                    let pat = self.expand_pattern(pattern).await?;
                    for s in vals.iter_mut() {
                        *s = if *suffix {
                            pat.strip_suffix(s, *longest).to_string()
                        } else {
                            pat.strip_prefix(s, *longest).to_string()
                        };
                    }
                }
                ParamOp::Replace {
                    mode,
                    pattern,
                    with,
                } => {
                    let pat = self.expand_pattern(pattern).await?;
                    let rep = self.pieces(&with.parts, false, false).await?;
                    let rep: Vec<(String, bool)> = rep
                        .into_iter()
                        .filter_map(|p| match p {
                            Piece::Text { s, quoted, .. } => Some((s, quoted)),
                            Piece::Break => None,
                        })
                        .collect();
                    for s in vals.iter_mut() {
                        *s = replace(s, &pat, &rep, *mode);
                    }
                }
                ParamOp::Substring { offset, length } => {
                    let ot = self.expand_arith_text(offset).await?;
                    let off = self.arith(&ot)?;
                    let len = match length {
                        Some(l) => {
                            let lt = self.expand_arith_text(l).await?;
                            Some(self.arith(&lt)?)
                        }
                        None => None,
                    };
                    if v.list {
                        // Positional parameters count from $0.
                        let mut items = vals.clone();
                        let positional = pe.name == "@" || pe.name == "*";
                        if positional {
                            items.insert(0, self.st.arg0.clone());
                        }
                        let n = items.len() as i64;
                        let mut start = if off < 0 { n + off } else { off };
                        if positional && off < 0 && start < 1 {
                            start = if start < 0 { n } else { start };
                        }
                        let start = start.clamp(0, n);
                        let end = match len {
                            None => n,
                            Some(l) if l < 0 => {
                                self.error(&format!("{}: substring expression < 0", l));
                                self.st.status = 1;
                                return Err(Ctl::Abort);
                            }
                            Some(l) => (start + l).min(n),
                        };
                        vals = items[start as usize..end.max(start) as usize].to_vec();
                    } else {
                        for s in vals.iter_mut() {
                            let chars: Vec<char> = s.chars().collect();
                            let n = chars.len() as i64;
                            let start = if off < 0 { n + off } else { off };
                            if start < 0 || start > n {
                                *s = String::new();
                                continue;
                            }
                            let end = match len {
                                None => n,
                                Some(l) if l < 0 => n + l,
                                Some(l) => (start + l).min(n),
                            };
                            if end < start {
                                self.error(&format!("{}: substring expression < 0", end - start));
                                self.st.status = 1;
                                return Err(Ctl::Abort);
                            }
                            *s = chars[start as usize..end as usize].iter().collect();
                        }
                    }
                }
                ParamOp::Case { upper, all } => {
                    for s in vals.iter_mut() {
                        let mut out = String::new();
                        for (i, c) in s.chars().enumerate() {
                            if *all || i == 0 {
                                if *upper {
                                    out.extend(c.to_uppercase());
                                } else {
                                    out.extend(c.to_lowercase());
                                }
                            } else {
                                out.push(c);
                            }
                        }
                        *s = out;
                    }
                }
            }
            Ok(self.values_to_pieces(vals, v.list, v.star, in_dq))
        })
    }

    fn values_to_pieces(
        &self,
        vals: Vec<String>,
        list: bool,
        star: bool,
        in_dq: bool,
    ) -> Vec<Piece> {
        if !list {
            return vals.into_iter().map(|s| text(s, in_dq, !in_dq)).collect();
        }
        if in_dq && star {
            let ifs = self.st.ifs();
            let sep = ifs.chars().next().map(String::from).unwrap_or_default();
            return vec![text(vals.join(&sep), true, false)];
        }
        let mut out = Vec::new();
        for (i, s) in vals.into_iter().enumerate() {
            if i > 0 {
                out.push(Piece::Break);
            }
            out.push(text(s, in_dq, !in_dq));
        }
        out
    }

    /// Splits pieces into fields on IFS; each field keeps which of its text was quoted.
    pub(crate) fn split_fields(&self, pieces: Vec<Piece>) -> Vec<Vec<(String, bool)>> {
        let ifs = self.st.ifs();
        let ws: Vec<char> = ifs
            .chars()
            .filter(|c| matches!(c, ' ' | '\t' | '\n'))
            .collect();
        let other: Vec<char> = ifs
            .chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\n'))
            .collect();
        let mut fields = Vec::new();
        let mut cur: Vec<(String, bool)> = Vec::new();
        let mut has = false;
        // The previous field ended at IFS whitespace (so a following non-blank IFS character
        // does not make an empty field).
        let mut after_ws = false;
        for p in pieces {
            match p {
                Piece::Break => {
                    if has {
                        fields.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    has = false;
                    after_ws = false;
                }
                Piece::Text { s, quoted, split } => {
                    if !split || quoted || ifs.is_empty() {
                        if quoted || !s.is_empty() {
                            has = true;
                            after_ws = false;
                        }
                        push_seg(&mut cur, &s, quoted);
                        continue;
                    }
                    for c in s.chars() {
                        if ws.contains(&c) {
                            if has {
                                fields.push(std::mem::take(&mut cur));
                                has = false;
                                after_ws = true;
                            }
                        } else if other.contains(&c) {
                            if has || !after_ws {
                                fields.push(std::mem::take(&mut cur));
                            }
                            has = false;
                            after_ws = false;
                        } else {
                            let mut b = [0u8; 4];
                            push_seg(&mut cur, c.encode_utf8(&mut b), false);
                            has = true;
                            after_ws = false;
                        }
                    }
                }
            }
        }
        if has {
            fields.push(cur);
        }
        fields
    }

    /// Pathname expansion of one field.
    pub(crate) fn glob_field(&self, field: Vec<(String, bool)>, out: &mut Vec<String>) {
        let plain: String = field.iter().map(|(s, _)| s.as_str()).collect();
        let active =
            !self.st.opts.noglob && field.iter().any(|(s, q)| !q && s.contains(['*', '?', '[']));
        if !active {
            out.push(plain);
            return;
        }
        let matches = self.glob(&field);
        if matches.is_empty() {
            if !self.st.opts.nullglob {
                out.push(plain);
            }
        } else {
            out.extend(matches);
        }
    }

    fn glob(&self, field: &[(String, bool)]) -> Vec<String> {
        // Split into path components, keeping quotedness.
        let mut comps: Vec<Vec<(String, bool)>> = vec![Vec::new()];
        for (s, q) in field {
            let mut first = true;
            for part in s.split('/') {
                if !first {
                    comps.push(Vec::new());
                }
                first = false;
                if !part.is_empty() {
                    if let Some(c) = comps.last_mut() {
                        c.push((part.to_string(), *q));
                    }
                }
            }
        }
        let absolute = field.first().is_some_and(|(s, _)| s.starts_with('/'));
        let mut paths: Vec<String> = vec![if absolute { "/".into() } else { String::new() }];
        let n = comps.len();
        for (ci, comp) in comps.iter().enumerate() {
            if comp.is_empty() {
                if ci + 1 == n && ci > 0 {
                    // A trailing slash: keep only directories.
                    paths.retain(|p| {
                        self.proc
                            .sys
                            .stat(&self.st.cwd, p, self.proc.netns)
                            .unwrap_or(false)
                    });
                    for p in paths.iter_mut() {
                        p.push('/');
                    }
                }
                continue;
            }
            let pat = Pattern::new(comp);
            let last = ci + 1 == n;
            let mut next = Vec::new();
            for base in &paths {
                let join = |name: &str| {
                    if base.is_empty() {
                        name.to_string()
                    } else if base.ends_with('/') {
                        format!("{base}{name}")
                    } else {
                        format!("{base}/{name}")
                    }
                };
                if let Some(lit) = pat.as_literal() {
                    next.push(join(&lit));
                    continue;
                }
                let dir = if base.is_empty() { "." } else { base.as_str() };
                let Ok(entries) = self.proc.sys.read_dir(&self.st.cwd, dir, self.proc.netns) else {
                    continue;
                };
                let dot_ok =
                    self.st.opts.dotglob || comp.first().is_some_and(|(s, _)| s.starts_with('.'));
                let mut names: Vec<String> = entries
                    .into_iter()
                    .filter(|e| dot_ok || !e.name.starts_with('.'))
                    .filter(|e| e.name != "." && e.name != "..")
                    .filter(|e| pat.matches(&e.name))
                    .filter(|e| last || e.is_dir)
                    .map(|e| e.name)
                    .collect();
                names.sort();
                next.extend(names.into_iter().map(|nm| join(&nm)));
            }
            paths = next;
        }
        // Literal components must exist.
        paths.retain(|p| {
            self.proc
                .sys
                .stat(&self.st.cwd, p, self.proc.netns)
                .is_some()
        });
        paths
    }
}

/// The target of `$(< file)`: a command substitution that is one lone `<` redirection.
fn lone_input_redirect(ast: &Ast) -> Option<Word> {
    let [list] = ast.commands.as_slice() else {
        return None;
    };
    let [item] = list.items.as_slice() else {
        return None;
    };
    if item.background || !item.and_or.rest.is_empty() || item.and_or.first.bang {
        return None;
    }
    let [cmd] = item.and_or.first.commands.as_slice() else {
        return None;
    };
    let CommandKind::Simple { assigns, words } = &cmd.kind else {
        return None;
    };
    if !assigns.is_empty() || !words.is_empty() {
        return None;
    }
    match cmd.redirs.as_slice() {
        [Redir {
            fd: None,
            op: RedirOp::In,
            target: RedirTarget::Word(w),
        }] => Some(w.clone()),
        _ => None,
    }
}

fn push_seg(cur: &mut Vec<(String, bool)>, s: &str, quoted: bool) {
    if let Some((last, q)) = cur.last_mut() {
        if *q == quoted {
            last.push_str(s);
            return;
        }
    }
    cur.push((s.to_string(), quoted));
}

fn join_pieces(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        match p {
            Piece::Text { s: t, .. } => s.push_str(t),
            Piece::Break => s.push(' '),
        }
    }
    s
}

/// True if the parts hold `$@` or `${a[@]}` (which may expand to no field at all).
fn has_at(parts: &[WordPart]) -> bool {
    parts.iter().any(|p| match p {
        WordPart::Param(pe) => {
            (pe.name == "@" && pe.index.is_none())
                || pe.index.as_ref().and_then(|w| w.as_literal()) == Some("@")
        }
        _ => false,
    })
}

/// `${x/pat/rep}`: an unquoted `&` in the replacement stands for the match (bash 5.2).
fn replace(s: &str, pat: &Pattern, rep: &[(String, bool)], mode: ReplaceMode) -> String {
    let chars: Vec<char> = s.chars().collect();
    let render = |m: &str| -> String {
        let mut out = String::new();
        for (t, q) in rep {
            if *q {
                out.push_str(t);
                continue;
            }
            let mut it = t.chars().peekable();
            while let Some(c) = it.next() {
                match c {
                    '\\' if it.peek() == Some(&'&') => {
                        out.push('&');
                        it.next();
                    }
                    '&' => out.push_str(m),
                    _ => out.push(c),
                }
            }
        }
        out
    };
    let (anchor_start, anchor_end) = match mode {
        ReplaceMode::Prefix => (true, false),
        ReplaceMode::Suffix => (false, true),
        _ => (false, false),
    };
    if matches!(mode, ReplaceMode::Prefix | ReplaceMode::Suffix) {
        // Longest match anchored at one end.
        let found = if anchor_start {
            (0..=chars.len())
                .rev()
                .find(|&e| pat.matches(&chars[..e].iter().collect::<String>()))
                .map(|e| (0, e))
        } else {
            (0..=chars.len())
                .find(|&st| pat.matches(&chars[st..].iter().collect::<String>()))
                .map(|st| (st, chars.len()))
        };
        return match found {
            Some((a, b)) => {
                let m: String = chars[a..b].iter().collect();
                let pre: String = chars[..a].iter().collect();
                let post: String = chars[b..].iter().collect();
                format!("{pre}{}{post}", render(&m))
            }
            None => s.to_string(),
        };
    }
    let mut out = String::new();
    let mut i = 0;
    let mut done = false;
    while i <= chars.len() {
        if done {
            out.extend(&chars[i..]);
            break;
        }
        match pat.find(&chars, i, anchor_start, anchor_end) {
            Some((a, b)) if b > a => {
                out.extend(&chars[i..a]);
                let m: String = chars[a..b].iter().collect();
                out.push_str(&render(&m));
                i = b;
                if mode == ReplaceMode::First {
                    done = true;
                }
            }
            _ => {
                out.extend(&chars[i..]);
                break;
            }
        }
    }
    out
}

// --- brace expansion ------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum BElem {
    Char(char),
    Part(WordPart),
}

/// Brace expansion (`{a,b}`, `{1..5}`, `{a..e..2}`) on the unquoted text of a word.
pub(crate) fn brace_expand(w: &Word) -> Vec<Word> {
    let has_brace = w
        .parts
        .iter()
        .any(|p| matches!(p, WordPart::Lit(s) if s.contains('{')));
    if !has_brace {
        return vec![w.clone()];
    }
    let mut elems = Vec::new();
    for p in &w.parts {
        match p {
            WordPart::Lit(s) => elems.extend(s.chars().map(BElem::Char)),
            other => elems.push(BElem::Part(other.clone())),
        }
    }
    let mut out = Vec::new();
    expand_elems(&elems, &mut out, 0);
    out.into_iter()
        .map(|es| {
            let mut parts: Vec<WordPart> = Vec::new();
            for e in es {
                match e {
                    BElem::Char(c) => {
                        if let Some(WordPart::Lit(s)) = parts.last_mut() {
                            s.push(c);
                        } else {
                            parts.push(WordPart::Lit(c.to_string()));
                        }
                    }
                    BElem::Part(p) => parts.push(p),
                }
            }
            Word { parts }
        })
        .filter(|w| !w.parts.is_empty())
        .collect()
}

fn expand_elems(elems: &[BElem], out: &mut Vec<Vec<BElem>>, depth: u32) {
    if depth > 32 || out.len() > 100_000 {
        out.push(elems.to_vec());
        return;
    }
    // Find the first `{` with a matching `}` that makes a valid brace expression.
    for (i, e) in elems.iter().enumerate() {
        if !matches!(e, BElem::Char('{')) {
            continue;
        }
        // `${` is a parameter expansion, not a brace.
        if i > 0 && matches!(elems[i - 1], BElem::Char('$')) {
            continue;
        }
        let mut level = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (j, e2) in elems.iter().enumerate().skip(i + 1) {
            match e2 {
                BElem::Char('{') => level += 1,
                BElem::Char('}') => {
                    if level == 0 {
                        close = Some(j);
                        break;
                    }
                    level -= 1;
                }
                BElem::Char(',') if level == 0 => commas.push(j),
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let prefix = &elems[..i];
        let suffix = &elems[close + 1..];
        let alts: Vec<Vec<BElem>> = if commas.is_empty() {
            let inner: Option<String> = elems[i + 1..close]
                .iter()
                .map(|e| match e {
                    BElem::Char(c) => Some(*c),
                    BElem::Part(_) => None,
                })
                .collect();
            match inner.as_deref().and_then(sequence) {
                Some(items) => items
                    .into_iter()
                    .map(|s| s.chars().map(BElem::Char).collect())
                    .collect(),
                None => continue,
            }
        } else {
            let mut v = Vec::new();
            let mut start = i + 1;
            for &c in commas.iter().chain(std::iter::once(&close)) {
                v.push(elems[start..c].to_vec());
                start = c + 1;
            }
            v
        };
        for alt in alts {
            let mut combined = prefix.to_vec();
            combined.extend(alt);
            combined.extend_from_slice(suffix);
            expand_elems(&combined, out, depth + 1);
        }
        return;
    }
    out.push(elems.to_vec());
}

/// `1..5`, `a..e`, `1..10..2`, `05..10`.
fn sequence(s: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = s.split("..").collect();
    if parts.len() != 2 && parts.len() != 3 {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(st) => st.parse::<i64>().ok()?.abs().max(1),
        None => 1,
    };
    if let (Ok(a), Ok(b)) = (parts[0].parse::<i64>(), parts[1].parse::<i64>()) {
        let width = if (parts[0].starts_with('0') && parts[0].len() > 1)
            || (parts[1].starts_with('0') && parts[1].len() > 1)
            || parts[0].starts_with("-0")
        {
            parts[0].len().max(parts[1].len())
        } else {
            0
        };
        let mut v = Vec::new();
        let mut x = a;
        let count = (a - b).unsigned_abs() / step as u64 + 1;
        if count > 100_000 {
            return None;
        }
        for _ in 0..count {
            v.push(if width > 0 {
                if x < 0 {
                    format!("-{:0w$}", -x, w = width - 1)
                } else {
                    format!("{x:0width$}")
                }
            } else {
                x.to_string()
            });
            x = if a <= b { x + step } else { x - step };
        }
        return Some(v);
    }
    let (ca, cb) = (parts[0], parts[1]);
    if ca.chars().count() == 1 && cb.chars().count() == 1 {
        let a = ca.chars().next()? as i64;
        let b = cb.chars().next()? as i64;
        let mut v = Vec::new();
        let mut x = a;
        loop {
            v.push(char::from_u32(x as u32)?.to_string());
            if x == b {
                break;
            }
            x = if a <= b { x + step } else { x - step };
            if (a <= b && x > b) || (a > b && x < b) {
                break;
            }
        }
        return Some(v);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let ast = crate::parse(&format!("echo {s}\n")).unwrap();
        let CommandKind::Simple { words, .. } =
            &ast.commands[0].items[0].and_or.first.commands[0].kind
        else {
            panic!()
        };
        words[1..]
            .iter()
            .flat_map(brace_expand)
            .map(|w| crate::shell::word_source(&w))
            .collect()
    }

    #[test]
    fn braces() {
        assert_eq!(words("{1..5}"), ["1", "2", "3", "4", "5"]);
        assert_eq!(words("{a,b}{c,d}"), ["ac", "ad", "bc", "bd"]);
        assert_eq!(words("x{1..10..3}"), ["x1", "x4", "x7", "x10"]);
        assert_eq!(words("{05..07}"), ["05", "06", "07"]);
        assert_eq!(words("{c..a}"), ["c", "b", "a"]);
        assert_eq!(words("{a}"), ["{a}"]);
        assert_eq!(words("{,x}"), ["x"]);
        assert_eq!(words("a{b,c{d,e}}f"), ["abf", "acdf", "acef"]);
        assert_eq!(words("${x}"), ["$x"]);
    }

    #[test]
    fn replacement_with_ampersand() {
        let rep = vec![("[&]".to_string(), false)];
        assert_eq!(
            replace("abc", &Pattern::parse("b"), &rep, ReplaceMode::First),
            "a[b]c"
        );
        let rep = vec![("<&>".to_string(), false)];
        assert_eq!(
            replace("abc", &Pattern::parse("?"), &rep, ReplaceMode::All),
            "<a><b><c>"
        );
        let rep = vec![("X".to_string(), false)];
        assert_eq!(
            replace("abc", &Pattern::parse(""), &rep, ReplaceMode::Prefix),
            "Xabc"
        );
        assert_eq!(
            replace("abc", &Pattern::parse(""), &rep, ReplaceMode::Suffix),
            "abcX"
        );
    }
}

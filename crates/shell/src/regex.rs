//! POSIX regular expressions (basic and extended, with the GNU extensions grep and sed
//! accept) translated to the `regex` crate's syntax.
//!
//! BRE: `\( \) \{ \} \| \+ \?` are the operators and their bare forms are literal; `*` at the
//! start of an expression is literal; `^`/`$` anchor only at the ends. ERE: the operators are
//! bare. Both: bracket expressions with classes (`[[:digit:]]`), `\< \> \b \B \w \W \s \S`.
//! Not supported: back-references (`\1` in a pattern), which the `regex` crate cannot match;
//! such a pattern is an error. Matching is leftmost-first rather than POSIX leftmost-longest,
//! which differs only for alternations where an earlier branch is a prefix of a later one.
//!
//! Reference: regex(7), GNU grep manual "Regular Expressions", GNU sed manual.

/// A compiled POSIX regular expression.
#[derive(Clone, Debug)]
pub struct Regex {
    re: regex::Regex,
}

impl Regex {
    /// Compiles `pat` (`extended`: ERE, else BRE).
    pub fn new(pat: &str, extended: bool, icase: bool) -> Result<Regex, String> {
        let tr = translate(pat, extended)?;
        let full = if icase {
            format!("(?s)(?i){tr}")
        } else {
            format!("(?s){tr}")
        };
        regex::Regex::new(&full)
            .map(|re| Regex { re })
            .map_err(|_| "Invalid regular expression".to_string())
    }

    /// Compiles a pattern already in the `regex` crate's syntax (see [`translate`]).
    pub fn new_translated(tr: &str, icase: bool) -> Result<Regex, String> {
        let full = if icase {
            format!("(?s)(?i){tr}")
        } else {
            format!("(?s){tr}")
        };
        regex::Regex::new(&full)
            .map(|re| Regex { re })
            .map_err(|_| "Invalid regular expression".to_string())
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.re.is_match(s)
    }

    /// The first match at or after byte `start`.
    pub fn find_at(&self, s: &str, start: usize) -> Option<(usize, usize)> {
        self.re.find_at(s, start).map(|m| (m.start(), m.end()))
    }

    /// Group spans of the first match at or after `start` (group 0 is the whole match).
    pub fn captures_at(&self, s: &str, start: usize) -> Option<Vec<Option<(usize, usize)>>> {
        let caps = self.re.captures_at(s, start)?;
        Some(
            (0..caps.len())
                .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
                .collect(),
        )
    }

    /// Group texts of the first match (for `BASH_REMATCH`).
    pub fn captures(&self, s: &str) -> Option<Vec<String>> {
        let caps = self.re.captures(s)?;
        Some(
            (0..caps.len())
                .map(|i| {
                    caps.get(i)
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default()
                })
                .collect(),
        )
    }

    /// The number of groups, including group 0.
    pub fn groups(&self) -> usize {
        self.re.captures_len()
    }
}

fn push_lit(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// Translates a POSIX pattern to the `regex` crate's syntax.
pub fn translate(pat: &str, ere: bool) -> Result<String, String> {
    let cs: Vec<char> = pat.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // True where an expression starts (`*` is literal there, `^` anchors in a BRE).
    let mut at_start = true;
    let mut depth = 0i32;
    while i < cs.len() {
        let c = cs[i];
        let start = at_start;
        at_start = false;
        match c {
            '\\' => {
                let Some(&n) = cs.get(i + 1) else {
                    return Err("Trailing backslash".to_string());
                };
                i += 2;
                match n {
                    '(' if !ere => {
                        out.push('(');
                        depth += 1;
                        at_start = true;
                    }
                    ')' if !ere => {
                        out.push(')');
                        depth -= 1;
                    }
                    '|' if !ere => {
                        out.push('|');
                        at_start = true;
                    }
                    '{' if !ere => {
                        let (q, next) = interval(&cs, i, false)?;
                        out.push_str(&q);
                        i = next;
                    }
                    '+' | '?' if !ere => out.push(n),
                    '<' => out.push_str(r"\b{start}"),
                    '>' => out.push_str(r"\b{end}"),
                    'b' => out.push_str(r"\b"),
                    'B' => out.push_str(r"\B"),
                    'w' => out.push_str(r"[0-9A-Za-z_]"),
                    'W' => out.push_str(r"[^0-9A-Za-z_]"),
                    's' => out.push_str(r"\s"),
                    'S' => out.push_str(r"\S"),
                    '`' => out.push_str(r"\A"),
                    '\'' => out.push_str(r"\z"),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    '1'..='9' => return Err("Invalid back reference".to_string()),
                    other => push_lit(&mut out, other),
                }
            }
            '[' => {
                let (cls, next) = bracket(&cs, i + 1)?;
                out.push_str(&cls);
                i = next;
            }
            '*' => {
                if start {
                    out.push_str(r"\*");
                } else {
                    out.push('*');
                }
                i += 1;
            }
            '.' => {
                out.push('.');
                i += 1;
            }
            '^' => {
                if ere || start {
                    out.push('^');
                    at_start = true;
                } else {
                    out.push_str(r"\^");
                }
                i += 1;
            }
            '$' => {
                let at_end = i + 1 == cs.len()
                    || (!ere
                        && cs.get(i + 1) == Some(&'\\')
                        && matches!(cs.get(i + 2), Some(')') | Some('|')));
                if ere || at_end {
                    out.push('$');
                } else {
                    out.push_str(r"\$");
                }
                i += 1;
            }
            '(' if ere => {
                out.push('(');
                depth += 1;
                at_start = true;
                i += 1;
            }
            ')' if ere => {
                if depth > 0 {
                    out.push(')');
                    depth -= 1;
                } else {
                    out.push_str(r"\)");
                }
                i += 1;
            }
            '|' if ere => {
                out.push('|');
                at_start = true;
                i += 1;
            }
            '+' | '?' if ere => {
                if start {
                    push_lit(&mut out, c);
                } else {
                    out.push(c);
                }
                i += 1;
            }
            '{' if ere => {
                if start {
                    out.push_str(r"\{");
                    i += 1;
                } else {
                    match interval(&cs, i + 1, true) {
                        Ok((q, next)) => {
                            out.push_str(&q);
                            i = next;
                        }
                        Err(_) => {
                            out.push_str(r"\{");
                            i += 1;
                        }
                    }
                }
            }
            other => {
                push_lit(&mut out, other);
                i += 1;
            }
        }
    }
    if depth != 0 {
        return Err("Unmatched ( or \\(".to_string());
    }
    Ok(out)
}

/// An interval `{m,n}` starting after the brace; gives the translated quantifier and the
/// index after the closing brace.
fn interval(cs: &[char], mut i: usize, ere: bool) -> Result<(String, usize), String> {
    let mut body = String::new();
    while let Some(&c) = cs.get(i) {
        if c.is_ascii_digit() || c == ',' {
            body.push(c);
            i += 1;
        } else {
            break;
        }
    }
    let close_ok = if ere {
        cs.get(i) == Some(&'}')
    } else {
        cs.get(i) == Some(&'\\') && cs.get(i + 1) == Some(&'}')
    };
    if !close_ok || body.is_empty() || body.starts_with(',') && body.len() == 1 {
        return Err("Unmatched \\{".to_string());
    }
    let body = if body.starts_with(',') {
        format!("0{body}")
    } else {
        body
    };
    Ok((format!("{{{body}}}"), if ere { i + 1 } else { i + 2 }))
}

/// A bracket expression starting after `[`.
fn bracket(cs: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    if cs.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = cs.get(i) else {
            return Err("Unmatched [, [^, [:, [., or [=".to_string());
        };
        if c == ']' && !first {
            out.push(']');
            return Ok((out, i + 1));
        }
        first = false;
        if c == '[' && matches!(cs.get(i + 1), Some(':') | Some('.') | Some('=')) {
            let kind = cs[i + 1];
            let rest: String = cs[i + 2..].iter().collect();
            let close = format!("{kind}]");
            if let Some(end) = rest.find(&close) {
                let name = &rest[..end];
                match kind {
                    ':' => {
                        let known = [
                            "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct",
                            "print", "graph", "cntrl", "xdigit",
                        ];
                        if !known.contains(&name) {
                            return Err("Invalid character class name".to_string());
                        }
                        out.push_str(&format!("[:{name}:]"));
                    }
                    _ => {
                        for ch in name.chars() {
                            push_lit(&mut out, ch);
                        }
                    }
                }
                i += 2 + name.chars().count() + 2;
                continue;
            }
        }
        if c == '-' {
            // A range dash stays; a dash at either end is literal.
            let at_end = cs.get(i + 1) == Some(&']');
            let prev_open = out.ends_with('[') || out.ends_with("[^");
            if at_end || prev_open {
                out.push_str(r"\-");
            } else {
                out.push('-');
            }
            i += 1;
            continue;
        }
        match c {
            '\\' | '[' | '&' | '~' | '^' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, ere: bool, s: &str) -> bool {
        Regex::new(p, ere, false).unwrap().is_match(s)
    }

    #[test]
    fn basic() {
        assert!(m("a.c", false, "abc"));
        assert!(m("a\\(b\\)*c", false, "abbc"));
        assert!(m("a+", false, "a+"));
        assert!(!m("a+", false, "aa"));
        assert!(m("a\\+", false, "aa"));
        assert!(m("*a", false, "*a"));
        assert!(m("^ab$", false, "ab"));
        assert!(m("a^b", false, "a^b"));
        assert!(m("a$b", false, "a$b"));
        assert!(m("x\\{2\\}", false, "xx"));
        assert!(m("[[:digit:]]\\+", false, "12"));
        assert!(m("[]a]", false, "]"));
        assert!(m("[a-]", false, "-"));
        assert!(m("\\<foo\\>", false, "a foo b"));
        assert!(!m("\\<foo\\>", false, "afoob"));
    }

    #[test]
    fn extended() {
        assert!(m("a|b", true, "b"));
        assert!(m("(ab)+", true, "abab"));
        assert!(m("x{2,3}", true, "xxx"));
        assert!(m("a{", true, "a{"));
        assert!(m("^[0-9]+\\.[0-9]+$", true, "1.5"));
        assert!(m("\\(", true, "("));
    }

    #[test]
    fn case_insensitive() {
        assert!(Regex::new("hello", false, true).unwrap().is_match("HeLLo"));
    }

    #[test]
    fn errors() {
        assert!(Regex::new("a\\(", false, false).is_err());
        assert!(Regex::new("[a", false, false).is_err());
        assert!(Regex::new("(a", true, false).is_err());
    }
}

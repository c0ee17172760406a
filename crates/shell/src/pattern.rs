//! Shell pattern matching (`*`, `?`, `[...]`): `case`, `[[ == ]]`, `${x#pat}`, `${x/pat/r}`
//! and pathname expansion.
//!
//! A pattern is built from expanded text in which quoted characters are literal; in unquoted
//! text a backslash quotes the next character. Character classes follow POSIX (`[!a-z]`,
//! `[^...]`, `[[:digit:]]`). Extended globs (`@(...)`) are not supported.
//!
//! Reference: bash(1) "Pattern Matching"; POSIX XCU 2.13.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Elem {
    Char(char),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(String),
}

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    elems: Vec<Elem>,
}

impl Pattern {
    /// Builds a pattern from pieces of text, each quoted (literal) or not.
    pub fn new(pieces: &[(String, bool)]) -> Pattern {
        // Flatten to (char, quoted).
        let chars: Vec<(char, bool)> = pieces
            .iter()
            .flat_map(|(s, q)| s.chars().map(move |c| (c, *q)))
            .collect();
        let mut elems = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (c, q) = chars[i];
            if q {
                elems.push(Elem::Char(c));
                i += 1;
                continue;
            }
            match c {
                '\\' => {
                    if let Some(&(n, _)) = chars.get(i + 1) {
                        elems.push(Elem::Char(n));
                        i += 2;
                    } else {
                        elems.push(Elem::Char('\\'));
                        i += 1;
                    }
                }
                '*' => {
                    if elems.last() != Some(&Elem::Star) {
                        elems.push(Elem::Star);
                    }
                    i += 1;
                }
                '?' => {
                    elems.push(Elem::Any);
                    i += 1;
                }
                '[' => match parse_class(&chars, i + 1) {
                    Some((elem, next)) => {
                        elems.push(elem);
                        i = next;
                    }
                    None => {
                        elems.push(Elem::Char('['));
                        i += 1;
                    }
                },
                _ => {
                    elems.push(Elem::Char(c));
                    i += 1;
                }
            }
        }
        Pattern { elems }
    }

    /// A pattern from unquoted text.
    pub fn parse(s: &str) -> Pattern {
        Pattern::new(&[(s.to_string(), false)])
    }

    /// A pattern matching `s` literally.
    pub fn literal(s: &str) -> Pattern {
        Pattern::new(&[(s.to_string(), true)])
    }

    /// True if the pattern has any special element (so that pathname expansion applies).
    pub fn is_glob(&self) -> bool {
        self.elems.iter().any(|e| !matches!(e, Elem::Char(_)))
    }

    /// The literal text, if the pattern has no special element.
    pub fn as_literal(&self) -> Option<String> {
        self.elems
            .iter()
            .map(|e| match e {
                Elem::Char(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// True if the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        self.match_chars(&chars)
    }

    fn match_chars(&self, s: &[char]) -> bool {
        let p = &self.elems;
        let (mut pi, mut si) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while si < s.len() {
            if pi < p.len() {
                match &p[pi] {
                    Elem::Star => {
                        star = Some((pi, si));
                        pi += 1;
                        continue;
                    }
                    e if elem_matches(e, s[si]) => {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            }
        }
        while pi < p.len() && p[pi] == Elem::Star {
            pi += 1;
        }
        pi == p.len()
    }

    /// `${x#p}` (`longest`: `##`): `s` without its shortest (longest) matching prefix.
    pub fn strip_prefix<'a>(&self, s: &'a str, longest: bool) -> &'a str {
        let bounds: Vec<usize> = char_bounds(s);
        let chars: Vec<char> = s.chars().collect();
        let order: Box<dyn Iterator<Item = usize>> = if longest {
            Box::new((0..=chars.len()).rev())
        } else {
            Box::new(0..=chars.len())
        };
        for n in order {
            if self.match_chars(&chars[..n]) {
                return &s[bounds[n]..];
            }
        }
        s
    }

    /// `${x%p}` (`longest`: `%%`): `s` without its shortest (longest) matching suffix.
    pub fn strip_suffix<'a>(&self, s: &'a str, longest: bool) -> &'a str {
        let bounds: Vec<usize> = char_bounds(s);
        let chars: Vec<char> = s.chars().collect();
        let order: Box<dyn Iterator<Item = usize>> = if longest {
            Box::new(0..=chars.len())
        } else {
            Box::new((0..=chars.len()).rev())
        };
        for start in order {
            if self.match_chars(&chars[start..]) {
                return &s[..bounds[start]];
            }
        }
        s
    }

    /// The first (leftmost, then longest) match in `s` at or after char `from`, as char
    /// offsets; with `anchor_start`/`anchor_end` only matches touching that end count.
    pub fn find(
        &self,
        chars: &[char],
        from: usize,
        anchor_start: bool,
        anchor_end: bool,
    ) -> Option<(usize, usize)> {
        let starts: Box<dyn Iterator<Item = usize>> = if anchor_start {
            Box::new(std::iter::once(from).filter(|&f| f == 0))
        } else {
            Box::new(from..=chars.len())
        };
        for st in starts {
            let ends: Box<dyn Iterator<Item = usize>> = if anchor_end {
                Box::new(std::iter::once(chars.len()))
            } else {
                Box::new((st..=chars.len()).rev())
            };
            for end in ends {
                if end < st {
                    continue;
                }
                if self.match_chars(&chars[st..end]) {
                    // An empty match only counts for anchored replacements.
                    if end == st && !self.elems.is_empty() && !self.match_chars(&[]) {
                        continue;
                    }
                    return Some((st, end));
                }
            }
        }
        None
    }
}

fn char_bounds(s: &str) -> Vec<usize> {
    let mut v: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    v.push(s.len());
    v
}

fn elem_matches(e: &Elem, c: char) -> bool {
    match e {
        Elem::Char(x) => *x == c,
        Elem::Any => true,
        Elem::Star => true,
        Elem::Class { negated, items } => {
            let hit = items.iter().any(|it| match it {
                ClassItem::Char(x) => *x == c,
                ClassItem::Range(a, b) => *a <= c && c <= *b,
                ClassItem::Named(n) => class_matches(n, c),
            });
            hit != *negated
        }
    }
}

/// True if `c` is in the POSIX character class `name` (`alpha`, `digit`, ...), C locale.
pub fn class_matches(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_ascii_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_ascii_alphanumeric(),
        "upper" => c.is_ascii_uppercase(),
        "lower" => c.is_ascii_lowercase(),
        "space" => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "print" => (' '..='~').contains(&c),
        "graph" => ('!'..='~').contains(&c),
        "cntrl" => c.is_ascii_control(),
        "xdigit" => c.is_ascii_hexdigit(),
        "word" => c.is_ascii_alphanumeric() || c == '_',
        _ => false,
    }
}

/// Parses a bracket expression starting after `[`; returns the element and the index after
/// the closing `]`, or `None` if it does not close.
fn parse_class(chars: &[(char, bool)], mut i: usize) -> Option<(Elem, usize)> {
    let mut negated = false;
    if let Some(&(c, false)) = chars.get(i) {
        if c == '!' || c == '^' {
            negated = true;
            i += 1;
        }
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let &(c, q) = chars.get(i)?;
        if c == ']' && !q && !first {
            return Some((Elem::Class { negated, items }, i + 1));
        }
        first = false;
        if c == '[' && !q && chars.get(i + 1).map(|x| x.0) == Some(':') {
            // [:name:]
            let rest: String = chars[i + 2..].iter().map(|x| x.0).collect();
            if let Some(end) = rest.find(":]") {
                items.push(ClassItem::Named(rest[..end].to_string()));
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        let mut lo = c;
        if c == '\\' && !q {
            if let Some(&(n, _)) = chars.get(i + 1) {
                lo = n;
                i += 1;
            }
        }
        // A range `a-z` (a `-` last is literal).
        if chars.get(i + 1).map(|x| x.0) == Some('-')
            && chars.get(i + 2).is_some_and(|x| x.0 != ']' || x.1)
        {
            let hi = chars.get(i + 2).map(|x| x.0)?;
            items.push(ClassItem::Range(lo, hi));
            i += 3;
        } else {
            items.push(ClassItem::Char(lo));
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        assert!(Pattern::parse("*.txt").matches("a.txt"));
        assert!(!Pattern::parse("*.txt").matches("a.txt.bak"));
        assert!(Pattern::parse("a?c").matches("abc"));
        assert!(Pattern::parse("[a-c]x").matches("bx"));
        assert!(!Pattern::parse("[!a-c]x").matches("bx"));
        assert!(Pattern::parse("[[:digit:]]*").matches("1abc"));
        assert!(Pattern::parse("*").matches(""));
        assert!(Pattern::parse("a*b*c").matches("aXbYbZc"));
        assert!(Pattern::parse("[]]").matches("]"));
        assert!(Pattern::parse("a\\*").matches("a*"));
        assert!(!Pattern::parse("a\\*").matches("ab"));
        assert!(Pattern::new(&[("*".into(), true)]).matches("*"));
        assert!(!Pattern::new(&[("*".into(), true)]).matches("x"));
        assert!(Pattern::parse("[").matches("["));
    }

    #[test]
    fn trimming() {
        let p = Pattern::parse("*.");
        assert_eq!(p.strip_prefix("a.b.c", false), "b.c");
        assert_eq!(p.strip_prefix("a.b.c", true), "c");
        let p = Pattern::parse(".*");
        assert_eq!(p.strip_suffix("a.b.c", false), "a.b");
        assert_eq!(p.strip_suffix("a.b.c", true), "a");
        let p = Pattern::parse("/*");
        assert_eq!(p.strip_suffix("/usr/bin", false), "/usr");
    }

    #[test]
    fn finding() {
        let s: Vec<char> = "hello world".chars().collect();
        assert_eq!(Pattern::parse("o").find(&s, 0, false, false), Some((4, 5)));
        assert_eq!(
            Pattern::parse("l*").find(&s, 0, false, false),
            Some((2, 11))
        );
        assert_eq!(Pattern::parse("h").find(&s, 0, true, false), Some((0, 1)));
        assert_eq!(Pattern::parse("d").find(&s, 0, false, true), Some((10, 11)));
    }
}

//! The parser and expansion never panic: random texts built from shell-ish fragments (a
//! fuzz target does the same with coverage guidance; this runs with the ordinary tests).

/// A small deterministic generator (xorshift64*).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

const FRAGMENTS: &[&str] = &[
    "echo", " ", "\n", ";", "&", "&&", "||", "|", "|&", "(", ")", "{", "}", "<", ">", ">>", "2>&1",
    "<<", "<<-", "<<<", "EOF", "'", "\"", "`", "\\", "$", "${", "}", "$(", "$((", "))", "#", "=",
    "x", "1", "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until",
    "case", "esac", ";;", ";&", "function", "f()", "[[", "]]", "((", "!", "*", "?", "[", "]", "~",
    "{1..3}", "${x:-y}", "${#x}", "${x/a/b}", "${x%%.*}", "$'\\t'", "a=(1 2)", "$@", "\"$@\"", ":",
    "-", "+", "?", "%", "^", ",", "@", "=~", "-eq", "\t",
];

#[test]
fn parser_never_panics_on_random_text() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let n = (g.next() % 24) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(g.pick(FRAGMENTS));
        }
        let _ = tsunagi_shell::parse(&s);
    }
}

#[test]
fn expansion_never_panics_on_random_words() {
    let mut g = Gen(0xDEAD_BEEF_CAFE_F00D);
    for _ in 0..300 {
        let n = (g.next() % 10) as usize;
        let mut s = String::from("echo ");
        for _ in 0..n {
            s.push_str(g.pick(FRAGMENTS));
        }
        let _ = tsunagi_shell::expand_sandboxed(&s);
    }
}

#[test]
fn hostile_inputs() {
    for s in [
        "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
        "$($($($($($($($($($($($($($($($($($($($($($($($($($($($(",
        "${${${${${${${${${${${${${${${${${${${",
        "\"$(\"$(\"$(\"$(\"$(\"$(\"$(\"$(\"$(\"$(",
        "echo $((((((((((((((((((((((((((((1))))))))))))))))))))))))))))",
        "cat <<EOF",
        "cat <<",
        "a=(",
        "[[ ",
        "case",
        "for ((",
        "\\",
        "$",
        "`",
        "echo ${x:?}",
        "echo {1..99999999999}",
        "echo $((1/0)) $((2**63)) $((-9223372036854775808/-1)) $((1<<99))",
    ] {
        let _ = tsunagi_shell::parse(s);
        let _ = tsunagi_shell::expand_sandboxed(s);
    }
}

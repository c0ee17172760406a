//! Shell arithmetic: `$(( ))`, `(( ))`, `let`, array indices, `${x:off:len}`.
//!
//! 64-bit signed integers with wrapping, C operators and precedence, assignment operators,
//! `++`/`--`, `?:`, `,`, and bash's number syntax (`0x1f`, `017`, `2#101`). A variable's value
//! is itself evaluated as an expression (`a=b; b=3; $((a))` is 3). Errors read as bash's:
//! `1/0: division by 0 (error token is "0")`. The expression has already been through
//! parameter expansion and command substitution when it gets here.
//!
//! Reference: bash(1) "ARITHMETIC EVALUATION".

/// Variable access for the evaluator.
pub trait ArithEnv {
    /// A variable's value (`None` if unset). `name` may carry an index: `a[3]`.
    fn get_var(&mut self, name: &str) -> Option<String>;
    /// Assigns a variable; `Err` holds a message (a readonly variable).
    fn set_var(&mut self, name: &str, value: i64) -> Result<(), String>;
}

/// An arithmetic error, with bash's full message text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArithError(pub String);

impl std::fmt::Display for ArithError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const MAX_RECURSION: u32 = 64;

/// Evaluates `expr`. An empty expression is 0.
pub fn eval(expr: &str, env: &mut dyn ArithEnv) -> Result<i64, ArithError> {
    eval_depth(expr, env, 0)
}

fn eval_depth(expr: &str, env: &mut dyn ArithEnv, depth: u32) -> Result<i64, ArithError> {
    let mut p = Eval {
        src: expr.chars().collect(),
        text: expr,
        pos: 0,
        tok: Tok::End,
        tok_start: 0,
        last_start: 0,
        env,
        noeval: 0,
        depth,
        nest: 0,
    };
    if depth > MAX_RECURSION {
        return Err(p.error("expression recursion level exceeded"));
    }
    p.advance()?;
    if p.tok == Tok::End {
        return Ok(0);
    }
    let v = p.comma()?;
    if p.tok != Tok::End {
        return Err(p.error("syntax error in expression"));
    }
    Ok(v)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64),
    Var(String),
    Op(&'static str),
    End,
}

struct Eval<'a> {
    src: Vec<char>,
    text: &'a str,
    pos: usize,
    tok: Tok,
    tok_start: usize,
    last_start: usize,
    env: &'a mut dyn ArithEnv,
    noeval: u32,
    depth: u32,
    nest: u32,
}

const OPS: [&str; 39] = [
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=",
    "%=", "+=", "-=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~",
    "?", ":", "=", "(", ")", ",",
];

impl Eval<'_> {
    fn error(&self, msg: &str) -> ArithError {
        let token: String = self.src[self.last_start.min(self.src.len())..]
            .iter()
            .collect();
        ArithError(format!(
            "{}: {} (error token is \"{}\")",
            self.text.trim_start(),
            msg,
            token
        ))
    }

    fn advance(&mut self) -> Result<(), ArithError> {
        while self.src.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
        self.tok_start = self.pos;
        let Some(&c) = self.src.get(self.pos) else {
            self.tok = Tok::End;
            return Ok(());
        };
        self.last_start = self.pos;
        if c.is_ascii_digit() {
            let start = self.pos;
            while self
                .src
                .get(self.pos)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '#' || *c == '@' || *c == '_')
            {
                self.pos += 1;
            }
            let s: String = self.src[start..self.pos].iter().collect();
            self.tok = Tok::Num(self.number(&s)?);
            return Ok(());
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = self.pos;
            while self
                .src
                .get(self.pos)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                self.pos += 1;
            }
            if self.src.get(self.pos) == Some(&'[') {
                let mut depth = 0;
                while let Some(&c) = self.src.get(self.pos) {
                    self.pos += 1;
                    if c == '[' {
                        depth += 1;
                    } else if c == ']' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
            }
            self.tok = Tok::Var(self.src[start..self.pos].iter().collect());
            return Ok(());
        }
        for op in OPS {
            let n = op.chars().count();
            if self.pos + n <= self.src.len()
                && self.src[self.pos..self.pos + n]
                    .iter()
                    .copied()
                    .eq(op.chars())
            {
                self.pos += n;
                self.tok = Tok::Op(op);
                return Ok(());
            }
        }
        Err(self.error("syntax error: invalid arithmetic operator"))
    }

    fn number(&self, s: &str) -> Result<i64, ArithError> {
        let bad = || self.error("value too great for base");
        let (base, digits) = if let Some((b, d)) = s.split_once('#') {
            let b: u32 = b.parse().map_err(|_| self.error("invalid number"))?;
            if !(2..=64).contains(&b) {
                return Err(self.error("invalid arithmetic base"));
            }
            (b, d)
        } else if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            (16, h)
        } else if s.len() > 1 && s.starts_with('0') {
            (8, &s[1..])
        } else {
            (10, s)
        };
        if digits.is_empty() {
            return Err(bad());
        }
        let mut v: i64 = 0;
        for c in digits.chars() {
            let d = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'a'..='z' => c as u32 - 'a' as u32 + 10,
                'A'..='Z' => {
                    if base <= 36 {
                        c as u32 - 'A' as u32 + 10
                    } else {
                        c as u32 - 'A' as u32 + 36
                    }
                }
                '@' => 62,
                '_' => 63,
                _ => return Err(bad()),
            };
            if d >= base {
                return Err(bad());
            }
            v = v.wrapping_mul(i64::from(base)).wrapping_add(i64::from(d));
        }
        Ok(v)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if *o == op)
    }

    fn expect(&mut self, op: &str) -> Result<(), ArithError> {
        if self.is_op(op) {
            self.advance()
        } else if op == ")" {
            Err(self.error("missing `)'"))
        } else {
            Err(self.error(&format!("expected `{op}'")))
        }
    }

    fn var_value(&mut self, name: &str) -> Result<i64, ArithError> {
        let v = self.env.get_var(name).unwrap_or_default();
        let t = v.trim();
        if t.is_empty() {
            return Ok(0);
        }
        // A plain decimal number needs no evaluation (`010` does: it is octal).
        if !(t.len() > 1 && t.starts_with('0')) {
            if let Ok(n) = t.parse::<i64>() {
                return Ok(n);
            }
        }
        eval_depth(t, self.env, self.depth + 1)
    }

    fn assign(&mut self, name: &str, v: i64) -> Result<(), ArithError> {
        if self.noeval > 0 {
            return Ok(());
        }
        self.env.set_var(name, v).map_err(ArithError)
    }

    fn comma(&mut self) -> Result<i64, ArithError> {
        let mut v = self.assignment()?;
        while self.is_op(",") {
            self.advance()?;
            v = self.assignment()?;
        }
        Ok(v)
    }

    fn assignment(&mut self) -> Result<i64, ArithError> {
        if let Tok::Var(name) = self.tok.clone() {
            // Look ahead for an assignment operator.
            let save = (self.pos, self.tok.clone(), self.tok_start, self.last_start);
            self.advance()?;
            let op = match &self.tok {
                Tok::Op(o)
                    if matches!(
                        *o,
                        "=" | "*=" | "/=" | "%=" | "+=" | "-=" | "<<=" | ">>=" | "&=" | "^=" | "|="
                    ) =>
                {
                    Some(*o)
                }
                _ => None,
            };
            if let Some(op) = op {
                self.advance()?;
                let rhs = self.assignment()?;
                let v = if op == "=" {
                    rhs
                } else {
                    let cur = if self.noeval > 0 {
                        0
                    } else {
                        self.var_value(&name)?
                    };
                    self.binop(&op[..op.len() - 1], cur, rhs)?
                };
                self.assign(&name, v)?;
                return Ok(v);
            }
            (self.pos, self.tok, self.tok_start, self.last_start) = save;
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, ArithError> {
        let c = self.binary(0)?;
        if !self.is_op("?") {
            return Ok(c);
        }
        self.advance()?;
        if c == 0 {
            self.noeval += 1;
        }
        let a = self.assignment()?;
        if c == 0 {
            self.noeval -= 1;
        }
        self.expect(":")?;
        if c != 0 {
            self.noeval += 1;
        }
        let b = self.ternary_rhs()?;
        if c != 0 {
            self.noeval -= 1;
        }
        Ok(if c != 0 { a } else { b })
    }

    fn ternary_rhs(&mut self) -> Result<i64, ArithError> {
        self.ternary()
    }

    fn binop(&self, op: &str, a: i64, b: i64) -> Result<i64, ArithError> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" => {
                if b == 0 {
                    if self.noeval > 0 {
                        return Ok(0);
                    }
                    return Err(self.error("division by 0"));
                }
                if op == "/" {
                    a.wrapping_div(b)
                } else {
                    a.wrapping_rem(b)
                }
            }
            "**" => {
                if b < 0 {
                    if self.noeval > 0 {
                        return Ok(0);
                    }
                    return Err(self.error("exponent less than 0"));
                }
                let mut r: i64 = 1;
                let mut base = a;
                let mut e = b;
                while e > 0 {
                    if e & 1 == 1 {
                        r = r.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                r
            }
            "<<" => a.wrapping_shl((b & 63) as u32),
            ">>" => a.wrapping_shr((b & 63) as u32),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "&" => a & b,
            "^" => a ^ b,
            "|" => a | b,
            _ => return Err(self.error("syntax error in expression")),
        })
    }

    fn binary(&mut self, min_prec: u8) -> Result<i64, ArithError> {
        let mut lhs = self.unary()?;
        while let Some((op, prec)) = match &self.tok {
            Tok::Op(o) => prec_of(o).filter(|&p| p >= min_prec).map(|p| (*o, p)),
            _ => None,
        } {
            self.advance()?;
            if op == "&&" || op == "||" {
                let short = if op == "&&" { lhs == 0 } else { lhs != 0 };
                if short {
                    self.noeval += 1;
                }
                let rhs = self.binary(prec + 1)?;
                if short {
                    self.noeval -= 1;
                }
                lhs = if op == "&&" {
                    i64::from(lhs != 0 && rhs != 0)
                } else {
                    i64::from(lhs != 0 || rhs != 0)
                };
                continue;
            }
            // `**` is right-associative.
            let next = if op == "**" { prec } else { prec + 1 };
            let rhs = self.binary(next)?;
            lhs = self.binop(op, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, ArithError> {
        self.nest += 1;
        if self.nest > 200 {
            return Err(self.error("expression recursion level exceeded"));
        }
        let r = self.unary_inner();
        self.nest -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<i64, ArithError> {
        match self.tok.clone() {
            Tok::Op(op @ ("++" | "--")) => {
                self.advance()?;
                let Tok::Var(name) = self.tok.clone() else {
                    // `--5` is minus minus five.
                    let v = self.unary()?;
                    return Ok(v);
                };
                self.advance()?;
                let cur = self.var_value(&name)?;
                let v = if op == "++" {
                    cur.wrapping_add(1)
                } else {
                    cur.wrapping_sub(1)
                };
                self.assign(&name, v)?;
                Ok(v)
            }
            Tok::Op("-") => {
                self.advance()?;
                Ok(self.unary()?.wrapping_neg())
            }
            Tok::Op("+") => {
                self.advance()?;
                self.unary()
            }
            Tok::Op("!") => {
                self.advance()?;
                Ok(i64::from(self.unary()? == 0))
            }
            Tok::Op("~") => {
                self.advance()?;
                Ok(!self.unary()?)
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<i64, ArithError> {
        match self.tok.clone() {
            Tok::Num(n) => {
                self.advance()?;
                Ok(n)
            }
            Tok::Var(name) => {
                self.advance()?;
                let v = if self.noeval > 0 {
                    0
                } else {
                    self.var_value(&name)?
                };
                if let Tok::Op(op @ ("++" | "--")) = self.tok {
                    self.advance()?;
                    let nv = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.assign(&name, nv)?;
                }
                Ok(v)
            }
            Tok::Op("(") => {
                self.advance()?;
                let v = self.comma()?;
                self.expect(")")?;
                Ok(v)
            }
            Tok::End => Err(self.error("syntax error: operand expected")),
            Tok::Op(_) => Err(self.error("syntax error: operand expected")),
        }
    }
}

fn prec_of(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Vars(BTreeMap<String, String>);
    impl ArithEnv for Vars {
        fn get_var(&mut self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn set_var(&mut self, name: &str, value: i64) -> Result<(), String> {
            self.0.insert(name.to_string(), value.to_string());
            Ok(())
        }
    }

    fn ev(s: &str) -> Result<i64, String> {
        let mut v = Vars(BTreeMap::new());
        v.0.insert("x".into(), "5".into());
        v.0.insert("y".into(), "x".into());
        eval(s, &mut v).map_err(|e| e.0)
    }

    #[test]
    fn operators_and_precedence() {
        assert_eq!(ev("1 + 2 * 3"), Ok(7));
        assert_eq!(ev("(1 + 2) * 3"), Ok(9));
        assert_eq!(ev("2 ** 3 ** 2"), Ok(512));
        assert_eq!(ev("7 / 2"), Ok(3));
        assert_eq!(ev("-7 % 3"), Ok(-1));
        assert_eq!(ev("1 < 2 && 3 > 4"), Ok(0));
        assert_eq!(ev("1 ? 10 : 20"), Ok(10));
        assert_eq!(ev("0 ? 10 : 20"), Ok(20));
        assert_eq!(ev("!0 + ~0"), Ok(0));
        assert_eq!(ev("1 << 4 | 1"), Ok(17));
        assert_eq!(ev("0x10 + 010 + 2#101"), Ok(29));
        assert_eq!(ev(""), Ok(0));
        assert_eq!(ev("x * 2"), Ok(10));
        assert_eq!(ev("y + 1"), Ok(6));
        assert_eq!(ev("nope + 1"), Ok(1));
        assert_eq!(ev("1, 2, 3"), Ok(3));
    }

    #[test]
    fn assignments_and_increments() {
        let mut v = Vars(BTreeMap::new());
        assert_eq!(eval("i = 5", &mut v), Ok(5));
        assert_eq!(eval("i++", &mut v), Ok(5));
        assert_eq!(eval("i", &mut v), Ok(6));
        assert_eq!(eval("++i", &mut v), Ok(7));
        assert_eq!(eval("i += 3", &mut v), Ok(10));
        assert_eq!(eval("i <<= 1", &mut v), Ok(20));
        assert_eq!(eval("0 && (j = 1)", &mut v), Ok(0));
        assert_eq!(v.0.get("j"), None);
    }

    #[test]
    fn errors_read_like_bash() {
        assert_eq!(
            ev("1/0"),
            Err("1/0: division by 0 (error token is \"0\")".into())
        );
        assert_eq!(
            ev("1+"),
            Err("1+: syntax error: operand expected (error token is \"+\")".into())
        );
        assert_eq!(
            ev("1 + "),
            Err("1 + : syntax error: operand expected (error token is \"+ \")".into())
        );
        assert_eq!(
            ev("08"),
            Err("08: value too great for base (error token is \"08\")".into())
        );
        assert!(ev("1 2").is_err());
        assert!(ev("(1").is_err());
    }

    #[test]
    fn self_reference_is_bounded() {
        let mut v = Vars(BTreeMap::new());
        v.0.insert("a".into(), "a".into());
        assert!(eval("a", &mut v).is_err());
    }
}

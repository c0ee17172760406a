//! `echo` and `printf`, shared by the builtins and the `/usr/bin` programs of the same names.
//!
//! `printf` follows bash's builtin: the format is reused until the arguments run out, missing
//! arguments are empty or zero, numbers may be `0x1f`, `017` or `'c`, and a bad number is
//! reported (`printf: abc: invalid number`) but printing goes on with status 1. Floating point
//! conversions format as C's do (`%e` with a two-digit exponent, `%g` without trailing zeros).
//!
//! Reference: bash(1) "printf", printf(3), echo(1).

/// What a `printf` or `echo` run produced.
#[derive(Default, Debug)]
pub struct Output {
    pub out: Vec<u8>,
    /// Error messages, without the `printf: ` prefix.
    pub errors: Vec<String>,
    pub status: i32,
}

/// Decodes the escapes of `echo -e` and `%b`. Returns the bytes and whether `\c` stopped
/// the output.
pub fn echo_escapes(s: &str, out: &mut Vec<u8>, in_printf_b: bool) -> bool {
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c != '\\' || i + 1 >= cs.len() {
            push_char(out, c);
            i += 1;
            continue;
        }
        let e = cs[i + 1];
        i += 2;
        match e {
            'a' => out.push(7),
            'b' => out.push(8),
            'c' => return true,
            'e' | 'E' => out.push(0x1b),
            'f' => out.push(12),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(11),
            '\\' => out.push(b'\\'),
            '0'..='7' if e == '0' || in_printf_b => {
                // echo: \0nnn; %b: \0nnn or \nnn.
                let mut v: u32 = if e == '0' { 0 } else { e as u32 - '0' as u32 };
                let max = if e == '0' { 3 } else { 2 };
                let mut n = 0;
                while n < max {
                    match cs.get(i).and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match cs.get(i).and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            'u' | 'U' => {
                let max = if e == 'u' { 4 } else { 8 };
                let mut v = 0u32;
                let mut n = 0;
                while n < max {
                    match cs.get(i).and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v.wrapping_mul(16).wrapping_add(d);
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    out.push(b'\\');
                    push_char(out, e);
                } else {
                    push_char(out, char::from_u32(v).unwrap_or('\u{fffd}'));
                }
            }
            other => {
                out.push(b'\\');
                push_char(out, other);
            }
        }
    }
    false
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut b = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
}

/// The `echo` builtin: `-n`, `-e`, `-E` (and combinations) before the first other argument.
pub fn echo(args: &[String]) -> Vec<u8> {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
        {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut out = Vec::new();
    for (k, a) in args[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if escapes {
            if echo_escapes(a, &mut out, false) {
                return out;
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    out
}

/// dash's `echo`: only `-n` (first) is an option, and escapes are always interpreted.
pub fn echo_dash(args: &[String]) -> Vec<u8> {
    let (newline, rest) = match args.first().map(String::as_str) {
        Some("-n") => (false, &args[1..]),
        _ => (true, args),
    };
    let mut out = Vec::new();
    for (k, a) in rest.iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if echo_escapes(a, &mut out, true) {
            return out;
        }
    }
    if newline {
        out.push(b'\n');
    }
    out
}

/// Parses a numeric argument as printf does; `Err` gives the value to use and the message.
fn parse_num(s: &str) -> Result<i128, (i128, String)> {
    let t = s.trim_start();
    if let Some(rest) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Ok(rest.chars().next().map(|c| c as i128).unwrap_or(0));
    }
    if t.is_empty() {
        return Ok(0);
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    let mut v: i128 = 0;
    let mut n = 0;
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => {
                v = v.saturating_mul(radix as i128).saturating_add(d as i128);
                n += 1;
            }
            None => {
                let v = if neg { -v } else { v };
                return Err((v, format!("{s}: invalid number")));
            }
        }
    }
    if n == 0 && radix != 8 {
        return Err((0, format!("{s}: invalid number")));
    }
    Ok(if neg { -v } else { v })
}

fn parse_float(s: &str) -> Result<f64, (f64, String)> {
    let t = s.trim();
    if let Some(rest) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Ok(rest.chars().next().map(|c| c as u32 as f64).unwrap_or(0.0));
    }
    if t.is_empty() {
        return Ok(0.0);
    }
    if let Ok(v) = t.parse::<f64>() {
        return Ok(v);
    }
    if let Ok(v) = parse_num(t) {
        return Ok(v as f64);
    }
    // The longest numeric prefix.
    let mut best = 0.0;
    for end in (1..t.len()).rev() {
        if let Some(p) = t.get(..end) {
            if let Ok(v) = p.parse::<f64>() {
                best = v;
                break;
            }
        }
    }
    Err((best, format!("{s}: invalid number")))
}

#[derive(Default, Clone, Copy)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

fn pad(s: String, spec: &Spec, numeric: bool) -> String {
    let w = spec.width.unwrap_or(0);
    let len = s.chars().count();
    if len >= w {
        return s;
    }
    let fill = w - len;
    if spec.left {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        // Zeros go after the sign or 0x prefix.
        let (sign, rest) = if s.starts_with(['-', '+', ' ']) {
            s.split_at(1)
        } else {
            ("", s.as_str())
        };
        let (pre, digits) = if rest.starts_with("0x") || rest.starts_with("0X") {
            rest.split_at(2)
        } else {
            ("", rest)
        };
        format!("{sign}{pre}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

/// C's `%e` mantissa/exponent formatting.
fn fmt_exp(v: f64, prec: usize, upper: bool, alt: bool) -> String {
    let s = format!("{:.*e}", prec, v);
    // Rust gives `1.2345e4`; C wants `1.2345e+04`.
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut mant = mant.to_string();
    if alt && prec == 0 {
        mant.push('.');
    }
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}{e}{sign}{:02}", exp.abs())
}

fn fmt_g(v: f64, prec: usize, upper: bool, alt: bool) -> String {
    let p = if prec == 0 { 1 } else { prec };
    if v == 0.0 {
        return if alt {
            format!("{:.*}", p - 1, 0.0)
        } else {
            "0".to_string()
        };
    }
    let exp = {
        let s = format!("{:.*e}", p - 1, v);
        s.split_once('e')
            .and_then(|(_, e)| e.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let s = if exp < -4 || exp >= p as i32 {
        let s = fmt_exp(v, p - 1, upper, alt);
        if alt {
            s
        } else {
            let (m, e) = s
                .split_once(if upper { 'E' } else { 'e' })
                .unwrap_or((&s, ""));
            let m = if m.contains('.') {
                m.trim_end_matches('0').trim_end_matches('.')
            } else {
                m
            };
            format!("{m}{}{e}", if upper { 'E' } else { 'e' })
        }
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = format!("{:.*}", decimals, v);
        if alt || !s.contains('.') {
            s
        } else {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    };
    s
}

fn fmt_float(conv: char, v: f64, spec: &Spec) -> String {
    let prec = spec.prec.unwrap_or(6);
    let body = if v.is_nan() {
        if conv.is_ascii_uppercase() {
            "NAN"
        } else {
            "nan"
        }
        .to_string()
    } else if v.is_infinite() {
        let s = if conv.is_ascii_uppercase() {
            "INF"
        } else {
            "inf"
        };
        if v < 0.0 {
            format!("-{s}")
        } else {
            s.to_string()
        }
    } else {
        match conv {
            'f' | 'F' => {
                let mut s = format!("{:.*}", prec, v);
                if spec.alt && prec == 0 {
                    s.push('.');
                }
                s
            }
            'e' | 'E' => fmt_exp(v, prec, conv == 'E', spec.alt),
            _ => fmt_g(v, prec, conv == 'G', spec.alt),
        }
    };
    let body = if !body.starts_with('-') {
        if spec.plus {
            format!("+{body}")
        } else if spec.space {
            format!(" {body}")
        } else {
            body
        }
    } else {
        body
    };
    pad(body, spec, v.is_finite())
}

/// `%q`: quotes a string for reuse as shell input, as bash does.
pub fn shell_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "_-./=,:@%+^".contains(c) || !c.is_ascii() {
            out.push(c);
        } else if c == '\n' {
            return format!(
                "$'{}'",
                s.replace('\\', "\\\\")
                    .replace('\'', "\\'")
                    .replace('\n', "\\n")
                    .replace('\t', "\\t")
            );
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// Runs `printf FORMAT ARGS...`.
pub fn printf(format: &str, args: &[String]) -> Output {
    let mut o = Output::default();
    let fmt: Vec<char> = format.chars().collect();
    let mut ai = 0;
    loop {
        let start_ai = ai;
        let mut consumed_any = false;
        let mut i = 0;
        while i < fmt.len() {
            let c = fmt[i];
            if c == '\\' {
                // Escapes in the format itself.
                let mut j = i + 1;
                let Some(&e) = fmt.get(j) else {
                    o.out.push(b'\\');
                    break;
                };
                j += 1;
                match e {
                    '0'..='7' => {
                        let mut v = e as u32 - '0' as u32;
                        let mut n = 1;
                        while n < 3 {
                            match fmt.get(j).and_then(|c| c.to_digit(8)) {
                                Some(d) => {
                                    v = v * 8 + d;
                                    j += 1;
                                    n += 1;
                                }
                                None => break,
                            }
                        }
                        o.out.push((v & 0xff) as u8);
                    }
                    '"' => o.out.push(b'"'),
                    '\'' => o.out.push(b'\''),
                    '?' => o.out.push(b'?'),
                    'c' => return o,
                    _ => {
                        let used = escape_len(&fmt[i..]);
                        let esc: String = fmt[i..i + used].iter().collect();
                        echo_escapes(&esc, &mut o.out, false);
                        j = i + used;
                    }
                }
                i = j;
                continue;
            }
            if c != '%' {
                push_char(&mut o.out, c);
                i += 1;
                continue;
            }
            i += 1;
            if fmt.get(i) == Some(&'%') {
                o.out.push(b'%');
                i += 1;
                continue;
            }
            let mut spec = Spec::default();
            while let Some(&f) = fmt.get(i) {
                match f {
                    '-' => spec.left = true,
                    '+' => spec.plus = true,
                    ' ' => spec.space = true,
                    '#' => spec.alt = true,
                    '0' => spec.zero = true,
                    _ => break,
                }
                i += 1;
            }
            let next_arg = |ai: &mut usize| -> Option<String> {
                let a = args.get(*ai).cloned();
                if a.is_some() {
                    *ai += 1;
                }
                a
            };
            if fmt.get(i) == Some(&'*') {
                i += 1;
                let a = next_arg(&mut ai).unwrap_or_default();
                consumed_any = true;
                let w = parse_num(&a).unwrap_or_else(|(v, m)| {
                    o.errors.push(m);
                    o.status = 1;
                    v
                });
                if w < 0 {
                    spec.left = true;
                }
                spec.width = Some(w.unsigned_abs().min(1 << 20) as usize);
            } else {
                let mut w = String::new();
                while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                    w.push(d);
                    i += 1;
                }
                if !w.is_empty() {
                    spec.width = w.parse::<usize>().ok().map(|w| w.min(1 << 20));
                }
            }
            if fmt.get(i) == Some(&'.') {
                i += 1;
                if fmt.get(i) == Some(&'*') {
                    i += 1;
                    let a = next_arg(&mut ai).unwrap_or_default();
                    consumed_any = true;
                    let p = parse_num(&a).unwrap_or_else(|(v, m)| {
                        o.errors.push(m);
                        o.status = 1;
                        v
                    });
                    spec.prec = if p < 0 {
                        None
                    } else {
                        Some(p.min(1 << 20) as usize)
                    };
                } else {
                    let mut p = String::new();
                    while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                        p.push(d);
                        i += 1;
                    }
                    spec.prec = Some(p.parse::<usize>().unwrap_or(0).min(1 << 20));
                }
            }
            // Length modifiers are accepted and ignored.
            while matches!(fmt.get(i), Some('h' | 'l' | 'L' | 'j' | 'z' | 't')) {
                i += 1;
            }
            let Some(&conv) = fmt.get(i) else {
                o.errors
                    .push(format!("`{}': missing format character", "%"));
                o.status = 1;
                break;
            };
            i += 1;
            let arg = if "sbqdiouxXcfFeEgGaA".contains(conv) {
                let a = next_arg(&mut ai);
                if a.is_some() {
                    consumed_any = true;
                }
                a
            } else {
                None
            };
            match conv {
                's' => {
                    let mut s = arg.unwrap_or_default();
                    if let Some(p) = spec.prec {
                        s = s.chars().take(p).collect();
                    }
                    o.out.extend_from_slice(pad(s, &spec, false).as_bytes());
                }
                'b' => {
                    let mut tmp = Vec::new();
                    let stop = echo_escapes(&arg.unwrap_or_default(), &mut tmp, true);
                    let mut s = String::from_utf8_lossy(&tmp).into_owned();
                    if let Some(p) = spec.prec {
                        s = s.chars().take(p).collect();
                    }
                    o.out.extend_from_slice(pad(s, &spec, false).as_bytes());
                    if stop {
                        return o;
                    }
                }
                'q' => {
                    let s = shell_quote(&arg.unwrap_or_default());
                    o.out.extend_from_slice(pad(s, &spec, false).as_bytes());
                }
                'c' => {
                    let s: String = arg.unwrap_or_default().chars().take(1).collect();
                    o.out.extend_from_slice(pad(s, &spec, false).as_bytes());
                }
                'd' | 'i' | 'o' | 'u' | 'x' | 'X' => {
                    let a = arg.unwrap_or_default();
                    let v = parse_num(&a).unwrap_or_else(|(v, m)| {
                        o.errors.push(m);
                        o.status = 1;
                        v
                    });
                    let v64 = v.clamp(i64::MIN as i128, u64::MAX as i128);
                    let mut body = match conv {
                        'd' | 'i' => {
                            let v = v64.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
                            v.unsigned_abs().to_string()
                        }
                        _ => {
                            let u = if v64 < 0 {
                                (v64 as i64) as u64
                            } else {
                                v64 as u64
                            };
                            match conv {
                                'o' => format!("{u:o}"),
                                'u' => u.to_string(),
                                'x' => format!("{u:x}"),
                                _ => format!("{u:X}"),
                            }
                        }
                    };
                    if let Some(p) = spec.prec {
                        if body.len() < p {
                            body = format!("{}{body}", "0".repeat(p - body.len()));
                        }
                        if p == 0 && v == 0 {
                            body.clear();
                        }
                    }
                    if spec.alt {
                        match conv {
                            'o' if !body.starts_with('0') => body = format!("0{body}"),
                            'x' if v != 0 => body = format!("0x{body}"),
                            'X' if v != 0 => body = format!("0X{body}"),
                            _ => {}
                        }
                    }
                    if conv == 'd' || conv == 'i' {
                        if v < 0 {
                            body = format!("-{body}");
                        } else if spec.plus {
                            body = format!("+{body}");
                        } else if spec.space {
                            body = format!(" {body}");
                        }
                    }
                    let mut sp = spec;
                    if spec.prec.is_some() {
                        sp.zero = false;
                    }
                    o.out.extend_from_slice(pad(body, &sp, true).as_bytes());
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A' => {
                    let a = arg.unwrap_or_default();
                    let v = parse_float(&a).unwrap_or_else(|(v, m)| {
                        o.errors.push(m);
                        o.status = 1;
                        v
                    });
                    let conv = match conv {
                        'a' => 'e',
                        'A' => 'E',
                        c => c,
                    };
                    o.out
                        .extend_from_slice(fmt_float(conv, v, &spec).as_bytes());
                }
                other => {
                    o.errors
                        .push(format!("`{other}': invalid format character"));
                    o.status = 1;
                    return o;
                }
            }
        }
        // Reuse the format while arguments remain (and it consumed some).
        if ai >= args.len() || !consumed_any || ai == start_ai {
            break;
        }
    }
    o
}

/// How many characters a backslash escape at the start of `s` takes.
fn escape_len(s: &[char]) -> usize {
    match s.get(1) {
        None => 1,
        Some('x') => {
            2 + s[2..]
                .iter()
                .take(2)
                .take_while(|c| c.is_ascii_hexdigit())
                .count()
        }
        Some('u') => {
            2 + s[2..]
                .iter()
                .take(4)
                .take_while(|c| c.is_ascii_hexdigit())
                .count()
        }
        Some('U') => {
            2 + s[2..]
                .iter()
                .take(8)
                .take_while(|c| c.is_ascii_hexdigit())
                .count()
        }
        Some(_) => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(f: &str, args: &[&str]) -> String {
        let a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        String::from_utf8(printf(f, &a).out).unwrap()
    }

    #[test]
    fn printf_like_bash() {
        assert_eq!(
            p(
                "%d|%5.1e|%g|%g|%g|%G|%#x|%+d|% d|%-6.2s|\n",
                &[
                    "'A",
                    "12345.678",
                    "0.0001",
                    "100000",
                    "1000000",
                    "1e-5",
                    "255",
                    "5",
                    "5",
                    "abc"
                ]
            ),
            "65|1.2e+04|0.0001|100000|1e+06|1E-05|0xff|+5| 5|ab    |\n"
        );
        assert_eq!(p("%s %s\n", &["a", "b", "c"]), "a b\nc \n");
        assert_eq!(
            p(
                "%5.2f|%-5s|%05d|%x|%o|%e|%c|%%|%b\n",
                &["3.14159", "ab", "42", "255", "8", "1234.5", "xyz", "a\\tb"]
            ),
            " 3.14|ab   |00042|ff|10|1.234500e+03|x|%|a\tb\n"
        );
        assert_eq!(p("\\x41\\101\\u00e9\\n", &[]), "AAé\n");
        assert_eq!(p("%5s|%-5d|%.3d\n", &["ab", "3", "7"]), "   ab|3    |007\n");
        assert_eq!(
            p("%i %u %o %c\n", &["-3", "-1", "8", "hello"]),
            "-3 18446744073709551615 10 h\n"
        );
        assert_eq!(p("x\n", &["extra"]), "x\n");
        assert_eq!(
            p("%.2f %.0f %.0f\n", &["2.675", "0.5", "1.5"]),
            "2.67 0 2\n"
        );
        assert_eq!(p("%q %q %q\n", &["a b", "it's", ""]), "a\\ b it\\'s ''\n");
        assert_eq!(p("%%|%q|%b\n", &["a b", "x\\ty"]), "%|a\\ b|x\ty\n");
        let o = printf(
            "%d\n",
            &["abc".to_string(), "12x".to_string(), "3".to_string()],
        );
        assert_eq!(String::from_utf8(o.out).unwrap(), "0\n12\n3\n");
        assert_eq!(o.status, 1);
        assert_eq!(o.errors, ["abc: invalid number", "12x: invalid number"]);
    }

    #[test]
    fn echo_like_bash() {
        let e = |a: &[&str]| {
            String::from_utf8(echo(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())).unwrap()
        };
        assert_eq!(e(&["-e", "a\\tb\\n", "-n", "x"]), "a\tb\n -n x\n");
        assert_eq!(e(&["-n", "-e", "x\\n"]), "x\n");
        assert_eq!(e(&["--", "-n"]), "-- -n\n");
        assert_eq!(e(&["-en", "a\\cb"]), "a");
        assert_eq!(e(&["-x"]), "-x\n");
    }
}

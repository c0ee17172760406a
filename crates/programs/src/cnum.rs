//! Numbers read the way the C library reads them: strtol(3), strtoul(3) and strtod(3), with
//! the end of what was consumed and whether the value overflowed (`ERANGE`). The tools here
//! build their error messages from exactly these two facts, so they must match glibc.

/// What a strto* call gives back: the value, how many bytes were consumed (0 when no number
/// was found, as `end == str` in C), and `ERANGE`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parsed<T> {
    pub value: T,
    pub end: usize,
    pub erange: bool,
}

fn skip_space(b: &[u8]) -> usize {
    b.iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .count()
}

fn digit(c: u8, base: u32) -> Option<u32> {
    let d = match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'a'..=b'z' => u32::from(c - b'a') + 10,
        b'A'..=b'Z' => u32::from(c - b'A') + 10,
        _ => return None,
    };
    (d < base).then_some(d)
}

/// The magnitude part shared by strtol and strtoul: sign, base prefix, digits.
fn strto_mag(s: &str, base: u32) -> (bool, u128, usize, bool) {
    let b = s.as_bytes();
    let mut i = skip_space(b);
    let mut neg = false;
    if let Some(&c) = b.get(i) {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i += 1;
        }
    }
    let mut base = base;
    if (base == 0 || base == 16)
        && b.get(i) == Some(&b'0')
        && matches!(b.get(i + 1), Some(b'x') | Some(b'X'))
        && b.get(i + 2).is_some_and(|&c| digit(c, 16).is_some())
    {
        base = 16;
        i += 2;
    } else if base == 0 {
        base = if b.get(i) == Some(&b'0') { 8 } else { 10 };
    }
    let start = i;
    let mut v: u128 = 0;
    let mut over = false;
    while let Some(d) = b.get(i).and_then(|&c| digit(c, base)) {
        v = v * u128::from(base) + u128::from(d);
        if v > u128::from(u64::MAX) {
            over = true;
            v = u128::from(u64::MAX) + 1;
        }
        i += 1;
    }
    if i == start {
        return (false, 0, 0, false);
    }
    (neg, v, i, over)
}

/// strtol(3) with `long` = i64.
pub fn strtol(s: &str, base: u32) -> Parsed<i64> {
    let (neg, mag, end, over) = strto_mag(s, base);
    let (value, erange) = if neg {
        if over || mag > 1u128 << 63 {
            (i64::MIN, true)
        } else {
            ((mag as i128).wrapping_neg() as i64, false)
        }
    } else if over || mag > i64::MAX as u128 {
        (i64::MAX, true)
    } else {
        (mag as i64, false)
    };
    Parsed { value, end, erange }
}

/// strtoul(3) with `unsigned long` = u64: a minus sign negates in unsigned arithmetic.
pub fn strtoul(s: &str, base: u32) -> Parsed<u64> {
    let (neg, mag, end, over) = strto_mag(s, base);
    if over {
        return Parsed {
            value: u64::MAX,
            end,
            erange: true,
        };
    }
    let m = mag as u64;
    Parsed {
        value: if neg { m.wrapping_neg() } else { m },
        end,
        erange: false,
    }
}

/// strtod(3): decimal and hexadecimal forms, `inf`, `infinity`, `nan`.
pub fn strtod(s: &str) -> Parsed<f64> {
    let b = s.as_bytes();
    let mut i = skip_space(b);
    let mut neg = false;
    if let Some(&c) = b.get(i) {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i += 1;
        }
    }
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let lower = rest.to_ascii_lowercase();
    if lower.starts_with("inf") {
        let n = if lower.starts_with("infinity") { 8 } else { 3 };
        return Parsed {
            value: sign(f64::INFINITY),
            end: i + n,
            erange: false,
        };
    }
    if lower.starts_with("nan") {
        let mut n = 3;
        if rest.as_bytes().get(3) == Some(&b'(') {
            if let Some(close) = rest[4..].find(')') {
                if rest[4..4 + close]
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    n = 4 + close + 1;
                }
            }
        }
        return Parsed {
            value: sign(f64::NAN),
            end: i + n,
            erange: false,
        };
    }
    let none = Parsed {
        value: 0.0,
        end: 0,
        erange: false,
    };
    if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x') | Some(b'X')) {
        if let Some(p) = hex_float(b, i + 2) {
            let erange = p.value.is_infinite() || (p.value == 0.0 && p.erange);
            return Parsed {
                value: sign(p.value),
                end: p.end,
                erange: erange || p.value.is_subnormal(),
            };
        }
        // "0x" without hex digits: just the "0".
        return Parsed {
            value: sign(0.0),
            end: i + 1,
            erange: false,
        };
    }
    let start = i;
    let mut j = i;
    let mut digits = 0;
    let mut nonzero = false;
    while b.get(j).is_some_and(u8::is_ascii_digit) {
        nonzero |= b[j] != b'0';
        j += 1;
        digits += 1;
    }
    if b.get(j) == Some(&b'.') {
        j += 1;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            nonzero |= b[j] != b'0';
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return none;
    }
    if matches!(b.get(j), Some(b'e') | Some(b'E')) {
        let mut k = j + 1;
        if matches!(b.get(k), Some(b'+') | Some(b'-')) {
            k += 1;
        }
        if b.get(k).is_some_and(u8::is_ascii_digit) {
            while b.get(k).is_some_and(u8::is_ascii_digit) {
                k += 1;
            }
            j = k;
        }
    }
    let text = &s[start..j];
    let text = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text.to_string()
    };
    let v: f64 = text.parse().unwrap_or(0.0);
    let erange = v.is_infinite() || (v == 0.0 && nonzero) || v.is_subnormal();
    Parsed {
        value: sign(v),
        end: j,
        erange,
    }
}

/// The digits of a hexadecimal float after `0x`: `None` if there are none.
fn hex_float(b: &[u8], mut i: usize) -> Option<Parsed<f64>> {
    let mut mant: f64 = 0.0;
    let mut digits = 0;
    let mut exp: i64 = 0;
    let mut nonzero = false;
    while let Some(d) = b.get(i).and_then(|&c| digit(c, 16)) {
        mant = mant * 16.0 + f64::from(d);
        nonzero |= d != 0;
        digits += 1;
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        let mut k = i + 1;
        let mut frac = 0;
        while let Some(d) = b.get(k).and_then(|&c| digit(c, 16)) {
            mant = mant * 16.0 + f64::from(d);
            nonzero |= d != 0;
            frac += 1;
            k += 1;
        }
        if digits + frac > 0 {
            digits += frac;
            exp -= 4 * frac;
            i = k;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'p') | Some(b'P')) {
        let mut k = i + 1;
        let mut eneg = false;
        if matches!(b.get(k), Some(b'+') | Some(b'-')) {
            eneg = b[k] == b'-';
            k += 1;
        }
        if b.get(k).is_some_and(u8::is_ascii_digit) {
            let mut e: i64 = 0;
            while b.get(k).is_some_and(u8::is_ascii_digit) {
                e = (e * 10 + i64::from(b[k] - b'0')).min(1 << 20);
                k += 1;
            }
            exp += if eneg { -e } else { e };
            i = k;
        }
    }
    let value = mant * 2f64.powi(exp.clamp(-2000, 2000) as i32);
    Some(Parsed {
        value,
        end: i,
        erange: nonzero && value == 0.0,
    })
}

/// printf's `%g` (six significant digits, trailing zeros dropped).
pub fn fmt_g(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    const P: i32 = 6;
    // The exponent after rounding to P significant digits.
    let e = format!("{:.*e}", (P - 1) as usize, v);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    if !(-4..P).contains(&x) {
        let mant = strip_zeros(mant);
        let sign = if x < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", x.abs())
    } else {
        let prec = (P - 1 - x).max(0) as usize;
        strip_zeros(&format!("{v:.prec$}")).to_string()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtol_like_glibc() {
        assert_eq!(
            strtol(" 42", 10),
            Parsed {
                value: 42,
                end: 3,
                erange: false
            }
        );
        assert_eq!(strtol("abc", 10).end, 0);
        assert_eq!(strtol("-1", 10).value, -1);
        assert_eq!(strtol("12x", 10).end, 2);
        assert!(strtol("99999999999999999999", 10).erange);
        assert_eq!(strtol("0x1f", 0).value, 31);
        assert_eq!(strtol("010", 0).value, 8);
        assert_eq!(
            strtol("0x", 0),
            Parsed {
                value: 0,
                end: 1,
                erange: false
            }
        );
        assert_eq!(strtoul("-1", 10).value, u64::MAX);
    }

    #[test]
    fn strtod_like_glibc() {
        assert_eq!(strtod("0.2").value, 0.2);
        assert_eq!(strtod("abc").end, 0);
        assert_eq!(strtod("1.5x").end, 3);
        assert_eq!(strtod(".5").value, 0.5);
        assert_eq!(strtod("5.").end, 2);
        assert_eq!(strtod("1e").end, 1);
        assert_eq!(strtod("0x10").value, 16.0);
        assert_eq!(strtod("0x1p-1").value, 0.5);
        assert!(strtod("inf").value.is_infinite());
        assert!(strtod("1e999").erange);
        assert!(strtod("1e-400").erange);
    }

    #[test]
    fn percent_g() {
        assert_eq!(fmt_g(0.0), "0");
        assert_eq!(fmt_g(100.0), "100");
        assert_eq!(fmt_g(50.0), "50");
        assert_eq!(fmt_g(f64::from(100.0f32 / 3.0)), "33.3333");
        assert_eq!(fmt_g(f64::from(200.0f32 / 3.0)), "66.6667");
        assert_eq!(fmt_g(0.0001), "0.0001");
        assert_eq!(fmt_g(0.00001), "1e-05");
        assert_eq!(fmt_g(1234567.0), "1.23457e+06");
    }
}

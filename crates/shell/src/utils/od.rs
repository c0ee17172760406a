//! `od`: dump bytes in octal, hex, decimal or as characters, as GNU coreutils 9.1 prints
//! them: `-A RADIX`, `-t TYPE` (`a`, `c`, `d`/`o`/`u`/`x` with a size, `z`), the traditional
//! `-b -c -d -o -x`, `-j`, `-N`, `-v`, `-w`. See od(1).

use super::{boxed, err, parse_args, read_all, Out};
use tsunagi_lab::{LocalBoxFuture, Proc};

/// One output format (`struct tspec`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fmt {
    /// `-t a`: named characters.
    Named,
    /// `-t c`: characters and C escapes.
    Char,
    /// `-t d|o|u|x` of `size` bytes.
    Int { kind: u8, size: usize },
}

#[derive(Clone, Copy, Debug)]
struct Spec {
    fmt: Fmt,
    /// `z`: the bytes as text after the line.
    text: bool,
}

impl Spec {
    fn size(&self) -> usize {
        match self.fmt {
            Fmt::Named | Fmt::Char => 1,
            Fmt::Int { size, .. } => size,
        }
    }

    /// The width of one field, its leading space included.
    fn width(&self) -> usize {
        match self.fmt {
            Fmt::Named | Fmt::Char => 4,
            Fmt::Int { kind, size } => {
                let bits = size as u32 * 8;
                let digits = match kind {
                    b'x' => size * 2,
                    b'o' => bits.div_ceil(3) as usize,
                    b'u' => format!("{}", u64::MAX >> (64 - bits)).len(),
                    // The most negative value and its sign.
                    _ => format!("-{}", 1u128 << (bits - 1)).len(),
                };
                digits + 1
            }
        }
    }

    /// Formats the unit at the start of `b` (zero-padded if short) without padding.
    fn field(&self, b: &[u8]) -> String {
        match self.fmt {
            Fmt::Char => char_field(b[0]),
            Fmt::Named => named_field(b[0]),
            Fmt::Int { kind, size } => {
                let mut v: u64 = 0;
                for i in (0..size).rev() {
                    v = (v << 8) | u64::from(b.get(i).copied().unwrap_or(0));
                }
                let bits = size as u32 * 8;
                match kind {
                    b'x' => format!("{v:0w$x}", w = size * 2),
                    b'o' => format!("{v:0w$o}", w = bits.div_ceil(3) as usize),
                    b'u' => v.to_string(),
                    _ => {
                        let shift = 64 - bits;
                        (((v << shift) as i64) >> shift).to_string()
                    }
                }
            }
        }
    }
}

fn char_field(c: u8) -> String {
    match c {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        12 => "\\f".into(),
        b'\n' => "\\n".into(),
        b'\r' => "\\r".into(),
        b'\t' => "\\t".into(),
        11 => "\\v".into(),
        0x20..=0x7e => (c as char).to_string(),
        _ => format!("{c:03o}"),
    }
}

fn named_field(c: u8) -> String {
    const NAMES: [&str; 33] = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
        "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub",
        "esc", "fs", "gs", "rs", "us", "sp",
    ];
    let c = c & 0x7f;
    match c {
        0..=0x20 => NAMES[c as usize].to_string(),
        0x7f => "del".into(),
        _ => (c as char).to_string(),
    }
}

/// Parses a `-t` type string (`x1z`, `c`, `d4`, `u2x1`...) as `decode_format_string`.
fn parse_type(s: &str) -> Result<Vec<Spec>, String> {
    let bad = |c: char| format!("invalid character '{c}' in type string ‘{s}’");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        let fmt = match c {
            b'a' => Fmt::Named,
            b'c' => Fmt::Char,
            b'd' | b'o' | b'u' | b'x' => {
                let size = match b.get(i) {
                    Some(b'C') => {
                        i += 1;
                        1
                    }
                    Some(b'S') => {
                        i += 1;
                        2
                    }
                    Some(b'I') => {
                        i += 1;
                        4
                    }
                    Some(b'L') => {
                        i += 1;
                        8
                    }
                    Some(d) if d.is_ascii_digit() => {
                        let start = i;
                        while b.get(i).is_some_and(u8::is_ascii_digit) {
                            i += 1;
                        }
                        let n: usize = s[start..i].parse().unwrap_or(0);
                        if ![1, 2, 4, 8].contains(&n) {
                            return Err(format!(
                                "invalid type string ‘{s}’;\nthis system doesn't provide a {n}-byte integral type"
                            ));
                        }
                        n
                    }
                    _ => 4,
                };
                Fmt::Int { kind: c, size }
            }
            _ => return Err(bad(c as char)),
        };
        let text = b.get(i) == Some(&b'z');
        if text {
            i += 1;
        }
        out.push(Spec { fmt, text });
    }
    Ok(out)
}

/// Parses a byte count as `xstrtoumax` with od's suffixes (`0x`, `0` octal, `b`, `k`, `m`).
fn parse_bytes(s: &str) -> Option<u64> {
    let (num, mult) = match s.as_bytes().last()? {
        b'b' if !s.starts_with("0x") => (&s[..s.len() - 1], 512),
        b'k' | b'K' => (&s[..s.len() - 1], 1024),
        b'm' | b'M' => (&s[..s.len() - 1], 1024 * 1024),
        _ => (s, 1),
    };
    let v = if let Some(h) = num.strip_prefix("0x").or_else(|| num.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()?
    } else if num.len() > 1 && num.starts_with('0') {
        u64::from_str_radix(&num[1..], 8).ok()?
    } else {
        num.parse().ok()?
    };
    v.checked_mul(mult)
}

pub fn od(proc: Proc) -> LocalBoxFuture<i32> {
    boxed(od_main(proc))
}

fn fail(proc: &Proc, msg: &str) -> i32 {
    err(proc, &format!("od: {msg}"));
    err(proc, "Try 'od --help' for more information.");
    1
}

async fn od_main(proc: Proc) -> i32 {
    let argv: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
    let a = match parse_args(
        &argv,
        "AtjNwS",
        &[
            "--address-radix",
            "--format",
            "--skip-bytes",
            "--read-bytes",
            "--width",
        ],
    ) {
        Ok(a) => a,
        Err(m) => return fail(&proc, &m),
    };
    let mut radix = b'o';
    let mut specs: Vec<Spec> = Vec::new();
    let mut skip = 0u64;
    let mut limit: Option<u64> = None;
    let mut verbose = false;
    let mut width = 16usize;
    let int = |kind, size| Spec {
        fmt: Fmt::Int { kind, size },
        text: false,
    };
    for (o, v) in &a.opts {
        let v = v.as_deref().unwrap_or("");
        match o.as_str() {
            "-A" | "--address-radix" => match v.as_bytes() {
                [r @ (b'd' | b'o' | b'x' | b'n')] => radix = *r,
                _ => {
                    err(
                        &proc,
                        &format!(
                            "od: invalid output address radix '{v}'; it must be one character from [doxn]"
                        ),
                    );
                    return 1;
                }
            },
            "-t" | "--format" => match parse_type(v) {
                Ok(s) => specs.extend(s),
                Err(m) => {
                    err(&proc, &format!("od: {m}"));
                    return 1;
                }
            },
            "-j" | "--skip-bytes" | "-N" | "--read-bytes" => {
                let Some(n) = parse_bytes(v) else {
                    err(&proc, &format!("od: invalid argument ‘{v}’"));
                    return 1;
                };
                if o.starts_with("-j") || o == "--skip-bytes" {
                    skip = n;
                } else {
                    limit = Some(n);
                }
            }
            "-w" | "--width" => match v.parse::<usize>() {
                Ok(n) if n > 0 => width = n,
                _ if v.is_empty() => width = 32,
                _ => {
                    err(&proc, &format!("od: invalid -w argument ‘{v}’"));
                    return 1;
                }
            },
            "-v" | "--output-duplicates" => verbose = true,
            "-a" => specs.push(Spec {
                fmt: Fmt::Named,
                text: false,
            }),
            "-b" => specs.push(int(b'o', 1)),
            "-c" => specs.push(Spec {
                fmt: Fmt::Char,
                text: false,
            }),
            "-d" => specs.push(int(b'u', 2)),
            "-i" => specs.push(int(b'd', 4)),
            "-l" => specs.push(int(b'd', 8)),
            "-o" => specs.push(int(b'o', 2)),
            "-s" => specs.push(int(b'd', 2)),
            "-x" => specs.push(int(b'x', 2)),
            other => {
                return fail(
                    &proc,
                    &format!("invalid option -- '{}'", other.trim_start_matches('-')),
                )
            }
        }
    }
    if specs.is_empty() {
        specs.push(int(b'o', 2));
    }
    // Every line holds a whole number of units of every format.
    let unit = specs.iter().map(Spec::size).max().unwrap_or(1);
    if width % unit != 0 {
        width = 16;
    }
    let files = if a.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        a.operands
    };
    let mut data = Vec::new();
    let mut status = 0;
    let mut opened = false;
    for f in &files {
        match read_all(&proc, f).await {
            Ok(d) => {
                data.extend(d);
                opened = true;
            }
            Err(e) => {
                err(&proc, &format!("od: {f}: {e}"));
                status = 1;
            }
        }
    }
    if !opened {
        // No input at all: nothing is dumped, not even the final address.
        return status;
    }
    let start = (skip as usize).min(data.len());
    let mut data = &data[start..];
    if let Some(n) = limit {
        data = &data[..(n as usize).min(data.len())];
    }
    let mut out = Out::new(&proc);
    let addr = |off: usize| match radix {
        b'd' => format!("{off:07}"),
        b'x' => format!("{off:06x}"),
        b'n' => String::new(),
        _ => format!("{off:07o}"),
    };
    let addr_width = addr(0).len();
    // Fields are widened so that every format's line is as long as the longest one
    // (`pad_width` in GNU od), the extra spread over the fields.
    let line_width = specs
        .iter()
        .map(|s| width / s.size() * s.width())
        .max()
        .unwrap_or(0);
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (n, chunk) in data.chunks(width).enumerate() {
        let off = skip as usize + n * width;
        if !verbose && chunk.len() == width && prev == Some(chunk) {
            if !starred {
                out.str("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(chunk);
        for (i, spec) in specs.iter().enumerate() {
            let mut line = if i == 0 {
                addr(off)
            } else {
                " ".repeat(addr_width)
            };
            let size = spec.size();
            let fields = width / size;
            let pad = line_width - fields * spec.width();
            let mut pad_left = pad;
            let mut printed = 0;
            for (k, unit) in chunk.chunks(size).enumerate() {
                let next_pad = pad * (fields - k - 1) / fields;
                let w = spec.width() + pad_left - next_pad;
                pad_left = next_pad;
                line.push_str(&format!("{:>w$}", spec.field(unit)));
                printed += w;
            }
            if spec.text {
                let full = line_width;
                line.push_str(&" ".repeat(full.saturating_sub(printed)));
                line.push_str("  >");
                for &c in chunk {
                    line.push(if (0x20..0x7f).contains(&c) {
                        c as char
                    } else {
                        '.'
                    });
                }
                line.push('<');
            }
            line.push('\n');
            out.str(&line);
        }
    }
    if radix != b'n' {
        out.str(&format!("{}\n", addr(skip as usize + data.len())));
    }
    out.flush();
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_widths() {
        let c = Spec {
            fmt: Fmt::Char,
            text: false,
        };
        assert_eq!(c.field(b"\n"), "\\n");
        assert_eq!(c.field(&[0xff]), "377");
        let x2 = parse_type("x2").unwrap()[0];
        assert_eq!(x2.field(b"PI"), "4950");
        assert_eq!(x2.width(), 5);
        let d1 = parse_type("d1").unwrap()[0];
        assert_eq!(d1.field(&[0xff]), "-1");
        assert_eq!(d1.width(), 5);
        let u4 = parse_type("u4").unwrap()[0];
        assert_eq!(u4.width(), 11);
        let o2 = parse_type("o").unwrap()[0];
        assert_eq!(o2.size(), 4);
        assert!(parse_type("x1z").unwrap()[0].text);
        assert_eq!(
            parse_type("q").unwrap_err(),
            "invalid character 'q' in type string ‘q’"
        );
    }
}

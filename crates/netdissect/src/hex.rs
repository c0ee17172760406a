//! The `-x`, `-X` and `-A` dumps and the hex dump of undecoded payload (tcpdump's
//! print-ascii.c): 16 bytes a line, in groups of two, with the offset in front.

use crate::nd::{Nd, Trunc, R};

/// Printable ASCII other than space (`ND_ASCII_ISGRAPH`).
fn isgraph(c: u8) -> bool {
    (0x21..=0x7e).contains(&c)
}

/// `-A`: the bytes as text, unprintable ones as `.`, CRs dropped before a line feed.
pub(crate) fn ascii_print(nd: &mut Nd, off: usize, length: usize) -> R {
    nd.protocol = "ascii";
    let avail = nd.avail(off);
    let truncated = length > avail;
    let bytes = nd.rest(off);
    let bytes = &bytes[..length.min(avail)];
    let mut s = String::with_capacity(bytes.len() + 1);
    s.push('\n');
    for (i, &c) in bytes.iter().enumerate() {
        let left = bytes.len() - i - 1;
        if c == b'\r' {
            // A CR is shown as '.' only in the middle of a line.
            if left > 1 && bytes[i + 1] != b'\n' {
                s.push('.');
            }
        } else if isgraph(c) || c == b'\t' || c == b' ' || c == b'\n' {
            s.push(c as char);
        } else {
            s.push('.');
        }
    }
    nd.p(&s);
    if truncated {
        return Err(Trunc);
    }
    Ok(())
}

/// `-X`: offset, eight groups of four hex digits, then the ASCII column.
pub(crate) fn hex_and_ascii_print(nd: &mut Nd, ident: &str, off: usize, length: usize) -> R {
    hex_and_ascii_print_with_offset(nd, ident, off, length, 0)
}

pub(crate) fn hex_and_ascii_print_with_offset(
    nd: &mut Nd,
    ident: &str,
    off: usize,
    length: usize,
    mut oset: usize,
) -> R {
    let avail = nd.avail(off);
    let truncated = length > avail;
    let bytes = nd.rest(off);
    let bytes = &bytes[..length.min(avail)];
    let mut out = String::new();
    for line in bytes.chunks(16) {
        let mut hexs = String::with_capacity(40);
        let mut ascii = String::with_capacity(16);
        for pair in line.chunks(2) {
            hexs.push(' ');
            for &b in pair {
                hexs.push_str(&format!("{b:02x}"));
                ascii.push(if isgraph(b) { b as char } else { '.' });
            }
        }
        out.push_str(&format!("{ident}0x{oset:04x}: {hexs:<40}  {ascii}"));
        oset += 16;
    }
    nd.p(&out);
    if truncated {
        return Err(Trunc);
    }
    Ok(())
}

/// `-x`: offset and eight groups of four hex digits.
pub(crate) fn hex_print(nd: &mut Nd, ident: &str, off: usize, length: usize) -> R {
    hex_print_with_offset(nd, ident, off, length, 0)
}

pub(crate) fn hex_print_with_offset(
    nd: &mut Nd,
    ident: &str,
    off: usize,
    length: usize,
    mut oset: usize,
) -> R {
    let avail = nd.avail(off);
    let truncated = length > avail;
    let bytes = nd.rest(off);
    let bytes = &bytes[..length.min(avail)];
    let mut out = String::new();
    for line in bytes.chunks(16) {
        out.push_str(&format!("{ident}0x{oset:04x}: "));
        oset += 16;
        for pair in line.chunks(2) {
            out.push(' ');
            for &b in pair {
                out.push_str(&format!("{b:02x}"));
            }
        }
    }
    nd.p(&out);
    if truncated {
        return Err(Trunc);
    }
    Ok(())
}

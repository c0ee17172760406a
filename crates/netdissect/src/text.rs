//! Printers of text protocols (HTTP, SSH's banner, syslog) and of character data, after
//! tcpdump's util-print.c, print-http.c, print-ssh.c and print-syslog.c.

use crate::icmp::unknown_data;
use crate::nd::{Nd, R};

/// Printable ASCII, space included.
fn isprint(c: u8) -> bool {
    (0x20..=0x7e).contains(&c)
}

/// One character, `M-` for the high bit and `^X` for control characters (`fn_print_char`).
pub(crate) fn fn_print_char(out: &mut String, mut c: u8) {
    if !c.is_ascii() {
        c &= 0x7f;
        out.push_str("M-");
    }
    if !isprint(c) {
        c ^= 0x40;
        out.push('^');
    }
    out.push(c as char);
}

/// `n` characters from `s` (`nd_printn` without an end pointer).
pub(crate) fn printn(nd: &mut Nd, s: usize, n: usize) -> R {
    let mut out = String::new();
    for i in 0..n {
        match nd.u8(s + i) {
            Ok(c) => fn_print_char(&mut out, c),
            Err(e) => {
                nd.p(&out);
                return Err(e);
            }
        }
    }
    nd.p(&out);
    Ok(())
}

/// The next token of a text line and where the one after it starts (`fetch_token`).
fn fetch_token(nd: &Nd, p: usize, mut idx: usize, len: usize) -> Option<(Vec<u8>, usize)> {
    let mut tok = Vec::new();
    while idx < len {
        if !nd.ttest(p + idx, 1) {
            return None;
        }
        let c = nd.u8(p + idx).ok()?;
        if !c.is_ascii() {
            return None;
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        if !isprint(c) {
            return None;
        }
        // The token buffer holds 128 bytes with the terminating NUL.
        if tok.len() + 2 > 129 {
            return None;
        }
        tok.push(c);
        idx += 1;
    }
    if tok.is_empty() {
        return None;
    }
    while idx < len {
        if !nd.ttest(p + idx, 1) {
            break;
        }
        let c = nd.u8(p + idx).ok()?;
        if c == b'\r' || c == b'\n' || !isprint(c) {
            break;
        }
        if !matches!(c, b' ' | b'\t') {
            break;
        }
        idx += 1;
    }
    Some((tok, idx))
}

/// One text line with `prefix`; the index after it, or 0 when the data is not text or the
/// line does not end in this packet (`print_txt_line`).
fn print_txt_line(nd: &mut Nd, prefix: &str, p: usize, mut idx: usize, len: usize) -> R<usize> {
    let start = idx;
    let (linelen, next) = loop {
        if idx >= len {
            // Printable to the end but no line end: shown as truncated.
            let line = nd.bytes(p + start, idx - start)?;
            let s = String::from_utf8_lossy(line).into_owned();
            nd.pf(format_args!("{prefix}{s}"));
            nd.print_trunc();
            return Ok(0);
        }
        let c = nd.u8(p + idx)?;
        if c == b'\n' {
            break (idx - start, idx + 1);
        } else if c == b'\r' {
            if idx + 1 >= len {
                return Ok(0);
            }
            if nd.u8(p + idx + 1)? == b'\n' {
                break (idx - start, idx + 2);
            }
            return Ok(0);
        } else if !isprint(c) && c != b'\t' {
            return Ok(0);
        }
        idx += 1;
    };
    let line = nd.bytes(p + start, linelen)?;
    let s = String::from_utf8_lossy(line).into_owned();
    nd.pf(format_args!("{prefix}{s}"));
    Ok(next)
}

const HTTP_CMDS: &[&str] = &[
    "GET",
    "PUT",
    "COPY",
    "HEAD",
    "LOCK",
    "MOVE",
    "POLL",
    "POST",
    "BCOPY",
    "BMOVE",
    "MKCOL",
    "TRACE",
    "LABEL",
    "MERGE",
    "DELETE",
    "SEARCH",
    "UNLOCK",
    "REPORT",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CONNECT",
    "OPTIONS",
    "CHECKIN",
    "PROPFIND",
    "CHECKOUT",
    "CCM_POST",
    "SUBSCRIBE",
    "PROPPATCH",
    "BPROPFIND",
    "BPROPPATCH",
    "UNCHECKOUT",
    "MKACTIVITY",
    "MKWORKSPACE",
    "UNSUBSCRIBE",
    "RPC_CONNECT",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

/// HTTP (`txtproto_print` with the HTTP methods; the status code is the second token).
pub(crate) fn http_print(nd: &mut Nd, p: usize, len: usize) -> R {
    nd.protocol = "http";
    let mut print_this = false;
    if let Some((tok, idx)) = fetch_token(nd, p, 0, len) {
        if HTTP_CMDS
            .iter()
            .any(|c| c.as_bytes().eq_ignore_ascii_case(&tok))
        {
            print_this = true;
        }
        if let Some((tok, _)) = fetch_token(nd, p, idx, len) {
            if tok.len() == 3 && tok.iter().all(u8::is_ascii_digit) {
                print_this = true;
            }
        }
    }
    nd.print_protocol_caps();
    if print_this {
        if nd.o.verbose > 0 {
            nd.pf(format_args!(", length: {len}"));
            let mut idx = 0;
            while idx < len {
                let eol = print_txt_line(nd, "\n\t", p, idx, len)?;
                if eol == 0 {
                    break;
                }
                idx = eol;
            }
        } else {
            print_txt_line(nd, ": ", p, 0, len)?;
        }
    }
    Ok(())
}

/// The SSH version banner (`ssh_print`): `: SSH: SSH-2.0-...`.
pub(crate) fn ssh_print(nd: &mut Nd, p: usize, len: usize) -> R {
    nd.protocol = "ssh";
    for (i, c) in b"SSH-".iter().enumerate() {
        if nd.u8(p + i)? != *c {
            return Ok(());
        }
    }
    let mut idx = 4;
    while idx < len {
        let c = nd.u8(p + idx)?;
        if c == b'\n' {
            break;
        } else if c == b'\r' {
            if idx + 1 >= len {
                return Ok(());
            }
            if nd.u8(p + idx + 1)? == b'\n' {
                break;
            }
            return Ok(());
        } else if !isprint(c) {
            return Ok(());
        }
        idx += 1;
    }
    if idx >= len {
        return Ok(());
    }
    let line = String::from_utf8_lossy(nd.bytes(p, idx)?).into_owned();
    nd.p(": SSH: ");
    nd.p(&line);
    Ok(())
}

const SYSLOG_FACILITIES: [&str; 24] = [
    "kernel", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
    "authpriv", "ftp", "ntp", "security", "console", "cron", "local0", "local1", "local2",
    "local3", "local4", "local5", "local6", "local7",
];
const SYSLOG_SEVERITIES: [&str; 8] = [
    "emergency",
    "alert",
    "critical",
    "error",
    "warning",
    "notice",
    "info",
    "debug",
];

/// Syslog over UDP (RFC 3164): `SYSLOG user.notice, length: 40`.
pub(crate) fn syslog_print(nd: &mut Nd, p: usize, len: usize) -> R {
    nd.protocol = "syslog";
    if nd.u8(p)? != b'<' {
        nd.print_invalid();
        return Ok(());
    }
    let mut off = 1;
    let mut pri: u16 = 0;
    while off <= 3 {
        let c = nd.u8(p + off)?;
        if !c.is_ascii_digit() {
            break;
        }
        pri = pri * 10 + u16::from(c - b'0');
        off += 1;
    }
    if nd.u8(p + off)? != b'>' {
        nd.print_invalid();
        return Ok(());
    }
    off += 1;
    let facility = (pri & 0x03f8) >> 3;
    let severity = pri & 0x0007;
    let fname = SYSLOG_FACILITIES
        .get(usize::from(facility))
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("unknown ({facility})"));
    let sname = SYSLOG_SEVERITIES[usize::from(severity)];
    if nd.o.verbose < 1 {
        nd.pf(format_args!("SYSLOG {fname}.{sname}, length: {len}"));
        return Ok(());
    }
    nd.pf(format_args!(
        "SYSLOG, length: {len}\n\tFacility {fname} ({facility}), Severity {sname} ({severity})\n\tMsg: "
    ));
    if len > off {
        printn(nd, p + off, len - off)?;
    }
    if nd.o.verbose > 1 {
        unknown_data(nd, p, "\n\t", len)?;
    }
    Ok(())
}

//! DNS and multicast DNS (print-domain.c): `4660+ [1au] A? example.com. (40)` for a query,
//! `4660* 1/0/1 A 93.184.216.34 (56)` for a response, and the other sections with `-vv`.

use std::net::Ipv4Addr;

use crate::nd::{ip6_to_string, Nd, R};
use crate::text::printn;

const T_OPT: u16 = 41;
const C_IN: u16 = 1;
const MAXCDNAME: usize = 255;

const NS_OPS: [&str; 16] = [
    "",
    " inv_q",
    " stat",
    " op3",
    " notify",
    " update",
    " op6",
    " op7",
    " op8",
    " updateA",
    " updateD",
    " updateDA",
    " updateM",
    " updateMA",
    " zoneInit",
    " zoneRef",
];

/// Response codes; two of tcpdump's strings lack the leading space.
const NS_RESP: [&str; 24] = [
    "",
    " FormErr",
    " ServFail",
    " NXDomain",
    " NotImp",
    " Refused",
    " YXDomain",
    " YXRRSet",
    " NXRRSet",
    " NotAuth",
    " NotZone",
    " Resp11",
    " Resp12",
    " Resp13",
    " Resp14",
    " NoChange",
    " BadVers",
    "Resp17",
    " Resp18",
    " Resp19",
    " Resp20",
    "Resp21",
    " Resp22",
    " BadCookie",
];

fn rcode_string(rcode: u32) -> String {
    match NS_RESP.get(rcode as usize) {
        Some(s) => s.to_string(),
        None => format!(" Resp{}", rcode & 0xfff),
    }
}

fn type_name(t: u16) -> String {
    let s = match t {
        1 => "A",
        2 => "NS",
        3 => "MD",
        4 => "MF",
        5 => "CNAME",
        6 => "SOA",
        7 => "MB",
        8 => "MG",
        9 => "MR",
        10 => "NULL",
        11 => "WKS",
        12 => "PTR",
        13 => "HINFO",
        14 => "MINFO",
        15 => "MX",
        16 => "TXT",
        17 => "RP",
        18 => "AFSDB",
        19 => "X25",
        20 => "ISDN",
        21 => "RT",
        22 => "NSAP",
        23 => "NSAP_PTR",
        24 => "SIG",
        25 => "KEY",
        26 => "PX",
        27 => "GPOS",
        28 => "AAAA",
        29 => "LOC",
        30 => "NXT",
        31 => "EID",
        32 => "NIMLOC",
        33 => "SRV",
        34 => "ATMA",
        35 => "NAPTR",
        36 => "KX",
        37 => "CERT",
        38 => "A6",
        39 => "DNAME",
        40 => "SINK",
        41 => "OPT",
        42 => "APL",
        43 => "DS",
        44 => "SSHFP",
        45 => "IPSECKEY",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        99 => "SPF",
        100 => "UINFO",
        101 => "UID",
        102 => "GID",
        103 => "UNSPEC",
        104 => "UNSPECA",
        249 => "TKEY",
        250 => "TSIG",
        251 => "IXFR",
        252 => "AXFR",
        253 => "MAILB",
        254 => "MAILA",
        255 => "ANY",
        256 => "URI",
        _ => return format!("Type{t}"),
    };
    s.to_string()
}

fn class_name(c: u16) -> String {
    match c {
        1 => "IN".into(),
        3 => "CHAOS".into(),
        4 => "HS".into(),
        255 => "ANY".into(),
        _ => format!("(Class {c})"),
    }
}

/// Skips a domain name; where it ends, or `None` when it runs off the capture (`ns_nskip`).
fn ns_nskip(nd: &Nd, mut cp: usize) -> R<Option<usize>> {
    if !nd.ttest(cp, 1) {
        return Ok(None);
    }
    let mut i = nd.u8(cp)?;
    cp += 1;
    while i != 0 {
        match i & 0xc0 {
            0xc0 => return Ok(Some(cp + 1)),
            0x40 => {
                if i & 0x3f != 1 {
                    return Ok(None);
                }
                if !nd.ttest(cp, 1) {
                    return Ok(None);
                }
                let mut bitlen = usize::from(nd.u8(cp)?);
                if bitlen == 0 {
                    bitlen = 256;
                }
                cp += 1 + bitlen.div_ceil(8);
            }
            0x80 => return Ok(None),
            _ => cp += usize::from(i),
        }
        if !nd.ttest(cp, 1) {
            return Ok(None);
        }
        i = nd.u8(cp)?;
        cp += 1;
    }
    Ok(Some(cp))
}

/// The length a label byte announces (`labellen`); `None` for labels tcpdump refuses.
fn labellen(nd: &mut Nd, cp: usize) -> R<Option<usize>> {
    if !nd.ttest(cp, 1) {
        return Ok(None);
    }
    let i = nd.u8(cp)?;
    match i & 0xc0 {
        0x40 => {
            let elt = i & 0x3f;
            if elt != 1 {
                nd.pf(format_args!("<ELT {elt}>"));
                return Ok(None);
            }
            if !nd.ttest(cp + 1, 1) {
                return Ok(None);
            }
            let mut bitlen = usize::from(nd.u8(cp + 1)?);
            if bitlen == 0 {
                bitlen = 256;
            }
            Ok(Some(bitlen.div_ceil(8) + 1))
        }
        0xc0 | 0x00 => Ok(Some(usize::from(i))),
        _ => {
            nd.p("<BAD LABEL TYPE>");
            Ok(None)
        }
    }
}

/// An RFC 2673 bit-string label.
fn blabel_print(nd: &mut Nd, cp: usize) -> R<Option<usize>> {
    if !nd.ttest(cp, 1) {
        return Ok(None);
    }
    let mut bitlen = usize::from(nd.u8(cp)?);
    if bitlen == 0 {
        bitlen = 256;
    }
    let slen = bitlen.div_ceil(4);
    let lim = cp + 1 + slen;
    nd.p("\\[x");
    let mut bitp = cp + 1;
    let mut b = bitlen;
    while bitp < lim && b > 7 {
        let x = nd.u8(bitp)?;
        nd.pf(format_args!("{x:02x}"));
        b -= 8;
        bitp += 1;
    }
    if b > 4 {
        let tc = nd.u8(bitp)?;
        nd.pf(format_args!("{:02x}", tc & (0xffu8 << (8 - b))));
    } else if b > 0 {
        let tc = nd.u8(bitp)?;
        nd.pf(format_args!("{:x}", ((tc >> 4) & 0x0f) & (0x0f << (4 - b))));
    }
    nd.pf(format_args!("/{bitlen}]"));
    Ok(Some(lim))
}

/// `n` characters, or false when the capture ends first (`nd_printn` with an end).
fn printn_to_snapend(nd: &mut Nd, s: usize, n: usize) -> R<bool> {
    let avail = nd.avail(s);
    let k = n.min(avail);
    printn(nd, s, k)?;
    Ok(k == n)
}

/// A domain name at `cp`, with compression pointers relative to `bp`; where the name ends
/// in the packet, or `None` when it cannot be printed (`fqdn_print`).
pub(crate) fn fqdn_print(nd: &mut Nd, mut cp: usize, bp: usize) -> R<Option<usize>> {
    let Some(mut l) = labellen(nd, cp)? else {
        return Ok(None);
    };
    if !nd.ttest(cp, 1) {
        return Ok(None);
    }
    let mut max_offset = cp.wrapping_sub(bp);
    let mut i = nd.u8(cp)?;
    cp += 1;
    let mut compress = false;
    let mut rp = 0usize;
    if i & 0xc0 != 0xc0 {
        rp = cp + l;
    }
    if i != 0 {
        let mut name_chars = 0usize;
        while i != 0 && cp < nd.snapend {
            match i & 0xc0 {
                0xc0 => {
                    if !compress {
                        rp = cp + 1;
                        compress = true;
                    }
                    if !nd.ttest(cp, 1) {
                        return Ok(None);
                    }
                    let offset = ((usize::from(i) << 8) | usize::from(nd.u8(cp)?)) & 0x3fff;
                    // Pointers must go backwards, as BIND requires: no loops.
                    if offset >= max_offset {
                        nd.p("<BAD PTR>");
                        return Ok(None);
                    }
                    max_offset = offset;
                    cp = bp + offset;
                    if !nd.ttest(cp, 1) {
                        return Ok(None);
                    }
                    i = nd.u8(cp)?;
                    let Some(nl) = labellen(nd, cp)? else {
                        return Ok(None);
                    };
                    l = nl;
                    cp += 1;
                    continue;
                }
                0x40 => {
                    let elt = i & 0x3f;
                    if elt == 1 {
                        if blabel_print(nd, cp)?.is_none() {
                            return Ok(None);
                        }
                    } else {
                        nd.pf(format_args!("<ELT {elt}>"));
                        return Ok(None);
                    }
                }
                0x80 => {
                    nd.p("<BAD LABEL TYPE>");
                    return Ok(None);
                }
                _ => {
                    if name_chars + l <= MAXCDNAME {
                        if !printn_to_snapend(nd, cp, l)? {
                            return Ok(None);
                        }
                    } else if name_chars < MAXCDNAME
                        && !printn_to_snapend(nd, cp, MAXCDNAME - name_chars)?
                    {
                        return Ok(None);
                    }
                    name_chars += l;
                }
            }
            cp += l;
            if name_chars <= MAXCDNAME {
                nd.p(".");
            }
            name_chars += 1;
            if !nd.ttest(cp, 1) {
                return Ok(None);
            }
            i = nd.u8(cp)?;
            let Some(nl) = labellen(nd, cp)? else {
                return Ok(None);
            };
            l = nl;
            cp += 1;
            if !compress {
                rp += l + 1;
            }
        }
        if name_chars > MAXCDNAME {
            nd.p("<DOMAIN NAME TOO LONG>");
        }
    } else {
        nd.p(".");
    }
    Ok(Some(rp))
}

/// A character string: length byte and text (`ns_cprint`).
fn ns_cprint(nd: &mut Nd, cp: usize) -> R<Option<usize>> {
    if !nd.ttest(cp, 1) {
        return Ok(None);
    }
    let i = usize::from(nd.u8(cp)?);
    if !printn_to_snapend(nd, cp + 1, i)? {
        return Ok(None);
    }
    Ok(Some(cp + 1 + i))
}

/// A question: ` A? example.com.` (`ns_qprint`).
fn ns_qprint(nd: &mut Nd, cp: usize, bp: usize, mdns: bool) -> R<Option<usize>> {
    let np = cp;
    let Some(cp) = ns_nskip(nd, cp)? else {
        return Ok(None);
    };
    if !nd.ttest(cp, 4) {
        return Ok(None);
    }
    let t = nd.be16(cp)?;
    nd.pf(format_args!(" {}", type_name(t)));
    let i = nd.be16(cp + 2)?;
    let class = if mdns { i & !0x8000 } else { i };
    if class != C_IN {
        nd.pf(format_args!(" {}", class_name(class)));
    }
    if mdns {
        nd.p(if i & 0x8000 != 0 { " (QU)" } else { " (QM)" });
    }
    nd.p("? ");
    Ok(fqdn_print(nd, np, bp)?.map(|e| e + 4))
}

/// Seconds as `1w2d3h` (`unsigned_relts_print`).
fn relts(mut secs: u32) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let mut s = String::new();
    for (unit, name) in [
        (31_536_000, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3600, "h"),
        (60, "m"),
        (1, "s"),
    ] {
        if secs >= unit {
            s.push_str(&format!("{}{name}", secs / unit));
            secs -= (secs / unit) * unit;
        }
    }
    s
}

/// A resource record (`ns_rprint`): `Some(end)`, `Some(snapend)` when its fixed part was not
/// captured, or `None` when it could not be printed.
fn ns_rprint(nd: &mut Nd, cp: usize, bp: usize, mdns: bool) -> R<Option<usize>> {
    let cp = if nd.o.verbose > 0 {
        nd.p(" ");
        match fqdn_print(nd, cp, bp)? {
            Some(c) => Some(c),
            None => return Ok(None),
        }
    } else {
        ns_nskip(nd, cp)?
    };
    let Some(mut cp) = cp else {
        return Ok(Some(nd.snapend));
    };
    if !nd.ttest(cp, 10) {
        return Ok(Some(nd.snapend));
    }
    let typ = nd.be16(cp)?;
    cp += 2;
    let i = nd.be16(cp)?;
    cp += 2;
    let class = if mdns { i & !0x8000 } else { i };
    if class != C_IN && typ != T_OPT {
        nd.pf(format_args!(" {}", class_name(class)));
    }
    if mdns && i & 0x8000 != 0 {
        nd.p(" (Cache flush)");
    }
    let mut opt_flags = 0;
    if typ == T_OPT {
        cp += 2;
        opt_flags = nd.be16(cp)?;
        cp += 2;
    } else if nd.o.verbose > 2 {
        let ttl = nd.be32(cp)?;
        nd.pf(format_args!(" [{}]", relts(ttl)));
        cp += 4;
    } else {
        cp += 4;
    }
    let len = usize::from(nd.be16(cp)?);
    cp += 2;
    let rp = cp + len;
    nd.pf(format_args!(" {}", type_name(typ)));
    if rp > nd.snapend {
        return Ok(None);
    }
    match typ {
        1 => {
            if !nd.ttest(cp, 4) {
                return Ok(None);
            }
            let b = nd.bytes(cp, 4)?;
            nd.pf(format_args!(" {}", Ipv4Addr::new(b[0], b[1], b[2], b[3])));
        }
        2 | 5 | 12 | 39 => {
            nd.p(" ");
            if fqdn_print(nd, cp, bp)?.is_none() {
                return Ok(None);
            }
        }
        6 if nd.o.verbose > 0 => {
            nd.p(" ");
            let Some(c) = fqdn_print(nd, cp, bp)? else {
                return Ok(None);
            };
            nd.p(" ");
            let Some(c) = fqdn_print(nd, c, bp)? else {
                return Ok(None);
            };
            if !nd.ttest(c, 20) {
                return Ok(None);
            }
            for k in 0..5 {
                let v = nd.be32(c + 4 * k)?;
                nd.pf(format_args!(" {v}"));
            }
        }
        15 => {
            nd.p(" ");
            if !nd.ttest(cp, 2) {
                return Ok(None);
            }
            if fqdn_print(nd, cp + 2, bp)?.is_none() {
                return Ok(None);
            }
            let pref = nd.be16(cp)?;
            nd.pf(format_args!(" {pref}"));
        }
        16 => {
            let mut c = cp;
            while c < rp {
                nd.p(" \"");
                match ns_cprint(nd, c)? {
                    Some(n) => c = n,
                    None => return Ok(None),
                }
                nd.p("\"");
            }
        }
        33 => {
            nd.p(" ");
            if !nd.ttest(cp, 6) {
                return Ok(None);
            }
            if fqdn_print(nd, cp + 6, bp)?.is_none() {
                return Ok(None);
            }
            let (port, prio, weight) = (nd.be16(cp + 4)?, nd.be16(cp)?, nd.be16(cp + 2)?);
            nd.pf(format_args!(":{port} {prio} {weight}"));
        }
        28 => {
            if !nd.ttest(cp, 16) {
                return Ok(None);
            }
            let mut a = [0u8; 16];
            a.copy_from_slice(nd.bytes(cp, 16)?);
            nd.pf(format_args!(" {}", ip6_to_string(&a)));
        }
        38 => {
            if !nd.ttest(cp, 1) {
                return Ok(None);
            }
            let pbit = usize::from(nd.u8(cp)?);
            let pbyte = (pbit & !7) / 8;
            if pbit > 128 {
                nd.pf(format_args!(" {pbit}(bad plen)"));
                return Ok(Some(rp));
            } else if pbit < 128 {
                let mut a = [0u8; 16];
                a[pbyte..].copy_from_slice(nd.bytes(cp + 1, 16 - pbyte)?);
                nd.pf(format_args!(" {pbit} {}", ip6_to_string(&a)));
            }
            if pbit > 0 {
                nd.p(" ");
                if fqdn_print(nd, cp + 1 + 16 - pbyte, bp)?.is_none() {
                    return Ok(None);
                }
            }
        }
        256 => {
            if !nd.ttest(cp, len) {
                return Ok(None);
            }
            let (a, b) = (nd.be16(cp)?, nd.be16(cp + 2)?);
            nd.pf(format_args!(" {a} {b} "));
            if !printn_to_snapend(nd, cp + 4, len.wrapping_sub(4))? {
                return Ok(None);
            }
        }
        T_OPT => {
            nd.pf(format_args!(" UDPsize={class}"));
            if opt_flags & 0x8000 != 0 {
                nd.p(" DO");
            }
            if cp < rp {
                nd.p(" [");
                let mut c = cp;
                while c < rp {
                    match eopt_print(nd, c)? {
                        Some(n) => c = n,
                        None => return Ok(None),
                    }
                    if c < rp {
                        nd.p(",");
                    }
                }
                nd.p("]");
            }
        }
        104 => {
            if !nd.ttest(cp, len) {
                return Ok(None);
            }
            if !printn_to_snapend(nd, cp, len)? {
                return Ok(None);
            }
        }
        250 => {
            if cp + len > nd.snapend {
                return Ok(None);
            }
            if nd.o.verbose > 0 {
                nd.p(" ");
                let Some(mut c) = fqdn_print(nd, cp, bp)? else {
                    return Ok(None);
                };
                c += 6;
                for (name, skip) in [
                    ("fudge", false),
                    ("maclen", true),
                    ("origid", false),
                    ("error", false),
                    ("otherlen", false),
                ] {
                    if !nd.ttest(c, 2) {
                        return Ok(None);
                    }
                    let v = nd.be16(c)?;
                    nd.pf(format_args!(" {name}={v}"));
                    c += 2;
                    if skip {
                        c += usize::from(v);
                    }
                }
            }
        }
        _ => {}
    }
    Ok(Some(rp))
}

/// An EDNS option of an OPT record (`eopt_print`).
fn eopt_print(nd: &mut Nd, cp: usize) -> R<Option<usize>> {
    if !nd.ttest(cp, 2) {
        return Ok(None);
    }
    let opt = nd.be16(cp)?;
    let name = match opt {
        1 => "LLQ".to_string(),
        2 => "UL".to_string(),
        3 => "NSID".to_string(),
        5 => "DAU".to_string(),
        6 => "DHU".to_string(),
        7 => "N3U".to_string(),
        8 => "ECS".to_string(),
        9 => "EXPIRE".to_string(),
        10 => "COOKIE".to_string(),
        11 => "KEEPALIVE".to_string(),
        12 => "PADDING".to_string(),
        13 => "CHAIN".to_string(),
        14 => "KEY-TAG".to_string(),
        16 => "CLIENT-TAG".to_string(),
        17 => "SERVER-TAG".to_string(),
        _ => format!("Opt{opt}"),
    };
    nd.p(&name);
    if !nd.ttest(cp + 2, 2) {
        return Ok(None);
    }
    let len = usize::from(nd.be16(cp + 2)?);
    let d = cp + 4;
    if !nd.ttest(d, len) {
        return Ok(None);
    }
    if len > 0 {
        nd.p(" ");
        let data = nd.bytes(d, len)?;
        match opt {
            8 => ecs_print(nd, data),
            10 => {
                if len < 8 || (len > 8 && len < 16) || len > 40 {
                    nd.print_invalid();
                } else {
                    let mut s = String::new();
                    for (i, b) in data.iter().enumerate() {
                        if i == 8 {
                            s.push(' ');
                        }
                        s.push_str(&format!("{b:02x}"));
                    }
                    nd.p(&s);
                }
            }
            11 => {
                if len != 2 {
                    nd.print_invalid();
                } else {
                    let v = u16::from_be_bytes([data[0], data[1]]);
                    nd.pf(format_args!("{:.1} sec", f64::from(v) / 10.0));
                }
            }
            9 => {
                if len != 4 {
                    nd.print_invalid();
                } else {
                    let v = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
                    nd.pf(format_args!("{v} sec"));
                }
            }
            12 => nd.pf(format_args!("({len})")),
            14 => {
                if len % 2 != 0 {
                    nd.print_invalid();
                } else {
                    let v: Vec<String> = data
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]).to_string())
                        .collect();
                    nd.p(&v.join(" "));
                }
            }
            5..=7 => {
                let v: Vec<String> = data.iter().map(|&a| alg_name(opt, a)).collect();
                nd.p(&v.join(" "));
            }
            13 => {
                fqdn_print(nd, d, d + len)?;
            }
            _ => {
                let s: String = data.iter().map(|b| format!("{b:02x}")).collect();
                nd.p(&s);
            }
        }
    }
    Ok(Some(d + len))
}

fn alg_name(opt: u16, a: u8) -> String {
    let n = match (opt, a) {
        (5, 0) => "DELETE",
        (5, 1) => "RSAMD5",
        (5, 2) => "DH",
        (5, 3) => "DS",
        (5, 5) => "RSASHA1",
        (5, 6) => "DSA-NSEC3-SHA1",
        (5, 7) => "RSASHA1-NSEC3-SHA1",
        (5, 8) => "RSASHA256",
        (5, 10) => "RSASHA512",
        (5, 12) => "ECC-GOST",
        (5, 13) => "ECDSAP256SHA256",
        (5, 14) => "ECDSAP384SHA384",
        (5, 15) => "ED25519",
        (5, 16) => "ED448",
        (5, 252) => "INDIRECT",
        (5, 253) => "PRIVATEDNS",
        (5, 254) => "PRIVATEOID",
        (6, 1) => "SHA-1",
        (6, 2) => "SHA-256",
        (6, 3) => "GOST_R_34.11-94",
        (6, 4) => "SHA-384",
        (7, 1) => "SHA-1",
        _ => return format!("Alg_{a}"),
    };
    n.to_string()
}

/// EDNS client subnet: `192.0.2.0/24/0`.
fn ecs_print(nd: &mut Nd, data: &[u8]) {
    if data.len() < 4 {
        nd.print_invalid();
        return;
    }
    let family = u16::from_be_bytes([data[0], data[1]]);
    let (src_len, scope_len) = (usize::from(data[2]), usize::from(data[3]));
    let addr_bits = match family {
        1 => 32,
        2 => 128,
        _ => {
            nd.print_invalid();
            return;
        }
    };
    let alen = data.len() - 4;
    if alen > addr_bits / 8
        || src_len > addr_bits
        || scope_len > addr_bits
        || src_len.div_ceil(8) != alen
    {
        nd.print_invalid();
        return;
    }
    let mut padded = [0u8; 16];
    padded[..alen].copy_from_slice(&data[4..]);
    let a = if family == 1 {
        Ipv4Addr::new(padded[0], padded[1], padded[2], padded[3]).to_string()
    } else {
        ip6_to_string(&padded)
    };
    nd.pf(format_args!("{a}/{src_len}/{scope_len}"));
}

/// A DNS message at `bp` of `length` bytes (`domain_print`).
pub(crate) fn domain_print(nd: &mut Nd, bp: usize, length: usize, over_tcp: bool, mdns: bool) -> R {
    nd.protocol = "domain";
    let (bp, length) = if over_tcp {
        if length < 2 {
            nd.pf(format_args!(" [DNS over TCP: length {length} < 2]"));
            nd.print_invalid();
            return Ok(());
        }
        let length = length - 2;
        let prefix = usize::from(nd.be16(bp)?);
        if prefix != length {
            nd.pf(format_args!(
                " [prefix length({prefix}) != length({length})]"
            ));
            nd.print_invalid();
            return Ok(());
        }
        nd.p(" ");
        (bp + 2, length)
    } else {
        (bp, length)
    };
    if length < 12 {
        nd.p(nd.protocol);
        nd.pf(format_args!(" [length {length} < 12]"));
        nd.print_invalid();
        return Ok(());
    }
    if !nd.ttest(bp, 12) {
        nd.print_trunc();
        return Ok(());
    }
    let flags = nd.be16(bp + 2)?;
    let mut qdcount = u32::from(nd.be16(bp + 4)?);
    let mut ancount = u32::from(nd.be16(bp + 6)?);
    let mut nscount = u32::from(nd.be16(bp + 8)?);
    let mut arcount = u32::from(nd.be16(bp + 10)?);
    // The OPT record's extended response code, found by skipping to it.
    let mut rcode = u32::from(flags & 0x000f);
    'find: {
        let mut cp = bp + 12;
        for _ in 0..qdcount {
            let Some(c) = ns_nskip(nd, cp)? else {
                break 'find;
            };
            cp = c + 4;
            if cp >= nd.snapend {
                break 'find;
            }
        }
        for _ in 0..ancount + nscount {
            let Some(c) = ns_nskip(nd, cp)? else {
                break 'find;
            };
            cp = c + 8;
            if cp + 2 > nd.snapend {
                break 'find;
            }
            let rdlen = usize::from(nd.be16(cp)?);
            cp += 2 + rdlen;
            if cp >= nd.snapend {
                break 'find;
            }
        }
        for _ in 0..arcount {
            let Some(c) = ns_nskip(nd, cp)? else {
                break 'find;
            };
            cp = c;
            if cp + 2 > nd.snapend {
                break 'find;
            }
            let ty = nd.be16(cp)?;
            cp += 4;
            if cp + 1 > nd.snapend {
                break 'find;
            }
            if ty == T_OPT {
                rcode |= u32::from(nd.u8(cp)?) << 4;
                break 'find;
            }
            cp += 4;
            if cp + 2 > nd.snapend {
                break 'find;
            }
            let rdlen = usize::from(nd.be16(cp)?);
            cp += 2 + rdlen;
            if cp >= nd.snapend {
                break 'find;
            }
        }
    }
    let id = nd.be16(bp)?;
    let opcode = NS_OPS[usize::from((flags >> 11) & 0xf)];
    let v = nd.o.verbose;
    let trunc = |nd: &mut Nd| {
        nd.print_trunc();
        Ok(())
    };
    // A run of records separated by commas; false when one could not be printed.
    let records = |nd: &mut Nd, cp: &mut usize, count: &mut u32, lead: &str| -> R<bool> {
        if *cp < nd.snapend && *count > 0 {
            nd.p(lead);
            match ns_rprint(nd, *cp, bp, mdns)? {
                Some(c) => *cp = c,
                None => return Ok(false),
            }
            *count -= 1;
            while *cp < nd.snapend && *count > 0 {
                nd.p(",");
                match ns_rprint(nd, *cp, bp, mdns)? {
                    Some(c) => *cp = c,
                    None => return Ok(false),
                }
                *count -= 1;
            }
        }
        Ok(*count == 0)
    };
    let mut cp = bp + 12;
    if flags & 0x8000 != 0 {
        nd.pf(format_args!(
            "{id}{opcode}{}{}{}{}{}",
            rcode_string(rcode),
            if flags & 0x0400 != 0 { "*" } else { "" },
            if flags & 0x0080 != 0 { "" } else { "-" },
            if flags & 0x0200 != 0 { "|" } else { "" },
            if flags & 0x0020 != 0 { "$" } else { "" }
        ));
        if qdcount != 1 {
            nd.pf(format_args!(" [{qdcount}q]"));
        }
        for i in 0..qdcount {
            if i != 0 {
                nd.p(",");
            }
            if v > 1 {
                nd.p(" q:");
                match ns_qprint(nd, cp, bp, mdns)? {
                    Some(c) => cp = c,
                    None => return trunc(nd),
                }
            } else {
                match ns_nskip(nd, cp)? {
                    Some(c) => cp = c + 4,
                    None => return trunc(nd),
                }
            }
        }
        nd.pf(format_args!(" {ancount}/{nscount}/{arcount}"));
        if ancount > 0 {
            match ns_rprint(nd, cp, bp, mdns)? {
                Some(c) => cp = c,
                None => return trunc(nd),
            }
            ancount -= 1;
            while cp < nd.snapend && ancount > 0 {
                nd.p(",");
                match ns_rprint(nd, cp, bp, mdns)? {
                    Some(c) => cp = c,
                    None => return trunc(nd),
                }
                ancount -= 1;
            }
        }
        if ancount > 0 {
            return trunc(nd);
        }
        if v > 1 {
            if !records(nd, &mut cp, &mut nscount, " ns:")? {
                return trunc(nd);
            }
            if !records(nd, &mut cp, &mut arcount, " ar:")? {
                return trunc(nd);
            }
        }
    } else {
        nd.pf(format_args!(
            "{id}{opcode}{}{}",
            if flags & 0x0100 != 0 { "+" } else { "" },
            if flags & 0x0010 != 0 { "%" } else { "" }
        ));
        if flags & 0x6cf != 0 {
            nd.pf(format_args!(" [b2&3=0x{flags:x}]"));
        }
        if (flags >> 11) & 0xf == 1 {
            if qdcount > 0 {
                nd.pf(format_args!(" [{qdcount}q]"));
            }
            if ancount != 1 {
                nd.pf(format_args!(" [{ancount}a]"));
            }
        } else {
            if ancount > 0 {
                nd.pf(format_args!(" [{ancount}a]"));
            }
            if qdcount != 1 {
                nd.pf(format_args!(" [{qdcount}q]"));
            }
        }
        if nscount > 0 {
            nd.pf(format_args!(" [{nscount}n]"));
        }
        if arcount > 0 {
            nd.pf(format_args!(" [{arcount}au]"));
        }
        if qdcount > 0 {
            match ns_qprint(nd, cp, bp, mdns)? {
                Some(c) => cp = c,
                None => return trunc(nd),
            }
            qdcount -= 1;
            while cp < nd.snapend && qdcount > 0 {
                match ns_qprint(nd, cp, bp, mdns)? {
                    Some(c) => cp = c,
                    None => return trunc(nd),
                }
                qdcount -= 1;
            }
        }
        if qdcount > 0 {
            return trunc(nd);
        }
        if v > 1 {
            if ancount > 0 {
                match ns_rprint(nd, cp, bp, mdns)? {
                    Some(c) => cp = c,
                    None => return trunc(nd),
                }
                ancount -= 1;
                while cp < nd.snapend && ancount > 0 {
                    nd.p(",");
                    match ns_rprint(nd, cp, bp, mdns)? {
                        Some(c) => cp = c,
                        None => return trunc(nd),
                    }
                    ancount -= 1;
                }
            }
            if ancount > 0 {
                return trunc(nd);
            }
            if !records(nd, &mut cp, &mut nscount, " ns:")? {
                return trunc(nd);
            }
            if !records(nd, &mut cp, &mut arcount, " ar:")? {
                return trunc(nd);
            }
        }
    }
    nd.pf(format_args!(" ({length})"));
    Ok(())
}

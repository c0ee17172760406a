//! The tokens of a filter expression, split as libpcap's flex scanner splits them: at each
//! point the longest match wins, and among equally long ones the rule listed first
//! (keywords, then MAC addresses, numbers, dotted addresses, IPv6 addresses, names).

use crate::Error;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A number (also the named constants such as `tcpflags` or `icmp-echo`).
    Num(u32),
    /// A dotted IPv4 address or prefix of one (`10.1`).
    Hid(String),
    Hid6(String),
    /// A MAC address.
    Eid(String),
    /// A name (a host, a port, `\tcp`, `20-25`).
    Id(String),
    Kw(Kw),
    LParen,
    RParen,
    LBrack,
    RBrack,
    Colon,
    /// `+ - * / % & | ^` (arithmetic).
    Arith(char),
    Shl,
    Shr,
    Gt,
    Ge,
    Lt,
    Le,
    /// `=` or `==`.
    Eq,
    Ne,
    Not,
    And,
    Or,
}

/// Keywords of the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kw {
    Dst,
    Src,
    Host,
    Net,
    Mask,
    Port,
    PortRange,
    Proto,
    ProtoChain,
    Gateway,
    Less,
    Greater,
    Broadcast,
    Multicast,
    Len,
    Inbound,
    Outbound,
    Vlan,
    Ifname,
    /// A protocol qualifier (`ether`, `ip`, `tcp`, ...).
    P(crate::parse::Proto),
}

const KEYWORDS: &[(&str, Kw)] = {
    use crate::parse::Proto as P;
    &[
        ("dst", Kw::Dst),
        ("src", Kw::Src),
        ("host", Kw::Host),
        ("net", Kw::Net),
        ("mask", Kw::Mask),
        ("port", Kw::Port),
        ("portrange", Kw::PortRange),
        ("proto", Kw::Proto),
        ("protochain", Kw::ProtoChain),
        ("gateway", Kw::Gateway),
        ("less", Kw::Less),
        ("greater", Kw::Greater),
        ("broadcast", Kw::Broadcast),
        ("multicast", Kw::Multicast),
        ("len", Kw::Len),
        ("length", Kw::Len),
        ("inbound", Kw::Inbound),
        ("outbound", Kw::Outbound),
        ("vlan", Kw::Vlan),
        ("ifname", Kw::Ifname),
        ("on", Kw::Ifname),
        ("link", Kw::P(P::Link)),
        ("ether", Kw::P(P::Link)),
        ("ppp", Kw::P(P::Link)),
        ("slip", Kw::P(P::Link)),
        ("fddi", Kw::P(P::Link)),
        ("tr", Kw::P(P::Link)),
        ("wlan", Kw::P(P::Link)),
        ("ip", Kw::P(P::Ip)),
        ("ip6", Kw::P(P::Ip6)),
        ("arp", Kw::P(P::Arp)),
        ("rarp", Kw::P(P::Rarp)),
        ("tcp", Kw::P(P::Tcp)),
        ("udp", Kw::P(P::Udp)),
        ("sctp", Kw::P(P::Sctp)),
        ("icmp", Kw::P(P::Icmp)),
        ("icmp6", Kw::P(P::Icmp6)),
        ("igmp", Kw::P(P::Igmp)),
        ("igrp", Kw::P(P::Igrp)),
        ("pim", Kw::P(P::Pim)),
        ("vrrp", Kw::P(P::Vrrp)),
        ("carp", Kw::P(P::Carp)),
        ("ah", Kw::P(P::Ah)),
        ("esp", Kw::P(P::Esp)),
    ]
};

/// Named constants the scanner turns into numbers.
const CONSTANTS: &[(&str, u32)] = &[
    ("icmptype", 0),
    ("icmpcode", 1),
    ("icmp-echoreply", 0),
    ("icmp-unreach", 3),
    ("icmp-sourcequench", 4),
    ("icmp-redirect", 5),
    ("icmp-echo", 8),
    ("icmp-routeradvert", 9),
    ("icmp-routersolicit", 10),
    ("icmp-timxceed", 11),
    ("icmp-paramprob", 12),
    ("icmp-tstamp", 13),
    ("icmp-tstampreply", 14),
    ("icmp-ireq", 15),
    ("icmp-ireqreply", 16),
    ("icmp-maskreq", 17),
    ("icmp-maskreply", 18),
    ("icmp6type", 0),
    ("icmp6code", 1),
    ("icmp6-destinationunreach", 1),
    ("icmp6-packettoobig", 2),
    ("icmp6-timeexceeded", 3),
    ("icmp6-parameterproblem", 4),
    ("icmp6-echo", 128),
    ("icmp6-echoreply", 129),
    ("icmp6-multicastlistenerquery", 130),
    ("icmp6-multicastlistenerreportv1", 131),
    ("icmp6-multicastlistenerdone", 132),
    ("icmp6-routersolicit", 133),
    ("icmp6-routeradvert", 134),
    ("icmp6-neighborsolicit", 135),
    ("icmp6-neighboradvert", 136),
    ("icmp6-redirect", 137),
    ("icmp6-routerrenum", 138),
    ("icmp6-nodeinformationquery", 139),
    ("icmp6-nodeinformationresponse", 140),
    ("icmp6-ineighbordiscoverysolicit", 141),
    ("icmp6-ineighbordiscoveryadvert", 142),
    ("icmp6-multicastlistenerreportv2", 143),
    ("icmp6-homeagentdiscoveryrequest", 144),
    ("icmp6-homeagentdiscoveryreply", 145),
    ("icmp6-mobileprefixsolicit", 146),
    ("icmp6-mobileprefixadvert", 147),
    ("icmp6-certpathsolicit", 148),
    ("icmp6-certpathadvert", 149),
    ("icmp6-multicastrouteradvert", 151),
    ("icmp6-multicastroutersolicit", 152),
    ("icmp6-multicastrouterterm", 153),
    ("tcpflags", 13),
    ("tcp-fin", 0x01),
    ("tcp-syn", 0x02),
    ("tcp-rst", 0x04),
    ("tcp-push", 0x08),
    ("tcp-ack", 0x10),
    ("tcp-urg", 0x20),
    ("tcp-ece", 0x40),
    ("tcp-cwr", 0x80),
];

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

/// Length of a number (`[0-9]+` or `0x[0-9a-f]+`) at the start of `s`.
fn num_len(s: &[u8]) -> usize {
    if s.len() > 2 && s[0] == b'0' && (s[1] == b'x' || s[1] == b'X') && is_hex(s[2]) {
        return 2 + s[2..].iter().take_while(|c| is_hex(**c)).count();
    }
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Length of a dotted address `N.N`, `N.N.N` or `N.N.N.N`.
fn hid_len(s: &[u8]) -> usize {
    let mut at = num_len(s);
    if at == 0 {
        return 0;
    }
    let mut best = 0;
    for _ in 0..3 {
        if s.get(at) != Some(&b'.') {
            break;
        }
        let n = num_len(&s[at + 1..]);
        if n == 0 {
            break;
        }
        at += 1 + n;
        best = at;
    }
    best
}

/// Length of the longest IPv6 address at the start of `s`.
fn hid6_len(s: &[u8]) -> usize {
    let run = s
        .iter()
        .take_while(|c| is_hex(**c) || **c == b':' || **c == b'.')
        .count();
    (2..=run)
        .rev()
        .find(|&n| {
            let t = std::str::from_utf8(&s[..n]).unwrap_or("");
            t.contains(':') && t.parse::<std::net::Ipv6Addr>().is_ok()
        })
        .unwrap_or(0)
}

/// Length of 1 or 2 hex digits.
fn b_len(s: &[u8]) -> usize {
    s.iter().take(2).take_while(|c| is_hex(**c)).count()
}

/// Length of a MAC address: six groups of 1–2 hex digits joined by `:`, `-` or `.`, three
/// groups of 4 (`0011.2233.4455`) or 12 hex digits.
fn eid_len(s: &[u8]) -> usize {
    let mut best = 0;
    for sep in [b':', b'-', b'.'] {
        let mut at = 0;
        let mut ok = true;
        for i in 0..6 {
            if i > 0 {
                if s.get(at) != Some(&sep) {
                    ok = false;
                    break;
                }
                at += 1;
            }
            let n = b_len(&s[at.min(s.len())..]);
            if n == 0 {
                ok = false;
                break;
            }
            at += n;
        }
        if ok {
            best = best.max(at);
        }
    }
    let quad = |at: usize| s.len() >= at + 4 && s[at..at + 4].iter().all(|c| is_hex(*c));
    if quad(0) && s.get(4) == Some(&b'.') && quad(5) && s.get(9) == Some(&b'.') && quad(10) {
        best = best.max(14);
    }
    if s.iter().take_while(|c| is_hex(**c)).count() == 12 {
        best = best.max(12);
    }
    best
}

/// Length of what libpcap rejects as a bogus MAC address: `{B}:+({B}:+)+`.
fn bogus_len(s: &[u8]) -> usize {
    let mut at = 0;
    let mut groups = 0;
    loop {
        let n = b_len(&s[at..]);
        if n == 0 {
            break;
        }
        let colons = s[at + n..].iter().take_while(|c| **c == b':').count();
        if colons == 0 {
            break;
        }
        at += n + colons;
        groups += 1;
    }
    if groups >= 2 {
        at
    } else {
        0
    }
}

fn id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.'
}

/// Length of a name: `[A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?`.
fn id_len(s: &[u8]) -> usize {
    if !s.first().is_some_and(u8::is_ascii_alphanumeric) {
        return 0;
    }
    let mut n = 1 + s[1..].iter().take_while(|c| id_char(**c)).count();
    while n > 1 && (s[n - 1] == b'-' || s[n - 1] == b'_') {
        n -= 1;
    }
    n
}

/// `stoulen()`: decimal, `0x` hex or `0` octal, as libpcap reads numbers.
pub fn number(text: &str) -> Result<u32, Error> {
    let (digits, radix) = if let Some(h) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
        (h, 16)
    } else if text.len() > 1 && text.starts_with('0') {
        if text.bytes().any(|c| c == b'8' || c == b'9') {
            return Err(Error(format!("number {text} contains non-octal digit")));
        }
        (&text[1..], 8)
    } else {
        (text, 10)
    };
    u32::from_str_radix(digits, radix)
        .map_err(|_| Error(format!("number {text} overflows 32 bits")))
}

/// Splits `expr` into tokens.
pub fn lex(expr: &str) -> Result<Vec<Tok>, Error> {
    let s = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let rest = &s[i..];
        let two = |a: u8, b: u8| c == a && rest.get(1) == Some(&b);
        if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
            i += 1;
            continue;
        }
        let punct = if two(b'>', b'=') {
            Some((Tok::Ge, 2))
        } else if two(b'<', b'=') {
            Some((Tok::Le, 2))
        } else if two(b'!', b'=') {
            Some((Tok::Ne, 2))
        } else if two(b'=', b'=') {
            Some((Tok::Eq, 2))
        } else if two(b'<', b'<') {
            Some((Tok::Shl, 2))
        } else if two(b'>', b'>') {
            Some((Tok::Shr, 2))
        } else if two(b'&', b'&') {
            Some((Tok::And, 2))
        } else if two(b'|', b'|') {
            Some((Tok::Or, 2))
        } else {
            match c {
                b'(' => Some((Tok::LParen, 1)),
                b')' => Some((Tok::RParen, 1)),
                b'[' => Some((Tok::LBrack, 1)),
                b']' => Some((Tok::RBrack, 1)),
                b':' if hid6_len(rest) == 0 => Some((Tok::Colon, 1)),
                b'>' => Some((Tok::Gt, 1)),
                b'<' => Some((Tok::Lt, 1)),
                b'=' => Some((Tok::Eq, 1)),
                b'!' => Some((Tok::Not, 1)),
                b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' => {
                    Some((Tok::Arith(c as char), 1))
                }
                _ => None,
            }
        };
        if let Some((t, n)) = punct {
            out.push(t);
            i += n;
            continue;
        }
        if c == b'\\' {
            let n = rest[1..]
                .iter()
                .take_while(|c| !matches!(c, b' ' | b'!' | b'(' | b')' | b'\n' | b'\t'))
                .count();
            if n > 0 {
                out.push(Tok::Id(String::from_utf8_lossy(&rest[1..=n]).into_owned()));
                i += 1 + n;
                continue;
            }
        }
        // Longest match; on a tie the earlier rule wins.
        let word = id_len(rest);
        let kw = std::str::from_utf8(&rest[..word]).ok().and_then(|w| {
            match w {
                "and" => return Some(Tok::And),
                "or" => return Some(Tok::Or),
                "not" => return Some(Tok::Not),
                _ => {}
            }
            KEYWORDS
                .iter()
                .find(|(k, _)| *k == w)
                .map(|(_, kw)| Tok::Kw(*kw))
                .or_else(|| {
                    CONSTANTS
                        .iter()
                        .find(|(k, _)| *k == w)
                        .map(|(_, v)| Tok::Num(*v))
                })
        });
        let candidates = [
            eid_len(rest),
            num_len(rest),
            hid_len(rest),
            hid6_len(rest),
            bogus_len(rest),
            word,
        ];
        let best = candidates.iter().copied().max().unwrap_or(0);
        if best == 0 {
            let bad = rest
                .iter()
                .take_while(|c| !c.is_ascii_alphanumeric() && !b" []\t\n-_.!<>()&|=".contains(c))
                .count();
            let text = String::from_utf8_lossy(&rest[..bad.max(1)]).into_owned();
            return Err(if bad > 0 {
                Error(format!("illegal token: {text}"))
            } else {
                Error(format!("illegal char '{text}'"))
            });
        }
        let text = String::from_utf8_lossy(&rest[..best]).into_owned();
        let tok = match kw {
            Some(t) if word == best => t,
            _ => match candidates.iter().position(|&n| n == best) {
                Some(0) => Tok::Eid(text),
                Some(1) => Tok::Num(number(&text)?),
                Some(2) => Tok::Hid(text),
                Some(3) => Tok::Hid6(text),
                Some(4) => return Err(Error(format!("bogus ethernet address {text}"))),
                _ => Tok::Id(text),
            },
        };
        out.push(tok);
        i += best;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_as_flex_does() {
        assert_eq!(
            lex("tcp[13]&0x12!=0").unwrap(),
            vec![
                Tok::Kw(Kw::P(crate::parse::Proto::Tcp)),
                Tok::LBrack,
                Tok::Num(13),
                Tok::RBrack,
                Tok::Arith('&'),
                Tok::Num(0x12),
                Tok::Ne,
                Tok::Num(0)
            ]
        );
        assert_eq!(lex("portrange 1-5").unwrap()[1], Tok::Id("1-5".into()));
        assert_eq!(lex("10.1").unwrap(), vec![Tok::Hid("10.1".into())]);
        assert_eq!(lex("fe80::1/64").unwrap()[0], Tok::Hid6("fe80::1".into()));
        assert_eq!(
            lex("00:11:22:33:44:55").unwrap(),
            vec![Tok::Eid("00:11:22:33:44:55".into())]
        );
        assert_eq!(lex("icmp-echo").unwrap(), vec![Tok::Num(8)]);
        assert_eq!(lex("\\tcp").unwrap(), vec![Tok::Id("tcp".into())]);
        assert_eq!(lex("1:2:3").unwrap_err().0, "bogus ethernet address 1:2:");
        assert_eq!(
            lex("port 080").unwrap_err().0,
            "number 080 contains non-octal digit"
        );
    }
}

//! Name and address lookups as glibc does them for the tools here: numeric forms
//! (`inet_aton`, `inet_pton`), `/etc/hosts` forward and reverse, and the `getaddrinfo` errors
//! a lab without a reachable DNS server gives.
//!
//! What it owns: parsing of IPv4 text forms and of the hosts file (hosts(5)), and the error
//! strings of gai_strerror(3). What it does not: DNS. A lab has no name server yet, so a name
//! that is not in `/etc/hosts` fails as glibc fails when no server answers ("Temporary failure
//! in name resolution"), unless glibc would not even ask (an empty or malformed name: "Name or
//! service not known"). Reverse lookups that miss give the numeric form, as getnameinfo(3)
//! without `NI_NAMEREQD` does.

use std::net::Ipv4Addr;

use tsunagi_lab::{OpenMode, Proc};

/// A `getaddrinfo` failure (the ones these tools can meet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GaiError {
    /// `EAI_AGAIN`: the name needed DNS and no server answered.
    Again,
    /// `EAI_NONAME`: the name cannot exist.
    NoName,
    /// `EAI_ADDRFAMILY`: the host has no address of the requested family.
    AddrFamily,
}

impl GaiError {
    /// gai_strerror(3).
    pub fn message(self) -> &'static str {
        match self {
            GaiError::Again => "Temporary failure in name resolution",
            GaiError::NoName => "Name or service not known",
            GaiError::AddrFamily => "Address family for hostname not supported",
        }
    }
}

/// `inet_aton(3)`: one to four parts, each decimal, octal (`0` prefix) or hex (`0x`); the
/// last part fills the remaining bytes. Trailing white space and whatever follows it are
/// accepted, as glibc accepts them.
pub fn inet_aton(s: &str) -> Option<Ipv4Addr> {
    aton(s, false)
}

/// glibc's `__inet_aton_exact`, which `getaddrinfo` uses for numeric hosts: like
/// [`inet_aton`] but nothing may follow the address.
pub fn inet_aton_exact(s: &str) -> Option<Ipv4Addr> {
    aton(s, true)
}

fn aton(s: &str, exact: bool) -> Option<Ipv4Addr> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut parts: Vec<u64> = Vec::new();
    let mut digit;
    loop {
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut base = 10;
        // glibc checks that the last part had a digit ("0x" alone has none).
        digit = false;
        if b[i] == b'0' {
            i += 1;
            if matches!(b.get(i), Some(b'x') | Some(b'X')) {
                base = 16;
                i += 1;
            } else {
                base = 8;
                digit = true;
            }
        }
        let mut val: u64 = 0;
        while let Some(&c) = b.get(i) {
            let d = match c {
                b'0'..=b'9' => u64::from(c - b'0'),
                b'a'..=b'f' if base == 16 => u64::from(c - b'a' + 10),
                b'A'..=b'F' if base == 16 => u64::from(c - b'A' + 10),
                _ => break,
            };
            if base == 8 && d >= 8 {
                return None;
            }
            val = val * base + d;
            if val > 0xffff_ffff {
                return None;
            }
            digit = true;
            i += 1;
        }
        if b.get(i) == Some(&b'.') {
            if parts.len() >= 3 || val > 0xff {
                return None;
            }
            parts.push(val);
            i += 1;
        } else {
            parts.push(val);
            break;
        }
    }
    if let Some(&c) = b.get(i) {
        if exact || !c.is_ascii_whitespace() {
            return None;
        }
    }
    if !digit {
        return None;
    }
    let last = parts.pop().unwrap_or(0);
    let max = match parts.len() {
        0 => 0xffff_ffff,
        1 => 0xff_ffff,
        2 => 0xffff,
        _ => 0xff,
    };
    if last > max {
        return None;
    }
    let mut v: u64 = 0;
    for (n, p) in parts.iter().enumerate() {
        v |= p << (24 - 8 * n);
    }
    Some(Ipv4Addr::from((v | last) as u32))
}

/// `inet_pton(AF_INET)`: exactly four decimal parts, no leading zeros beyond one digit.
pub fn inet_pton(s: &str) -> Option<Ipv4Addr> {
    let mut out = [0u8; 4];
    let mut n = 0;
    for part in s.split('.') {
        if n == 4 || part.is_empty() || part.len() > 3 || !part.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        if part.len() > 1 && part.starts_with('0') {
            return None;
        }
        out[n] = part.parse::<u8>().ok()?;
        n += 1;
    }
    (n == 4).then(|| Ipv4Addr::from(out))
}

/// glibc's `res_hnok`: would the resolver ask DNS about this name at all?
fn hostname_ok(name: &str) -> bool {
    if name.is_empty() || name.starts_with('-') || name.starts_with('.') || name.contains("..") {
        return false;
    }
    name.trim_end_matches('.')
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
}

/// The IPv4 entries of a hosts file, in file order.
#[derive(Clone, Debug, Default)]
pub struct Hosts {
    entries: Vec<(Ipv4Addr, Vec<String>)>,
}

impl Hosts {
    /// Parses hosts(5) text: an address, its canonical name, then aliases; `#` starts a
    /// comment. Lines whose address is not IPv4 are skipped.
    pub fn parse(text: &str) -> Hosts {
        let mut entries = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let mut fields = line.split_ascii_whitespace();
            let Some(addr) = fields.next().and_then(inet_pton) else {
                continue;
            };
            let names: Vec<String> = fields.map(str::to_string).collect();
            if !names.is_empty() {
                entries.push((addr, names));
            }
        }
        Hosts { entries }
    }

    /// Reads `/etc/hosts` as `proc` sees it; a missing file is an empty one.
    pub async fn load(proc: &Proc) -> Hosts {
        let Ok(f) = proc
            .sys
            .open(&proc.cwd, "/etc/hosts", OpenMode::READ, proc.netns)
        else {
            return Hosts::default();
        };
        let data = f.read_to_end().await.unwrap_or_default();
        Hosts::parse(&String::from_utf8_lossy(&data))
    }

    /// The first entry naming `name` (case-insensitive): its address and canonical name.
    pub fn by_name(&self, name: &str) -> Option<(Ipv4Addr, &str)> {
        self.entries.iter().find_map(|(a, names)| {
            names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
                .then(|| (*a, names[0].as_str()))
        })
    }

    /// The canonical name of the first entry for `addr`.
    pub fn by_addr(&self, addr: Ipv4Addr) -> Option<&str> {
        self.entries
            .iter()
            .find(|(a, _)| *a == addr)
            .map(|(_, names)| names[0].as_str())
    }

    /// `getaddrinfo(name, AF_UNSPEC, AI_CANONNAME)` for IPv4: the address and the canonical
    /// name (the text itself for a numeric address).
    pub fn resolve(&self, name: &str) -> Result<(Ipv4Addr, String), GaiError> {
        if let Some(a) = inet_aton_exact(name) {
            return Ok((a, name.to_string()));
        }
        if let Some((a, canon)) = self.by_name(name) {
            return Ok((a, canon.to_string()));
        }
        if hostname_ok(name) {
            Err(GaiError::Again)
        } else {
            Err(GaiError::NoName)
        }
    }

    /// `getnameinfo` without `NI_NAMEREQD`: the name, or the address in numeric form.
    pub fn name_of(&self, addr: Ipv4Addr) -> String {
        self.by_addr(addr)
            .map(str::to_string)
            .unwrap_or_else(|| addr.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Option<String> {
        inet_aton(s).map(|x| x.to_string())
    }

    #[test]
    fn aton_accepts_the_short_and_based_forms() {
        assert_eq!(a("192.0.2.2").as_deref(), Some("192.0.2.2"));
        assert_eq!(a("3221225986").as_deref(), Some("192.0.2.2"));
        assert_eq!(a("192.0.513").as_deref(), Some("192.0.2.1"));
        assert_eq!(a("0xc0.0.2.2").as_deref(), Some("192.0.2.2"));
        assert_eq!(a("127.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(a("010.0.0.1").as_deref(), Some("8.0.0.1"));
        assert_eq!(a("192.0.2.2 junk").as_deref(), Some("192.0.2.2"));
        assert_eq!(inet_aton_exact("192.0.2.2 "), None);
        for bad in [
            "256.1.1.1",
            "1.2.3.4.5",
            "08",
            "",
            "a.b.c.d",
            "1..2",
            "0x",
            "1.2.3.256",
        ] {
            assert_eq!(a(bad), None, "{bad}");
        }
    }

    #[test]
    fn hosts_forward_reverse_and_failures() {
        let h = Hosts::parse("# c\n127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n192.0.2.2 ns2.example ns2 # x\n192.0.2.2 other\n");
        assert_eq!(
            h.resolve("NS2"),
            Ok((Ipv4Addr::new(192, 0, 2, 2), "ns2.example".into()))
        );
        assert_eq!(h.resolve("localhost").map(|x| x.0), Ok(Ipv4Addr::LOCALHOST));
        assert_eq!(h.name_of(Ipv4Addr::new(192, 0, 2, 2)), "ns2.example");
        assert_eq!(h.name_of(Ipv4Addr::new(192, 0, 2, 9)), "192.0.2.9");
        assert_eq!(h.resolve("nosuchhost"), Err(GaiError::Again));
        assert_eq!(h.resolve("256.1.1.1"), Err(GaiError::Again));
        assert_eq!(h.resolve(""), Err(GaiError::NoName));
        assert_eq!(h.resolve("192.0.2.2 "), Err(GaiError::NoName));
        assert_eq!(inet_pton("192.0.2.01"), None);
    }
}

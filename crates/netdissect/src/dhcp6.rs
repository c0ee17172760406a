//! DHCPv6 (print-dhcp6.c): `dhcp6 solicit`, and with `-v` the transaction id and options.

use crate::dns::fqdn_print;
use crate::nd::{Nd, R};
use crate::text::fn_print_char;

fn msgtype_name(t: u8) -> String {
    match t {
        1 => "solicit".into(),
        2 => "advertise".into(),
        3 => "request".into(),
        4 => "confirm".into(),
        5 => "renew".into(),
        6 => "rebind".into(),
        7 => "reply".into(),
        8 => "release".into(),
        9 => "decline".into(),
        10 => "reconfigure".into(),
        11 => "inf-req".into(),
        12 => "relay-fwd".into(),
        13 => "relay-reply".into(),
        14 => "leasequery".into(),
        15 => "leasequery-reply".into(),
        _ => format!("msgtype-{t}"),
    }
}

fn opt_name(o: u16) -> String {
    let s = match o {
        1 => "client-ID",
        2 => "server-ID",
        3 => "IA_NA",
        4 => "IA_TA",
        5 => "IA_ADDR",
        6 => "option-request",
        7 => "preference",
        8 => "elapsed-time",
        9 => "relay-message",
        11 => "authentication",
        12 => "server-unicast",
        13 => "status-code",
        14 => "rapid-commit",
        15 => "user-class",
        16 => "vendor-class",
        17 => "vendor-specific-info",
        18 => "interface-ID",
        19 => "reconfigure-message",
        20 => "reconfigure-accept",
        21 => "SIP-servers-domain",
        22 => "SIP-servers-address",
        23 => "DNS-server",
        24 => "DNS-search-list",
        25 => "IA_PD",
        26 => "IA_PD-prefix",
        31 => "SNTP-servers",
        32 => "lifetime",
        27 => "NIS-server",
        28 => "NIS+-server",
        29 => "NIS-domain-name",
        30 => "NIS+-domain-name",
        33 => "BCMCS-domain-name",
        34 => "BCMCS-server",
        36 => "Geoconf-Civic",
        37 => "Remote-ID",
        38 => "Subscriber-ID",
        39 => "Client-FQDN",
        40 => "PANA-agent",
        41 => "POSIX-timezone",
        42 => "POSIX-tz-database",
        43 => "Echo-request-option",
        44 => "Lease-query",
        45 => "LQ-client-data",
        46 => "Clt-time",
        47 => "LQ-relay-data",
        48 => "LQ-client-link",
        56 => "NTP-server",
        64 => "AFTR-Name",
        112 => "MUD-URL",
        _ => return format!("opt_{o}"),
    };
    s.to_string()
}

fn status_name(code: u16) -> String {
    const NAMES: [&str; 11] = [
        "Success",
        "UnspecFail",
        "NoAddrsAvail",
        "NoBinding",
        "NotOnLink",
        "UseMulticast",
        "NoPrefixAvail",
        "UnknownQueryType",
        "MalformedQuery",
        "NotConfigured",
        "NotAllowed",
    ];
    if code > 255 {
        "INVALID code".into()
    } else {
        NAMES
            .get(usize::from(code))
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("code{code}"))
    }
}

/// Text up to `n` bytes or a NUL (`nd_printjnp`).
fn printjnp(nd: &mut Nd, s: usize, n: usize) -> R {
    let mut out = String::new();
    for i in 0..n {
        let c = match nd.u8(s + i) {
            Ok(c) => c,
            Err(e) => {
                nd.p(&out);
                return Err(e);
            }
        };
        if c == 0 {
            break;
        }
        fn_print_char(&mut out, c);
    }
    nd.p(&out);
    Ok(())
}

/// A DHCPv6 message at `cp` of `length` bytes (`dhcp6_print`).
pub(crate) fn dhcp6_print(nd: &mut Nd, cp: usize, length: usize) -> R {
    nd.protocol = "dhcp6";
    nd.p("dhcp6");
    let ep = nd.snapend.min(cp.saturating_add(length));
    if !nd.ttest(cp, 4) {
        nd.print_trunc();
        return Ok(());
    }
    let msgtype = nd.u8(cp)?;
    let name = msgtype_name(msgtype);
    if nd.o.verbose == 0 {
        nd.pf(format_args!(" {name}"));
        return Ok(());
    }
    nd.pf(format_args!(" {name} ("));
    if msgtype != 12 && msgtype != 13 {
        let xid = nd.be32(cp)? & 0x00ff_ffff;
        nd.pf(format_args!("xid={xid:x}"));
        opt_print(nd, cp + 4, ep)?;
    } else {
        let link = nd.ip6addr(cp + 2)?;
        nd.pf(format_args!("linkaddr={link}"));
        let peer = nd.ip6addr(cp + 18)?;
        nd.pf(format_args!(" peeraddr={peer}"));
        opt_print(nd, cp + 34, ep)?;
    }
    nd.p(")");
    Ok(())
}

/// Hex of up to `max` bytes from `from` to `to` of the option data.
fn hex_run(nd: &mut Nd, tp: usize, from: usize, to: usize) -> R {
    let mut s = String::new();
    for i in from..to {
        s.push_str(&format!("{:02x}", nd.u8(tp + i)?));
    }
    nd.p(&s);
    Ok(())
}

/// The options from `cp` to `ep` (`dhcp6opt_print`).
fn opt_print(nd: &mut Nd, mut cp: usize, ep: usize) -> R {
    while cp < ep {
        if ep < cp + 4 || !nd.ttest(cp, 4) {
            nd.print_trunc();
            return Ok(());
        }
        let optlen = usize::from(nd.be16(cp + 2)?);
        if ep < cp + 4 + optlen {
            nd.print_trunc();
            return Ok(());
        }
        let opttype = nd.be16(cp)?;
        nd.pf(format_args!(" ({}", opt_name(opttype)));
        if !nd.ttest(cp + 4, optlen) {
            nd.print_trunc();
            return Ok(());
        }
        let tp = cp + 4;
        let end = tp + optlen;
        let bad = |nd: &mut Nd| nd.p(" ?)");
        match opttype {
            1 | 2 => {
                if optlen < 2 {
                    bad(nd);
                } else {
                    match nd.be16(tp)? {
                        1 if optlen >= 8 => {
                            let (t, time) = (nd.be16(tp + 2)?, nd.be32(tp + 4)?);
                            nd.pf(format_args!(" hwaddr/time type {t} time {time} "));
                            hex_run(nd, tp, 8, optlen)?;
                            nd.p(")");
                        }
                        2 if optlen >= 10 => {
                            nd.p(" vid ");
                            hex_run(nd, tp, 2, 10)?;
                            nd.p(")");
                        }
                        3 if optlen >= 4 => {
                            let t = nd.be16(tp + 2)?;
                            nd.pf(format_args!(" hwaddr type {t} "));
                            hex_run(nd, tp, 4, optlen)?;
                            nd.p(")");
                        }
                        1..=3 => bad(nd),
                        t => nd.pf(format_args!(" type {t})")),
                    }
                }
            }
            5 => {
                if optlen < 24 {
                    bad(nd);
                } else {
                    let a = nd.ip6addr(tp)?;
                    let (pl, vl) = (nd.be32(tp + 16)?, nd.be32(tp + 20)?);
                    nd.pf(format_args!(" {a} pltime:{pl} vltime:{vl}"));
                    if optlen > 24 {
                        opt_print(nd, tp + 24, end)?;
                    }
                    nd.p(")");
                }
            }
            6 | 43 => {
                if optlen % 2 != 0 {
                    bad(nd);
                } else {
                    for i in (0..optlen).step_by(2) {
                        let o = nd.be16(tp + i)?;
                        nd.pf(format_args!(" {}", opt_name(o)));
                    }
                    nd.p(")");
                }
            }
            7 => {
                if optlen != 1 {
                    bad(nd);
                } else {
                    let v = nd.u8(tp)?;
                    nd.pf(format_args!(" {v})"));
                }
            }
            8 => {
                if optlen != 2 {
                    bad(nd);
                } else {
                    let v = nd.be16(tp)?;
                    nd.pf(format_args!(" {v})"));
                }
            }
            9 => {
                nd.p(" (");
                let saved = nd.snapend;
                nd.snapend = nd.snapend.min(end);
                let r = dhcp6_print(nd, tp, optlen);
                nd.snapend = saved;
                r?;
                nd.p(")");
            }
            11 => auth_print(nd, tp, optlen)?,
            14 | 20 => nd.p(")"),
            18 | 38 => {
                nd.p(" ");
                hex_run(nd, tp, 0, optlen.min(10))?;
                nd.p("...)");
            }
            19 => {
                if optlen != 1 {
                    bad(nd);
                } else {
                    match nd.u8(tp)? {
                        5 => nd.p(" for renew)"),
                        11 => nd.p(" for inf-req)"),
                        t => nd.pf(format_args!(" for ???({t:02x}))")),
                    }
                }
            }
            22 | 23 | 31 | 27 | 28 | 34 | 40 | 48 => {
                if optlen % 16 != 0 {
                    bad(nd);
                } else {
                    for i in (0..optlen).step_by(16) {
                        let a = nd.ip6addr(tp + i)?;
                        nd.pf(format_args!(" {a}"));
                    }
                    nd.p(")");
                }
            }
            21 | 24 => {
                let mut t = tp;
                while t < end {
                    nd.p(" ");
                    match fqdn_print(nd, t, end)? {
                        Some(n) => t = n,
                        None => {
                            nd.print_trunc();
                            return Ok(());
                        }
                    }
                }
                nd.p(")");
            }
            13 => {
                if optlen < 2 {
                    bad(nd);
                } else {
                    let c = nd.be16(tp)?;
                    nd.pf(format_args!(" {})", status_name(c)));
                }
            }
            3 | 25 => {
                if optlen < 12 {
                    bad(nd);
                } else {
                    let (id, t1, t2) = (nd.be32(tp)?, nd.be32(tp + 4)?, nd.be32(tp + 8)?);
                    nd.pf(format_args!(" IAID:{id} T1:{t1} T2:{t2}"));
                    if optlen > 12 {
                        opt_print(nd, tp + 12, end)?;
                    }
                    nd.p(")");
                }
            }
            4 => {
                if optlen < 4 {
                    bad(nd);
                } else {
                    let id = nd.be32(tp)?;
                    nd.pf(format_args!(" IAID:{id}"));
                    if optlen > 4 {
                        opt_print(nd, tp + 4, end)?;
                    }
                    nd.p(")");
                }
            }
            26 => {
                if optlen < 25 {
                    bad(nd);
                } else {
                    let a = nd.ip6addr(tp + 9)?;
                    let plen = nd.u8(tp + 8)?;
                    nd.pf(format_args!(" {a}/{plen}"));
                    let (pl, vl) = (nd.be32(tp)?, nd.be32(tp + 4)?);
                    nd.pf(format_args!(" pltime:{pl} vltime:{vl}"));
                    if optlen > 25 {
                        opt_print(nd, tp + 25, end)?;
                    }
                    nd.p(")");
                }
            }
            32 | 46 => {
                if optlen != 4 {
                    bad(nd);
                } else {
                    let v = nd.be32(tp)?;
                    nd.pf(format_args!(" {v})"));
                }
            }
            37 => {
                if optlen < 4 {
                    bad(nd);
                } else {
                    let v = nd.be32(tp)?;
                    nd.pf(format_args!(" {v} "));
                    hex_run(nd, tp, 4, optlen.min(14))?;
                    nd.p("...)");
                }
            }
            44 => {
                if optlen < 17 {
                    bad(nd);
                } else {
                    match nd.u8(tp)? {
                        1 => nd.p(" by-address"),
                        2 => nd.p(" by-clientID"),
                        t => nd.pf(format_args!(" type_{t}")),
                    }
                    let a = nd.ip6addr(tp + 1)?;
                    nd.pf(format_args!(" {a}"));
                    if optlen > 17 {
                        opt_print(nd, tp + 17, end)?;
                    }
                    nd.p(")");
                }
            }
            45 => {
                if optlen > 0 {
                    opt_print(nd, tp, end)?;
                }
                nd.p(")");
            }
            47 => {
                if optlen < 16 {
                    bad(nd);
                } else {
                    let a = nd.ip6addr(tp)?;
                    nd.pf(format_args!(" {a} "));
                    hex_run(nd, tp, 16, optlen.min(26))?;
                    nd.p("...)");
                }
            }
            56 => {
                if optlen < 4 {
                    bad(nd);
                } else {
                    let mut t = tp;
                    while t < end - 4 {
                        let code = nd.be16(t)?;
                        let sublen = usize::from(nd.be16(t + 2)?);
                        t += 4;
                        if t + sublen > end {
                            nd.print_trunc();
                            return Ok(());
                        }
                        nd.pf(format_args!(" subopt:{code}"));
                        match code {
                            1 | 2 => {
                                if sublen != 16 {
                                    nd.p(" ?");
                                } else {
                                    let a = nd.ip6addr(t)?;
                                    nd.pf(format_args!(" {a}"));
                                }
                            }
                            3 => {
                                nd.p(" ");
                                if fqdn_print(nd, t, t + sublen)?.is_none() {
                                    nd.print_trunc();
                                    return Ok(());
                                }
                            }
                            _ => nd.p(" ?"),
                        }
                        t += sublen;
                    }
                    nd.p(")");
                }
            }
            64 => {
                if optlen < 3 {
                    bad(nd);
                } else {
                    let mut t = tp;
                    let mut remain = optlen;
                    nd.p(" ");
                    while remain > 0 && nd.u8(t)? != 0 {
                        let label = usize::from(nd.u8(t)?);
                        t += 1;
                        if label < remain - 1 {
                            printjnp(nd, t, label)?;
                            t += label;
                            remain -= label + 1;
                            if nd.u8(t)? != 0 {
                                nd.p(".");
                            }
                        } else {
                            nd.p(" ?");
                            break;
                        }
                    }
                    nd.p(")");
                }
            }
            41 | 42 | 112 => {
                if optlen < 5 {
                    bad(nd);
                } else {
                    nd.p(" ");
                    printjnp(nd, tp, optlen)?;
                    nd.p(")");
                }
            }
            _ => nd.p(")"),
        }
        cp += 4 + optlen;
    }
    Ok(())
}

/// The authentication option (RFC 3315 section 22.11).
fn auth_print(nd: &mut Nd, tp: usize, optlen: usize) -> R {
    if optlen < 11 {
        nd.p(" ?)");
        return Ok(());
    }
    let proto = nd.u8(tp)?;
    match proto {
        2 => nd.p(" proto: delayed"),
        3 => nd.p(" proto: reconfigure"),
        p => nd.pf(format_args!(" proto: {p}")),
    }
    match nd.u8(tp + 1)? {
        1 => nd.p(", alg: HMAC-MD5"),
        a => nd.pf(format_args!(", alg: {a}")),
    }
    match nd.u8(tp + 2)? {
        0 => nd.p(", RDM: mono"),
        r => nd.pf(format_args!(", RDM: {r}")),
    }
    nd.p(", RD:");
    let mut t = tp + 3;
    for _ in 0..4 {
        let v = nd.be16(t)?;
        nd.pf(format_args!(" {v:04x}"));
        t += 2;
    }
    let infolen = optlen - 11;
    match proto {
        2 => {
            if infolen != 0 {
                if infolen < 20 {
                    nd.p(" ??");
                } else {
                    let realm = infolen - 20;
                    if realm > 0 {
                        nd.p(", realm: ");
                    }
                    hex_run(nd, t, 0, realm)?;
                    t += realm;
                    let key = nd.be32(t)?;
                    nd.pf(format_args!(", key ID: {key:08x}"));
                    t += 4;
                    nd.p(", HMAC-MD5:");
                    for _ in 0..4 {
                        let v = nd.be32(t)?;
                        nd.pf(format_args!(" {v:08x}"));
                        t += 4;
                    }
                }
            }
        }
        3 => {
            if infolen != 17 {
                nd.p(" ??");
            } else {
                match nd.u8(t)? {
                    1 => nd.p(" reconfig-key"),
                    2 => nd.p(" type: HMAC-MD5"),
                    _ => nd.p(" type: ??"),
                }
                t += 1;
                nd.p(" value:");
                for _ in 0..4 {
                    let v = nd.be32(t)?;
                    nd.pf(format_args!(" {v:08x}"));
                    t += 4;
                }
            }
        }
        _ => nd.p(" ??"),
    }
    nd.p(")");
    Ok(())
}

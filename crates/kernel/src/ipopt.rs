//! IPv4 header options (RFC 791 section 3.1): what `IP_OPTIONS` sets on a socket, what
//! `ip_rcv` checks and fills in on a received packet, what an answer copies back.
//! Reads like net/ipv4/ip_options.c.
//!
//! Only record route (RR, type 7) is acted upon: each host that sends, receives or forwards
//! the packet writes one of its addresses into the next free slot. Other options are
//! checked for a sane length and carried unchanged; nothing reads them.

use std::net::Ipv4Addr;

pub const IPOPT_END: u8 = 0;
pub const IPOPT_NOOP: u8 = 1;
pub const IPOPT_RR: u8 = 7;
/// The smallest pointer value: the first slot of a route option.
pub const IPOPT_MINOFF: u8 = 4;
/// At most 40 bytes of options fit in a header (`MAX_IPOPTLEN`).
pub const MAX_IPOPTLEN: usize = 40;

/// What compiling an option block found (`struct ip_options`, the parts we act on).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Compiled {
    /// Offset of the record-route option within the option bytes.
    pub rr: Option<usize>,
    /// The route option had room: its pointer was advanced past a slot that an address
    /// still has to be written into (or was written into on input, and a router overwrites).
    pub rr_needaddr: bool,
}

/// Options set on a socket with `IP_OPTIONS`, already compiled (`struct ip_options_rcu`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SockOptions {
    /// The option bytes, padded with end-of-list to a multiple of 4.
    pub data: Vec<u8>,
    pub compiled: Compiled,
}

impl SockOptions {
    /// `ip_options_get`: copies the user's bytes, pads them and compiles them without a
    /// packet, which advances a record-route pointer over the slot output fills in.
    /// `Err(())` for what the kernel answers with `EINVAL`.
    pub fn from_user(user: &[u8]) -> Result<SockOptions, ()> {
        if user.len() > MAX_IPOPTLEN {
            return Err(());
        }
        let mut data = user.to_vec();
        while !data.len().is_multiple_of(4) {
            data.push(IPOPT_END);
        }
        let compiled = compile(&mut data, None).map_err(|_| ())?;
        Ok(SockOptions { data, compiled })
    }
}

/// `__ip_options_compile` over the option bytes of a header (or of a socket when `spec_dst`
/// is `None`). On a received packet (`spec_dst` is the address this host answers with,
/// `fib_compute_spec_dst`) a record-route option with room gets that address in its next
/// slot. `Err(offset)`: the option is malformed at that offset (the parameter-problem pointer
/// counts from the start of the IP header, 20 more).
pub(crate) fn compile(opts: &mut [u8], spec_dst: Option<Ipv4Addr>) -> Result<Compiled, usize> {
    let mut c = Compiled::default();
    let mut at = 0;
    while at < opts.len() {
        let left = opts.len() - at;
        match opts[at] {
            IPOPT_END => {
                // Everything after the end of the list is made end-of-list too.
                opts[at..].fill(IPOPT_END);
                break;
            }
            IPOPT_NOOP => {
                at += 1;
                continue;
            }
            _ => {}
        }
        if left < 2 {
            return Err(at);
        }
        let optlen = usize::from(opts[at + 1]);
        if optlen < 2 || optlen > left {
            return Err(at);
        }
        if opts[at] == IPOPT_RR {
            if c.rr.is_some() {
                return Err(at);
            }
            if optlen < 3 {
                return Err(at + 1);
            }
            let ptr = usize::from(opts[at + 2]);
            if ptr < usize::from(IPOPT_MINOFF) {
                return Err(at + 2);
            }
            if ptr <= optlen {
                if ptr + 3 > optlen {
                    return Err(at + 2);
                }
                if let Some(a) = spec_dst {
                    opts[at + ptr - 1..at + ptr + 3].copy_from_slice(&a.octets());
                }
                opts[at + 2] = (ptr + 4) as u8;
                c.rr_needaddr = true;
            }
            c.rr = Some(at);
        }
        at += optlen;
    }
    Ok(c)
}

/// Writes `addr` into the slot just behind the record-route pointer: what output does for a
/// socket's options (`ip_options_build`) and a router for a forwarded packet
/// (`ip_forward_options`, overwriting what its input wrote there).
pub(crate) fn fill_rr(opts: &mut [u8], c: &Compiled, addr: Ipv4Addr) {
    let Some(rr) = c.rr.filter(|_| c.rr_needaddr) else {
        return;
    };
    let ptr = usize::from(opts.get(rr + 2).copied().unwrap_or(0));
    if let Some(slot) = (ptr >= 8)
        .then(|| opts.get_mut(rr + ptr - 5..rr + ptr - 1))
        .flatten()
    {
        slot.copy_from_slice(&addr.octets());
    }
}

/// `ip_options_echo`: the options an answer to a received packet carries. Record route is
/// copied with its addresses so far; if it had room, the pointer moves over one more slot
/// that the answer's output fills with the replier's address.
/// `None` when the route option has no whole slot left (the kernel sends no answer then).
pub(crate) fn echo(opts: &[u8], c: &Compiled) -> Option<SockOptions> {
    let mut out = SockOptions::default();
    if let Some(rr) = c.rr {
        let optlen = usize::from(*opts.get(rr + 1)?);
        let mut o = opts.get(rr..rr + optlen)?.to_vec();
        let ptr = usize::from(*o.get(2)?);
        if c.rr_needaddr && ptr <= optlen {
            if ptr + 3 > optlen {
                return None;
            }
            o[2] = (ptr + 4) as u8;
            out.compiled.rr_needaddr = true;
        }
        out.compiled.rr = Some(0);
        out.data = o;
    }
    while !out.data.len().is_multiple_of(4) {
        out.data.push(IPOPT_END);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ping -R` sets: a no-op, then record route with nine empty slots.
    fn ping_rr() -> Vec<u8> {
        let mut v = vec![0u8; 40];
        v[0] = IPOPT_NOOP;
        v[1] = IPOPT_RR;
        v[2] = 39;
        v[3] = IPOPT_MINOFF;
        v
    }

    #[test]
    fn a_socket_option_reserves_the_first_slot_for_output() {
        let o = SockOptions::from_user(&ping_rr()).expect("valid");
        assert_eq!(o.data.len(), 40);
        assert_eq!(o.compiled.rr, Some(1));
        assert!(o.compiled.rr_needaddr);
        assert_eq!(o.data[3], 8);
        let mut hdr = o.data.clone();
        fill_rr(&mut hdr, &o.compiled, Ipv4Addr::new(192, 0, 2, 1));
        assert_eq!(&hdr[4..8], &[192, 0, 2, 1]);
    }

    #[test]
    fn receiving_fills_the_next_slot_and_the_echo_reserves_another() {
        let o = SockOptions::from_user(&ping_rr()).expect("valid");
        let mut hdr = o.data.clone();
        fill_rr(&mut hdr, &o.compiled, Ipv4Addr::new(192, 0, 2, 1));
        let c = compile(&mut hdr, Some(Ipv4Addr::new(192, 0, 2, 2))).expect("valid");
        assert_eq!(&hdr[8..12], &[192, 0, 2, 2]);
        assert_eq!(hdr[3], 12);
        let mut reply = echo(&hdr, &c).expect("room");
        assert_eq!(reply.data.len(), 40);
        assert_eq!(reply.data[..3], [IPOPT_RR, 39, 16]);
        assert_eq!(reply.data[39], IPOPT_END);
        let rc = reply.compiled;
        fill_rr(&mut reply.data, &rc, Ipv4Addr::new(192, 0, 2, 2));
        assert_eq!(&reply.data[11..15], &[192, 0, 2, 2]);
    }

    #[test]
    fn a_full_route_is_left_alone() {
        let mut o = [IPOPT_RR, 7, 8, 10, 0, 0, 1, IPOPT_END];
        let c = compile(&mut o, Some(Ipv4Addr::new(192, 0, 2, 9))).expect("valid");
        assert_eq!(o, [IPOPT_RR, 7, 8, 10, 0, 0, 1, IPOPT_END]);
        assert!(!c.rr_needaddr);
    }

    #[test]
    fn malformed_options_are_refused_where_they_go_wrong() {
        assert_eq!(compile(&mut [IPOPT_RR, 39, 4, 0], None), Err(0));
        assert_eq!(compile(&mut [IPOPT_RR, 3, 3, 0], None), Err(2));
        assert_eq!(compile(&mut [IPOPT_NOOP, IPOPT_RR], None), Err(1));
        assert_eq!(
            compile(&mut [IPOPT_RR, 3, 4, IPOPT_RR, 3, 4, 0, 0], None),
            Err(3)
        );
        assert!(SockOptions::from_user(&[0u8; 41]).is_err());
        // Options not acted upon are carried as they are; trailing bytes after the end become ends.
        let mut o = [0x44, 4, 5, 0, IPOPT_END, 9, 9, 9];
        assert_eq!(compile(&mut o, None), Ok(Compiled::default()));
        assert_eq!(o, [0x44, 4, 5, 0, 0, 0, 0, 0]);
    }
}

//! The IPv4 packet path: receive, deliver locally or forward, send; ICMP and UDP on top.
//! Reads like net/ipv4/{ip_input,ip_forward,ip_output,icmp,udp,raw}.c.

use std::net::Ipv4Addr;

use tsunagi_engine::{Duration, Time};

use crate::core::{
    DevId, DevKind, Env, Kernel, NetEvent, NsId, LO_DELAY, VETH_DELAY, VETH_JITTER_NS,
};
use crate::fib::Route;
use crate::ipopt::{self, Compiled, SockOptions};
use crate::rtnl::{rtn, scope};
use crate::sock::{Datagram, SockError};
use crate::sysctl::C4_FORWARDING;
use crate::wire::{
    self, Ipv4, ETH_HLEN, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, IPPROTO_ICMP, IPPROTO_UDP,
};
use crate::Errno;

/// The result of a route lookup for sending (`struct rtable`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct OutRoute {
    pub dev: DevId,
    pub nexthop: Ipv4Addr,
    pub src: Ipv4Addr,
    pub rtype: u8,
}

/// What forwarding needs of the route a received packet matched.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InRoute {
    rtype: u8,
    oif: Option<DevId>,
    gateway: Option<Ipv4Addr>,
}

impl InRoute {
    fn of(r: &Route) -> InRoute {
        InRoute {
            rtype: r.rtype,
            oif: r.oif,
            gateway: r.gateway,
        }
    }
}

impl Kernel {
    // --- devices --------------------------------------------------------------------------

    /// Puts a frame on the wire of `dev` (`dev_queue_xmit`).
    pub(crate) fn dev_xmit(&mut self, dev: DevId, frame: Vec<u8>, env: &mut dyn Env) {
        let Some(d) = self.devs.get_mut(dev.0 as usize).and_then(Option::as_mut) else {
            return;
        };
        // A device that is down (`lo` included: its qdisc is `noop`) drops what is sent
        // through it; packets to this host's own addresses are lost while `lo` is down.
        if !d.admin_up {
            d.stats.tx_dropped += 1;
            self.free_frame(frame);
            return;
        }
        let d = if self.taps != 0 {
            self.packet_tap(dev, &frame, true, env);
            let Some(d) = self.devs.get_mut(dev.0 as usize).and_then(Option::as_mut) else {
                return;
            };
            d
        } else {
            d
        };
        match d.kind {
            DevKind::Loopback => {
                d.stats.tx_packets += 1;
                d.stats.tx_bytes += frame.len() as u64;
                let frame = self.frame_on_wire(frame);
                env.at(env.now() + LO_DELAY, NetEvent::Rx { dev, frame });
            }
            DevKind::Bridge => {
                d.stats.tx_packets += 1;
                d.stats.tx_bytes += frame.len() as u64;
                self.br_dev_xmit(dev, frame, env);
            }
            DevKind::Veth => {
                let peer = d.peer;
                if !self.carrier(dev) {
                    self.dev_mut(dev).stats.tx_dropped += 1;
                    self.free_frame(frame);
                    return;
                }
                let Some(peer) = peer else { return };
                let d = self.dev_mut(dev);
                d.stats.tx_packets += 1;
                d.stats.tx_bytes += frame.len() as u64;
                let jitter = env.rng().range(0, VETH_JITTER_NS);
                let at = (env.now() + VETH_DELAY + Duration(jitter)).max(d.tx_arrival);
                d.tx_arrival = at;
                let frame = self.frame_on_wire(frame);
                env.at(at, NetEvent::Rx { dev: peer, frame });
            }
        }
    }

    /// A frame arrived on `dev` (`__netif_receive_skb`).
    pub(crate) fn netif_receive(&mut self, dev: DevId, frame: Vec<u8>, env: &mut dyn Env) {
        let Some(d) = self.devs.get_mut(dev.0 as usize).and_then(Option::as_mut) else {
            return;
        };
        if !d.admin_up || frame.len() < ETH_HLEN {
            self.free_frame(frame);
            return;
        }
        d.stats.rx_packets += 1;
        // A bridge counts what it passes up without the Ethernet header
        // (`br_pass_frame_up` adds `skb->len` after `eth_type_trans` pulled it).
        let hlen = if d.kind == DevKind::Bridge {
            ETH_HLEN
        } else {
            0
        };
        d.stats.rx_bytes += (frame.len() - hlen) as u64;
        // Packet sockets look first (`ptype_all`), then a bridge port's `rx_handler` takes
        // every frame (`br_handle_frame`).
        let d = if self.taps != 0 {
            self.packet_tap(dev, &frame, false, env);
            let Some(d) = self.devs.get_mut(dev.0 as usize).and_then(Option::as_mut) else {
                return;
            };
            d
        } else {
            d
        };
        if d.brport.is_some() {
            self.br_handle_frame(dev, frame, env);
            return;
        }
        self.netif_deliver(dev, frame, env);
    }

    /// The protocol handlers (`deliver_ptype_list_skb`): a frame for this host, or for a
    /// group, goes to IPv4, ARP or IPv6 by its type.
    pub(crate) fn netif_deliver(&mut self, dev: DevId, frame: Vec<u8>, env: &mut dyn Env) {
        let Some(d) = self.devs.get(dev.0 as usize).and_then(Option::as_ref) else {
            self.free_frame(frame);
            return;
        };
        let dst = wire::mac(&frame, 0);
        // Neither veth nor loopback counts multicast frames in the statistics they report
        // (`veth_get_stats64`, `loopback_get_stats64`): `mcast` stays 0. (A bridge counts
        // the multicast frames it passes up, in `br_handle_frame_finish`.)
        let multicast = dst[0] & 1 != 0;
        // A bridge delivers up frames to any of its local addresses (its ports' too).
        let to_us = d.kind == DevKind::Loopback
            || dst == d.mac
            || (d.kind == DevKind::Bridge && !multicast && self.br_is_local(dev, dst));
        if !to_us && !multicast {
            // PACKET_OTHERHOST: not for this host.
            self.free_frame(frame);
            return;
        }
        match wire::be16(&frame, 12) {
            ETH_P_IP => self.ip_rcv(dev, frame, env),
            ETH_P_ARP => self.arp_rcv(dev, frame, to_us, env),
            ETH_P_IPV6 => self.ipv6_rcv(dev, frame, env),
            _ => self.free_frame(frame),
        }
    }

    // --- addresses ------------------------------------------------------------------------

    /// True if `a` is an address of some device of `ns` (`inet_addr_type == RTN_LOCAL`).
    pub(crate) fn is_local_addr(&self, ns: NsId, a: Ipv4Addr) -> bool {
        self.net(ns)
            .fib
            .lookup(a, None)
            .is_some_and(|r| r.rtype == rtn::LOCAL)
    }

    /// The source address for talking to `dst` through `dev` (`inet_select_addr`).
    pub(crate) fn select_src(&self, dev: DevId, dst: Ipv4Addr) -> Option<Ipv4Addr> {
        let d = self.dev(dev);
        let primaries = || {
            d.v4.iter()
                .filter(|a| !a.secondary && a.scope <= scope::LINK)
        };
        if let Some(a) = primaries().find(|a| a.contains(dst)) {
            return Some(a.local);
        }
        if let Some(a) = primaries().next() {
            return Some(a.local);
        }
        // Any global address of the namespace, loopback's first.
        let net = self.net(d.ns);
        net.devs
            .values()
            .filter_map(|id| self.dev_opt(*id))
            .flat_map(|x| x.v4.iter())
            .find(|a| !a.secondary && a.scope == scope::UNIVERSE)
            .map(|a| a.local)
    }

    /// Route lookup for a packet this host sends (`ip_route_output_key`).
    pub(crate) fn route_output(
        &self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Option<Ipv4Addr>,
        oif: Option<DevId>,
    ) -> Result<OutRoute, Errno> {
        let net = self.net(ns);
        // An output device that is down leaves no way out (ip_route_output_key_hash_rcu).
        if oif.is_some_and(|d| self.dev_opt(d).is_none_or(|x| !x.admin_up)) {
            return Err(Errno::ENETUNREACH);
        }
        // No destination: the packet is for this host, to the source given or 127.0.0.1,
        // through loopback.
        if dst.is_unspecified() {
            let to = src.unwrap_or(Ipv4Addr::LOCALHOST);
            return Ok(OutRoute {
                dev: net.lo,
                nexthop: to,
                src: to,
                rtype: rtn::LOCAL,
            });
        }
        // The limited broadcast through a named device needs no route; without one it takes
        // the route the table gives (the default route, say) as a broadcast (__mkroute_output).
        if let (true, Some(dev)) = (dst == Ipv4Addr::BROADCAST, oif) {
            let src = src
                .or_else(|| self.select_src(dev, dst))
                .unwrap_or(Ipv4Addr::UNSPECIFIED);
            return Ok(OutRoute {
                dev,
                nexthop: dst,
                src,
                rtype: rtn::BROADCAST,
            });
        }
        let Some(r) = net.fib.lookup(dst, oif) else {
            // No route, but a device was named (SO_BINDTODEVICE): "routing tables are wrong;
            // assume the destination is on link".
            let dev = oif.ok_or(Errno::ENETUNREACH)?;
            let src = src
                .or_else(|| self.select_src(dev, dst))
                .unwrap_or(Ipv4Addr::UNSPECIFIED);
            return Ok(OutRoute {
                dev,
                nexthop: dst,
                src,
                rtype: rtn::UNICAST,
            });
        };
        let r: &Route = r;
        match r.rtype {
            rtn::LOCAL => {
                let dev = net.lo;
                // The source is the local route's preferred source (the primary address of
                // a secondary's prefix, 127.0.0.1 for all of 127/8), else the address itself.
                Ok(OutRoute {
                    dev,
                    nexthop: dst,
                    src: src.or(r.prefsrc).unwrap_or(dst),
                    rtype: rtn::LOCAL,
                })
            }
            rtn::UNICAST if dst == Ipv4Addr::BROADCAST => {
                let dev = r.oif.ok_or(Errno::ENETUNREACH)?;
                let src = src
                    .or(r.prefsrc)
                    .or_else(|| self.select_src(dev, dst))
                    .unwrap_or(Ipv4Addr::UNSPECIFIED);
                Ok(OutRoute {
                    dev,
                    nexthop: dst,
                    src,
                    rtype: rtn::BROADCAST,
                })
            }
            rtn::UNICAST | rtn::BROADCAST => {
                let dev = r.oif.ok_or(Errno::ENETUNREACH)?;
                let nexthop = r.gateway.unwrap_or(dst);
                let src = src
                    .or(r.prefsrc)
                    .or_else(|| self.select_src(dev, nexthop))
                    .ok_or(Errno::EINVAL)?;
                Ok(OutRoute {
                    dev,
                    nexthop,
                    src,
                    rtype: r.rtype,
                })
            }
            rtn::BLACKHOLE => Err(Errno::EINVAL),
            rtn::PROHIBIT => Err(Errno::EACCES),
            _ => Err(Errno::EHOSTUNREACH),
        }
    }

    // --- receive --------------------------------------------------------------------------

    /// An IPv4 packet arrived (`ip_rcv` → `ip_rcv_finish` → route input).
    fn ip_rcv(&mut self, dev: DevId, mut frame: Vec<u8>, env: &mut dyn Env) {
        let Some(ip) = Ipv4::parse(&frame[ETH_HLEN..]) else {
            self.free_frame(frame);
            return;
        };
        let ns = self.dev(dev).ns;
        // One lookup decides between local delivery and forwarding, and forwarding uses its
        // answer (ip_route_input_slow).
        let route = self.net_mut(ns).fib.lookup_input(ip.dst).map(InRoute::of);
        let rtype = route.map(|r| r.rtype);
        let local = matches!(rtype, Some(rtn::LOCAL) | Some(rtn::BROADCAST))
            || ip.dst == Ipv4Addr::BROADCAST;
        // ip_rcv_options: a header with options is checked and, for record route, gets this
        // host's address (fib_compute_spec_dst: the destination itself when it is ours,
        // else the address this host would answer the source from).
        let mut opt = Compiled::default();
        if ip.ihl > 20 {
            let spec_dst = if rtype == Some(rtn::LOCAL) {
                ip.dst
            } else {
                self.route_output(ns, ip.src, None, None)
                    .map(|rt| rt.src)
                    .unwrap_or(Ipv4Addr::UNSPECIFIED)
            };
            let opts = &mut frame[ETH_HLEN + 20..ETH_HLEN + ip.ihl];
            match ipopt::compile(opts, Some(spec_dst)) {
                Ok(c) => opt = c,
                Err(_) => {
                    // A malformed option: counted in InHdrErrors and dropped.
                    self.free_frame(frame);
                    return;
                }
            }
        }
        match rtype {
            _ if local => {
                let broadcast = rtype != Some(rtn::LOCAL);
                self.ip_local_deliver(ns, dev, frame, ip, &opt, broadcast, env)
            }
            _ if ip.dst.is_multicast() || ip.src.is_multicast() || ip.src.is_broadcast() => {
                self.free_frame(frame)
            }
            _ => self.ip_forward(ns, dev, frame, ip, &opt, route, env),
        }
    }

    /// Forwards a packet not addressed to this host (`ip_forward`), or answers why not.
    #[allow(clippy::too_many_arguments)]
    fn ip_forward(
        &mut self,
        ns: NsId,
        in_dev: DevId,
        mut frame: Vec<u8>,
        ip: Ipv4,
        opt: &Compiled,
        route: Option<InRoute>,
        env: &mut dyn Env,
    ) {
        // Whether to forward is the input device's `forwarding` (`IN_DEV_FORWARD`).
        if self.dev(in_dev).conf.conf4[C4_FORWARDING] == 0 {
            // ip_error with forwarding off: dropped without a word.
            self.free_frame(frame);
            return;
        }
        let Some(r) = route.filter(|r| r.rtype == rtn::UNICAST) else {
            // ip_error: no route.
            if self.err_ratelimit(ns, ip.src, env.now()) {
                self.icmp_send(
                    ns,
                    &frame[ETH_HLEN..],
                    wire::ICMP_DEST_UNREACH,
                    wire::ICMP_NET_UNREACH,
                    Some(in_dev),
                    env,
                );
            }
            self.free_frame(frame);
            return;
        };
        if ip.ttl <= 1 {
            self.icmp_send(
                ns,
                &frame[ETH_HLEN..],
                wire::ICMP_TIME_EXCEEDED,
                0,
                Some(in_dev),
                env,
            );
            self.free_frame(frame);
            return;
        }
        let Some(out) = r.oif else {
            self.free_frame(frame);
            return;
        };
        if opt.rr_needaddr {
            // ip_forward_options: the slot input filled gets the address this router sends
            // from on the way out (ip_rt_get_source), so each router records one address.
            let src = self
                .select_src(out, r.gateway.unwrap_or(ip.dst))
                .unwrap_or(Ipv4Addr::UNSPECIFIED);
            ipopt::fill_rr(&mut frame[ETH_HLEN + 20..ETH_HLEN + ip.ihl], opt, src);
            wire::ip_send_check(&mut frame[ETH_HLEN..]);
        }
        wire::ip_decrease_ttl(&mut frame[ETH_HLEN..]);
        let nexthop = r.gateway.unwrap_or(ip.dst);
        self.neigh_output(out, nexthop, frame, env);
    }

    /// Delivers a packet to this host (`ip_local_deliver`).
    #[allow(clippy::too_many_arguments)]
    fn ip_local_deliver(
        &mut self,
        ns: NsId,
        dev: DevId,
        frame: Vec<u8>,
        ip: Ipv4,
        opt: &Compiled,
        broadcast: bool,
        env: &mut dyn Env,
    ) {
        let ifindex = self.dev(dev).ifindex;
        let now = env.now();
        let payload = ETH_HLEN + ip.ihl..ETH_HLEN + ip.total_len;
        match ip.proto {
            IPPROTO_ICMP => {
                // raw_v4_input: every raw ICMP socket of the namespace gets a copy.
                let ipbytes = &frame[ETH_HLEN..ETH_HLEN + ip.total_len];
                self.raw_deliver(ns, ipbytes, &ip, ifindex, now);
                self.icmp_rcv(
                    ns,
                    dev,
                    &frame[ETH_HLEN..ETH_HLEN + ip.total_len],
                    &ip,
                    opt,
                    broadcast,
                    env,
                );
            }
            IPPROTO_UDP => {
                let udp = &frame[payload.clone()];
                if udp.len() >= 8 {
                    let sport = wire::be16(udp, 0);
                    let dport = wire::be16(udp, 2);
                    let data = udp[8..].to_vec();
                    let found = self.udp_deliver(
                        ns,
                        ip.dst,
                        dport,
                        Datagram {
                            from: ip.src,
                            port: sport,
                            data,
                            ttl: ip.ttl,
                            at: now,
                            ifindex,
                        },
                    );
                    if !found && !broadcast {
                        self.icmp_send(
                            ns,
                            &frame[ETH_HLEN..ETH_HLEN + ip.total_len],
                            wire::ICMP_DEST_UNREACH,
                            wire::ICMP_PORT_UNREACH,
                            Some(dev),
                            env,
                        );
                    }
                }
            }
            _ => {
                if !broadcast {
                    self.icmp_send(
                        ns,
                        &frame[ETH_HLEN..ETH_HLEN + ip.total_len],
                        wire::ICMP_DEST_UNREACH,
                        wire::ICMP_PROT_UNREACH,
                        Some(dev),
                        env,
                    );
                }
            }
        }
        self.free_frame(frame);
    }

    /// `icmp_rcv`: answer echo requests, hand errors to the sockets they concern.
    #[allow(clippy::too_many_arguments)]
    fn icmp_rcv(
        &mut self,
        ns: NsId,
        dev: DevId,
        ipb: &[u8],
        ip: &Ipv4,
        opt: &Compiled,
        broadcast: bool,
        env: &mut dyn Env,
    ) {
        let icmp = &ipb[ip.ihl..];
        if icmp.len() < 8 || wire::checksum(icmp) != 0 {
            return;
        }
        match icmp[0] {
            wire::ICMP_ECHO => {
                let s = &self.net(ns).sysctl;
                if s.icmp_echo_ignore_all != 0 || (broadcast && s.icmp_echo_ignore_broadcasts != 0)
                {
                    return;
                }
                // icmp_reply: same id, sequence and data; from the address it was sent to;
                // the options it came with echoed back (ip_options_echo).
                let Some(replyopts) = ipopt::echo(&ipb[20..ip.ihl], opt) else {
                    return;
                };
                let src = if broadcast { None } else { Some(ip.dst) };
                // Built in a pooled buffer: answering pings allocates nothing either.
                let mut reply = self.alloc_frame(icmp.len());
                reply.copy_from_slice(icmp);
                reply[0] = wire::ICMP_ECHOREPLY;
                wire::put16(&mut reply, 2, 0);
                let c = wire::checksum(&reply);
                wire::put16(&mut reply, 2, c);
                let _ = dev;
                let _ = self.ip_send(
                    ns,
                    src,
                    ip.src,
                    IPPROTO_ICMP,
                    &reply,
                    SendOpts {
                        tos: ip.tos,
                        options: Some(&replyopts).filter(|o| !o.data.is_empty()),
                        ..SendOpts::default()
                    },
                    env,
                );
                self.free_frame(reply);
            }
            wire::ICMP_DEST_UNREACH | wire::ICMP_TIME_EXCEEDED | wire::ICMP_PARAMETERPROB => {
                // The quoted header: which of our datagrams this is about.
                let inner = &icmp[8..];
                let Some(q) = parse_quoted(inner) else { return };
                // icmp_unreach: what ee_info carries.
                let info = match (icmp[0], icmp[1]) {
                    (wire::ICMP_DEST_UNREACH, 4) => u32::from(wire::be16(icmp, 6)),
                    (wire::ICMP_PARAMETERPROB, _) => u32::from(icmp[4]),
                    _ => 0,
                };
                let err = |dport: u16, data: &[u8]| SockError {
                    offender: ip.src,
                    icmp_type: icmp[0],
                    icmp_code: icmp[1],
                    dst: q.dst,
                    dport,
                    ttl: ip.ttl,
                    at: env.now(),
                    local: None,
                    info,
                    data: data.to_vec(),
                };
                if q.proto == IPPROTO_UDP && inner.len() >= q.ihl + 4 {
                    let sport = wire::be16(inner, q.ihl);
                    let dport = wire::be16(inner, q.ihl + 2);
                    let data = inner.get(q.ihl + 8..).unwrap_or(&[]);
                    let e = err(dport, data);
                    self.udp_err(ns, q.src, sport, e);
                } else if q.proto == IPPROTO_ICMP && inner.len() >= q.ihl + 8 {
                    let e = err(0, &inner[q.ihl..]);
                    self.raw_err(ns, q.src, e);
                }
            }
            _ => {}
        }
    }

    // --- send -----------------------------------------------------------------------------

    /// The IP identifier of a packet this host sends (`__ip_select_ident`): one counter for
    /// each destination, source and protocol, starting at random, that also moves on by a
    /// random number below the jiffies (4 ms at `HZ=250`) since it was last used, so that ids
    /// do not reveal how much a host sends (`ip_idents_reserve`). Packets with DF set get one
    /// too.
    fn ip_select_ident(
        &mut self,
        ns: NsId,
        dst: Ipv4Addr,
        src: Ipv4Addr,
        proto: u8,
        env: &mut dyn Env,
    ) -> u16 {
        const JIFFY_NS: u64 = 4_000_000;
        let now = env.now().as_nanos() / JIFFY_NS;
        let key = (dst, src, proto);
        let (next, last) = match self.net(ns).ip_idents.get(&key) {
            Some(&e) => e,
            // The table starts out random, and its time stamps at zero, long before now.
            None => (env.rng().u32() as u16, u64::MAX),
        };
        let delta = if last == u64::MAX {
            0
        } else if now != last {
            env.rng().range(0, now - last) as u16
        } else {
            0
        };
        let id = next.wrapping_add(delta);
        self.net_mut(ns)
            .ip_idents
            .insert(key, (id.wrapping_add(1), now));
        id
    }

    /// Builds and sends an IPv4 packet from this host (`ip_build_and_send_pkt`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn ip_send(
        &mut self,
        ns: NsId,
        src: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        proto: u8,
        payload: &[u8],
        opts: SendOpts,
        env: &mut dyn Env,
    ) -> Result<(), Errno> {
        let rt = self.route_output(ns, dst, src, opts.oif)?;
        if (rt.rtype == rtn::BROADCAST || dst == Ipv4Addr::BROADCAST) && !opts.broadcast_ok {
            return Err(Errno::EACCES);
        }
        let mtu = self.dev(rt.dev).mtu as usize;
        let optlen = opts.options.map_or(0, |o| o.data.len());
        let hlen = 20 + optlen;
        let total = hlen + payload.len();
        if total > mtu || total > 0xffff {
            // No fragmentation yet: what a DF packet gets.
            return Err(Errno::EMSGSIZE);
        }
        let ttl = opts.ttl.unwrap_or(self.net(ns).sysctl.ip_default_ttl as u8);
        let id = self.ip_select_ident(ns, dst, rt.src, proto, env);
        // Linux sets DF on packets that path-MTU discovery covers (ICMP echo and UDP from
        // sockets); ICMP errors go without it.
        let df = opts.df;
        let mut frame = self.alloc_frame(ETH_HLEN + total);
        Ipv4::emit(
            &mut frame[ETH_HLEN..],
            opts.tos,
            total as u16,
            id,
            df,
            ttl,
            proto,
            rt.src,
            dst,
        );
        if let Some(o) = opts.options.filter(|_| optlen > 0) {
            // ip_options_build: the socket's options follow the fixed header; a record
            // route gets the packet's source address in the slot reserved for it.
            let h = &mut frame[ETH_HLEN..ETH_HLEN + hlen];
            h[0] = 0x40 | (hlen / 4) as u8;
            h[20..].copy_from_slice(&o.data);
            ipopt::fill_rr(&mut h[20..], &o.compiled, rt.src);
            wire::ip_send_check(h);
        }
        frame[ETH_HLEN + hlen..].copy_from_slice(payload);
        if proto == IPPROTO_UDP && payload.len() >= 8 {
            let c = wire::udp_checksum(rt.src, dst, &frame[ETH_HLEN + hlen..]);
            wire::put16(&mut frame, ETH_HLEN + hlen + 6, c);
        }
        match rt.rtype {
            rtn::BROADCAST => {
                let mac = self.dev(rt.dev).mac;
                wire::eth_header(&mut frame, wire::BROADCAST_MAC, mac, ETH_P_IP);
                self.dev_xmit(rt.dev, frame, env);
            }
            _ if dst == Ipv4Addr::BROADCAST => {
                let mac = self.dev(rt.dev).mac;
                wire::eth_header(&mut frame, wire::BROADCAST_MAC, mac, ETH_P_IP);
                self.dev_xmit(rt.dev, frame, env);
            }
            _ => self.neigh_output(rt.dev, rt.nexthop, frame, env),
        }
        Ok(())
    }

    /// Neighbour resolution failed for a queued packet (`ipv4_link_failure`).
    pub(crate) fn ip_link_failure(&mut self, ns: NsId, frame: Vec<u8>, env: &mut dyn Env) {
        if frame.len() > ETH_HLEN {
            self.icmp_send(
                ns,
                &frame[ETH_HLEN..],
                wire::ICMP_DEST_UNREACH,
                wire::ICMP_HOST_UNREACH,
                None,
                env,
            );
        }
        self.free_frame(frame);
    }

    /// Sends an ICMP error about `orig` (an IPv4 packet) back to its source (`__icmp_send`).
    pub(crate) fn icmp_send(
        &mut self,
        ns: NsId,
        orig: &[u8],
        icmp_type: u8,
        code: u8,
        _in_dev: Option<DevId>,
        env: &mut dyn Env,
    ) {
        let Some(ip) = Ipv4::parse(orig) else { return };
        // Never about ICMP errors, fragments, broadcasts or unspecified sources.
        if ip.frag & 0x1fff != 0
            || ip.src.is_unspecified()
            || ip.src.is_broadcast()
            || ip.dst.is_broadcast()
            || ip.src.is_multicast()
            || ip.dst.is_multicast()
        {
            return;
        }
        if ip.proto == IPPROTO_ICMP {
            let t = orig.get(ip.ihl).copied().unwrap_or(0);
            if !matches!(
                t,
                wire::ICMP_ECHO | wire::ICMP_ECHOREPLY | 13 | 14 | 15 | 16 | 17 | 18
            ) {
                return;
            }
        }
        let Ok(rt) = self.route_output(ns, ip.src, None, None) else {
            return;
        };
        // icmpv4_xrlim_allow: per destination, unless it goes to ourselves.
        let mask = self.net(ns).sysctl.icmp_ratemask;
        if rt.rtype != rtn::LOCAL
            && icmp_type < 32
            && mask & (1 << icmp_type) != 0
            && !self.icmp_ratelimit(ns, ip.src, env.now())
        {
            return;
        }
        let room = 576 - 20 - 8;
        let quoted = &orig[..ip.total_len.min(room).min(orig.len())];
        let mut msg = vec![0u8; 8 + quoted.len()];
        msg[0] = icmp_type;
        msg[1] = code;
        msg[8..].copy_from_slice(quoted);
        let c = wire::checksum(&msg);
        wire::put16(&mut msg, 2, c);
        // The source: the address this host would use towards the original sender, unless the
        // original packet was addressed to one of ours.
        let src = if self.is_local_addr(ns, ip.dst) {
            Some(ip.dst)
        } else {
            None
        };
        let tos = (ip.tos & 0x1e) | 0xc0;
        let _ = self.ip_send(
            ns,
            src,
            ip.src,
            IPPROTO_ICMP,
            &msg,
            SendOpts {
                tos,
                ..SendOpts::default()
            },
            env,
        );
    }

    /// `inet_peer_xrlim_allow` with `icmp_ratelimit`: a burst of 6, then one per period.
    fn icmp_ratelimit(&mut self, ns: NsId, dst: Ipv4Addr, now: Time) -> bool {
        let period = self.net(ns).sysctl.icmp_ratelimit.max(0) as u64 * 1_000_000;
        let peers = &mut self.net_mut(ns).icmp_peers;
        token_bucket(peers, dst, now, period, 6)
    }

    /// `ip_error`'s limiter for unreachable errors: a burst of 5, then one per second. It
    /// draws on the same per-peer tokens as `icmp_ratelimit`, so an error that passes both
    /// costs two (a burst of probes to an unroutable network gets two answers).
    fn err_ratelimit(&mut self, ns: NsId, dst: Ipv4Addr, now: Time) -> bool {
        let peers = &mut self.net_mut(ns).icmp_peers;
        token_bucket(peers, dst, now, 1_000_000_000, 5)
    }
}

/// A token bucket keyed by address; a fresh key starts full.
fn token_bucket(
    peers: &mut std::collections::BTreeMap<Ipv4Addr, (u64, Time)>,
    key: Ipv4Addr,
    now: Time,
    period: u64,
    burst: u64,
) -> bool {
    if period == 0 {
        return true;
    }
    let cap = period * burst;
    let (tokens, last) = peers.get(&key).copied().unwrap_or((cap, now));
    let mut tokens = (tokens + now.since(last).as_nanos()).min(cap);
    let ok = tokens >= period;
    if ok {
        tokens -= period;
    }
    peers.insert(key, (tokens, now));
    ok
}

/// Options of one send.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SendOpts<'a> {
    pub ttl: Option<u8>,
    pub tos: u8,
    pub oif: Option<DevId>,
    pub broadcast_ok: bool,
    pub df: bool,
    /// IP options (`IP_OPTIONS`, or those an answer echoes).
    pub options: Option<&'a SockOptions>,
}

/// The header of the packet an ICMP error quotes (the checksum is not checked: only 8 bytes
/// of payload may be there).
fn parse_quoted(b: &[u8]) -> Option<Ipv4> {
    if b.len() < 20 || b[0] >> 4 != 4 {
        return None;
    }
    let ihl = usize::from(b[0] & 0x0f) * 4;
    if ihl < 20 || b.len() < ihl {
        return None;
    }
    Some(Ipv4 {
        ihl,
        tos: b[1],
        total_len: usize::from(wire::be16(b, 2)),
        id: wire::be16(b, 4),
        frag: wire::be16(b, 6),
        ttl: b[8],
        proto: b[9],
        src: wire::ip4(b, 12),
        dst: wire::ip4(b, 16),
    })
}

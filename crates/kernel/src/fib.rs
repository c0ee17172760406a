//! Routing tables: the local and main tables of a namespace, longest-prefix match.
//!
//! Routes are kept in the order the kernel dumps them (table, then destination ascending,
//! longer prefixes first, then metric), so a dump is a walk and a lookup is the first match.
//! This is a sorted list, fine for the tables labs hold; a trie can replace it behind the
//! same functions when tables grow. See net/ipv4/fib_trie.c and fib_semantics.c.

use std::net::Ipv4Addr;

use crate::core::{prefix_mask, DevId};
use crate::rtnl::{rt_table, rtn};

/// One route (`struct fib_alias` + its `fib_info`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Route {
    pub table: u32,
    pub rtype: u8,
    pub protocol: u8,
    pub scope: u8,
    pub dst: u32,
    pub len: u8,
    pub tos: u8,
    pub oif: Option<DevId>,
    pub gateway: Option<Ipv4Addr>,
    pub prefsrc: Option<Ipv4Addr>,
    pub priority: u32,
    /// `RTNH_F_ONLINK` and friends, as configured.
    pub flags: u32,
}

impl Route {
    pub fn matches(&self, a: Ipv4Addr) -> bool {
        u32::from(a) & prefix_mask(self.len) == self.dst
    }

    fn order_key(&self) -> (u32, u32, u8, u32) {
        (self.table, self.dst, 32 - self.len, self.priority)
    }
}

#[derive(Default)]
pub(crate) struct Fib {
    pub routes: Vec<Route>,
}

impl Fib {
    /// Inserts after every route that sorts before or with it (new aliases go last).
    pub fn insert(&mut self, r: Route) {
        let key = r.order_key();
        let at = self.routes.partition_point(|x| x.order_key() <= key);
        self.routes.insert(at, r);
    }

    /// Routes with the same key as `r` in the sense of `ip route add` (table, prefix, tos,
    /// priority).
    pub fn find_exact(
        &self,
        table: u32,
        dst: u32,
        len: u8,
        tos: u8,
        priority: u32,
    ) -> Option<usize> {
        self.routes.iter().position(|x| {
            x.table == table
                && x.dst == dst
                && x.len == len
                && x.tos == tos
                && x.priority == priority
        })
    }

    /// Longest-prefix match over the local table then the main table (the default rules).
    /// `oif` restricts the match to routes through that device (`SO_BINDTODEVICE`).
    pub fn lookup(&self, dst: Ipv4Addr, oif: Option<DevId>) -> Option<&Route> {
        for table in [rt_table::LOCAL, rt_table::MAIN] {
            // Routes are sorted by destination, not by length, within a table: scan for the
            // longest match.
            let mut best: Option<&Route> = None;
            for r in self.routes.iter().filter(|r| r.table == table) {
                if !r.matches(dst) {
                    continue;
                }
                if let Some(o) = oif {
                    if r.oif != Some(o) && r.rtype != rtn::LOCAL && r.rtype != rtn::BROADCAST {
                        continue;
                    }
                }
                match best {
                    Some(b) if b.len > r.len || (b.len == r.len && b.priority <= r.priority) => {}
                    _ => best = Some(r),
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }

    /// Inserts a route the kernel makes for an address (`fib_magic` with `NLM_F_APPEND`):
    /// after the routes with the same key, and not at all if an identical one (same type and
    /// `fib_info`) is already there, as `fib_table_insert` refuses an exact duplicate. Returns
    /// whether it was inserted.
    pub fn append(&mut self, r: Route) -> bool {
        if self.routes.contains(&r) {
            return false;
        }
        self.insert(r);
        true
    }

    /// Removes every route through `dev` (`fib_sync_down_dev` with `force`, as on unregister,
    /// followed by `fib_flush`).
    pub fn remove_dev(&mut self, dev: DevId) {
        self.routes.retain(|r| r.oif != Some(dev));
    }

    /// The device went down (`fib_sync_down_dev` for `NETDEV_DOWN`, then `fib_flush`): every
    /// route through it dies except those of host scope, whose next hop has scope "nowhere"
    /// and is never marked dead. So the local routes of its addresses stay, and the host
    /// keeps answering on them.
    pub fn sync_down_dev(&mut self, dev: DevId) {
        self.routes
            .retain(|r| r.oif != Some(dev) || r.scope == crate::rtnl::scope::HOST);
    }

    /// Removes the main table's routes whose preferred source is `addr` (`fib_sync_down_addr`
    /// and `fib_flush`, when the last holder of a local address is gone).
    pub fn remove_prefsrc(&mut self, addr: Ipv4Addr) {
        self.routes
            .retain(|r| r.table != rt_table::MAIN || r.prefsrc != Some(addr));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::{rtprot, scope};

    fn route(dst: [u8; 4], len: u8, gw: Option<[u8; 4]>, prio: u32) -> Route {
        Route {
            table: rt_table::MAIN,
            rtype: rtn::UNICAST,
            protocol: rtprot::BOOT,
            scope: scope::UNIVERSE,
            dst: u32::from(Ipv4Addr::from(dst)) & prefix_mask(len),
            len,
            tos: 0,
            oif: Some(DevId(1)),
            gateway: gw.map(Ipv4Addr::from),
            prefsrc: None,
            priority: prio,
            flags: 0,
        }
    }

    #[test]
    fn longest_prefix_then_lowest_metric() {
        let mut f = Fib::default();
        f.insert(route([0, 0, 0, 0], 0, Some([192, 0, 2, 254]), 0));
        f.insert(route([198, 51, 100, 0], 24, Some([192, 0, 2, 1]), 0));
        f.insert(route([198, 51, 100, 0], 24, Some([192, 0, 2, 2]), 10));
        f.insert(route([198, 51, 100, 7], 32, Some([192, 0, 2, 3]), 0));
        let gw = |a: [u8; 4]| f.lookup(Ipv4Addr::from(a), None).and_then(|r| r.gateway);
        assert_eq!(gw([198, 51, 100, 7]), Some(Ipv4Addr::new(192, 0, 2, 3)));
        assert_eq!(gw([198, 51, 100, 8]), Some(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(gw([8, 8, 8, 8]), Some(Ipv4Addr::new(192, 0, 2, 254)));
    }

    #[test]
    fn dump_order_is_by_destination_longer_first() {
        let mut f = Fib::default();
        f.insert(route([10, 0, 0, 0], 8, None, 0));
        f.insert(route([0, 0, 0, 0], 0, None, 0));
        f.insert(route([10, 0, 0, 0], 16, None, 0));
        let lens: Vec<u8> = f.routes.iter().map(|r| r.len).collect();
        assert_eq!(lens, [0, 16, 8]);
    }
}

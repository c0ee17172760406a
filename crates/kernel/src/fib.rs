//! Routing tables: the local and main tables of a namespace, longest-prefix match.
//!
//! Routes are kept in the order the kernel dumps them (table, then destination ascending,
//! longer prefixes first, then metric), so a dump is a walk. Beside that list, each of the
//! two tables a lookup consults (local, then main: the default rules) keeps an index: one
//! hash of the prefixes per prefix length, and the set of lengths in use. A lookup probes the
//! lengths in use from the longest down, one hash probe each, so its cost depends on how many
//! distinct prefix lengths a table holds, not on how many routes (fib_trie.c gets the same
//! independence from table size with a level-compressed trie). See net/ipv4/fib_trie.c and
//! fib_semantics.c.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::Ipv4Addr;
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};

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
        (
            self.table,
            self.dst,
            32u8.wrapping_sub(self.len),
            self.priority,
        )
    }

    /// Whether a lookup restricted to `oif` may use this route: local and broadcast routes
    /// answer whatever the device.
    fn usable_by(&self, oif: Option<DevId>) -> bool {
        oif.is_none_or(|o| {
            self.oif == Some(o) || self.rtype == rtn::LOCAL || self.rtype == rtn::BROADCAST
        })
    }
}

/// Hashes the one `u64` a prefix key is (Fibonacci hashing: a multiply spreads the bits, the
/// fold brings the high ones down to where the table's index is taken).
#[derive(Default)]
struct PrefixHasher(u64);

impl Hasher for PrefixHasher {
    fn finish(&self) -> u64 {
        let h = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^ (h >> 32)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// The key of a prefix in a table's index.
fn prefix_key(dst: u32, len: u8) -> u64 {
    (u64::from(dst) << 8) | u64::from(len)
}

/// The index of one table: which prefix lengths it holds, and the routes of each prefix.
struct TableIndex {
    /// Bit `len` is set when some route has that prefix length (lengths above 63 share bit
    /// 63; no valid route has one).
    lens: u64,
    /// How many prefixes there are of each length (by bit, as in `lens`).
    per_len: [u32; 64],
    /// The routes of each prefix, in dump order: by metric, then as they were added.
    prefixes: HashMap<u64, Vec<Route>, BuildHasherDefault<PrefixHasher>>,
}

impl Default for TableIndex {
    fn default() -> Self {
        TableIndex {
            lens: 0,
            per_len: [0; 64],
            prefixes: HashMap::default(),
        }
    }
}

impl TableIndex {
    fn add(&mut self, r: &Route) {
        let run = self.prefixes.entry(prefix_key(r.dst, r.len)).or_default();
        if run.is_empty() {
            let bit = usize::from(r.len.min(63));
            self.per_len[bit] += 1;
            self.lens |= 1 << bit;
        }
        // After every alias that sorts before or with it, as in the list.
        let at = run.partition_point(|x| x.priority <= r.priority);
        run.insert(at, r.clone());
    }

    /// Removes the `nth` route of prefix `dst/len`.
    fn remove(&mut self, dst: u32, len: u8, nth: usize) {
        let key = prefix_key(dst, len);
        let Some(run) = self.prefixes.get_mut(&key) else {
            return;
        };
        if nth < run.len() {
            run.remove(nth);
        }
        if run.is_empty() {
            self.prefixes.remove(&key);
            let bit = usize::from(len.min(63));
            self.per_len[bit] = self.per_len[bit].saturating_sub(1);
            if self.per_len[bit] == 0 {
                self.lens &= !(1 << bit);
            }
        }
    }

    /// Longest prefix first; within a prefix the lowest metric, the first added on a tie.
    fn lookup(&self, dst: u32, oif: Option<DevId>) -> Option<&Route> {
        let mut lens = self.lens;
        while lens != 0 {
            let bit = 63 - lens.leading_zeros();
            lens &= !(1 << bit);
            let len = bit as u8;
            let key = prefix_key(dst & prefix_mask(len), len);
            if let Some(r) = self
                .prefixes
                .get(&key)
                .and_then(|run| run.iter().find(|r| r.usable_by(oif)))
            {
                return Some(r);
            }
        }
        None
    }
}

/// The routes of a namespace in dump order, with the lookup index kept beside them. It reads
/// as a slice; every change goes through it, so the index never falls out of step.
pub(crate) struct Routes {
    list: Vec<Route>,
    /// The local table's index, then the main table's.
    index: [TableIndex; 2],
    /// Changes whenever the routes do; no two lists ever share one.
    generation: u64,
}

/// Where the generations of every list of routes come from.
static GENERATIONS: AtomicU64 = AtomicU64::new(0);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

impl Default for Routes {
    fn default() -> Self {
        Routes {
            list: Vec::new(),
            index: Default::default(),
            generation: next_generation(),
        }
    }
}

impl Deref for Routes {
    type Target = [Route];
    fn deref(&self) -> &[Route] {
        &self.list
    }
}

impl Routes {
    fn index_of(table: u32) -> Option<usize> {
        match table {
            rt_table::LOCAL => Some(0),
            rt_table::MAIN => Some(1),
            _ => None,
        }
    }

    fn insert(&mut self, at: usize, r: Route) {
        self.generation = next_generation();
        if let Some(t) = Self::index_of(r.table) {
            self.index[t].add(&r);
        }
        self.list.insert(at, r);
    }

    /// Removes and returns the route at `i`, as `Vec::remove` does.
    pub fn remove(&mut self, i: usize) -> Route {
        let r = self.list.remove(i);
        self.generation = next_generation();
        if let Some(t) = Self::index_of(r.table) {
            // Its aliases before it in the list are those before it in the index's run.
            let before = self.list[..i]
                .iter()
                .rev()
                .take_while(|x| x.table == r.table && x.dst == r.dst && x.len == r.len)
                .count();
            self.index[t].remove(r.dst, r.len, before);
        }
        r
    }

    /// Keeps only the routes `f` accepts, as `Vec::retain` does.
    pub fn retain(&mut self, f: impl FnMut(&Route) -> bool) {
        let n = self.list.len();
        self.list.retain(f);
        if self.list.len() != n {
            self.generation = next_generation();
            self.reindex();
        }
    }

    fn reindex(&mut self) {
        self.index = Default::default();
        for r in &self.list {
            if let Some(t) = Self::index_of(r.table) {
                self.index[t].add(r);
            }
        }
    }
}

/// Answers of recent lookups without an output device, by destination: how received packets
/// are routed. An answer is used only while the routes are those it was found in, so it is
/// always what a fresh lookup would say (Linux likewise keeps the input route on the next hop,
/// `rth_input`, rather than walk the trie for every packet of a flow).
#[derive(Default)]
struct InputCache {
    /// Two-way set-associative by destination, the most recent first in each set.
    sets: [[Option<Remembered>; 2]; 8],
}

/// One remembered answer.
struct Remembered {
    dst: u32,
    /// The generation of the routes it was found in.
    generation: u64,
    route: Option<Route>,
}

#[derive(Default)]
pub(crate) struct Fib {
    pub routes: Routes,
    input_cache: InputCache,
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
        let dst = u32::from(dst);
        self.routes.index.iter().find_map(|t| t.lookup(dst, oif))
    }

    /// `lookup(dst, None)`, remembered for the packets that follow (`ip_route_input`).
    pub fn lookup_input(&mut self, dst: Ipv4Addr) -> Option<&Route> {
        let d = u32::from(dst);
        let generation = self.routes.generation;
        let set = (u64::from(d).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 61) as usize;
        let fresh = |e: &Option<Remembered>| {
            e.as_ref()
                .is_some_and(|e| e.dst == d && e.generation == generation)
        };
        let way = match &self.input_cache.sets[set] {
            [a, _] if fresh(a) => 0,
            [_, b] if fresh(b) => 1,
            _ => {
                let answer = self.lookup(dst, None).cloned();
                let ways = &mut self.input_cache.sets[set];
                ways[1] = ways[0].take();
                ways[0] = Some(Remembered {
                    dst: d,
                    generation,
                    route: answer,
                });
                0
            }
        };
        self.input_cache.sets[set][way]
            .as_ref()
            .and_then(|e| e.route.as_ref())
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

    /// What a lookup means, spelled out: over the local table then the main one, the longest
    /// matching prefix usable by `oif`, the lowest metric, the first in dump order.
    fn scan(routes: &[Route], dst: Ipv4Addr, oif: Option<DevId>) -> Option<&Route> {
        [rt_table::LOCAL, rt_table::MAIN]
            .into_iter()
            .find_map(|table| {
                let mut best: Option<&Route> = None;
                for r in routes.iter().filter(|r| r.table == table) {
                    if !r.matches(dst) || !r.usable_by(oif) {
                        continue;
                    }
                    match best {
                        Some(b)
                            if b.len > r.len || (b.len == r.len && b.priority <= r.priority) => {}
                        _ => best = Some(r),
                    }
                }
                best
            })
    }

    /// Random tables, changed by inserts, removals and flushes, answer every lookup as the
    /// plain scan does.
    #[test]
    fn index_agrees_with_a_scan() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut f = Fib::default();
        for _ in 0..3000 {
            match next(10) {
                0..=5 => {
                    // Few distinct prefixes, so that aliases and metrics collide.
                    let len = [0, 8, 16, 24, 30, 32][next(6) as usize];
                    let dst = (10 << 24 | (next(4) as u32) << 16 | (next(4) as u32) << 8)
                        | next(4) as u32;
                    let mut r = route(dst.to_be_bytes(), len, Some([192, 0, 2, 1]), 0);
                    r.table = [rt_table::LOCAL, rt_table::MAIN, 100][next(3) as usize];
                    r.rtype = [rtn::UNICAST, rtn::LOCAL, rtn::BROADCAST][next(3) as usize];
                    r.priority = next(3) as u32;
                    r.oif = Some(DevId(next(3) as u32));
                    r.gateway = Some(Ipv4Addr::from(next(1 << 32) as u32));
                    f.insert(r);
                }
                6 | 7 if !f.routes.is_empty() => {
                    f.routes.remove(next(f.routes.len() as u64) as usize);
                }
                8 if next(20) == 0 => f.remove_dev(DevId(next(3) as u32)),
                _ => {}
            }
            for _ in 0..4 {
                let dst = Ipv4Addr::from(
                    10 << 24 | (next(4) as u32) << 16 | (next(4) as u32) << 8 | next(5) as u32,
                );
                let oif = [None, Some(DevId(0)), Some(DevId(1))][next(3) as usize];
                assert_eq!(
                    f.lookup(dst, oif),
                    scan(&f.routes, dst, oif),
                    "{dst} {oif:?}"
                );
            }
        }
    }
}

//! Forwarding allocates nothing per packet: once a chain of routers has resolved its
//! neighbours, sending more packets across it does not make more heap allocations.
//!
//! A counting global allocator counts the allocations this thread makes while a packet is
//! sent from h1, crosses every router and is consumed by h2 (which ignores echo requests, so
//! nothing is handed to a program), for a few packets and for many.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use tsunagi_engine::{Duration, Time};
use tsunagi_kernel::Kernel;

#[path = "support/chain.rs"]
mod chain;

use chain::Chain;

struct Counting;

thread_local! {
    /// Allocations made by this thread while counting is on; `None` while off.
    static ALLOCS: Cell<Option<u64>> = const { Cell::new(None) };
}

fn count_one() {
    // `try_with`: the allocator may run while thread-locals are being torn down.
    let _ = ALLOCS.try_with(|c| {
        if let Some(n) = c.get() {
            c.set(Some(n + 1));
        }
    });
}

// SAFETY: every call is passed straight to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations it made on this thread.
fn allocations(f: impl FnOnce()) -> u64 {
    ALLOCS.with(|c| c.set(Some(0)));
    f();
    ALLOCS.with(|c| c.replace(None)).unwrap_or(0)
}

/// Packets h2's device has received.
fn h2_rx(c: &mut Chain) -> u64 {
    let h2 = *c.nodes.last().expect("h2");
    let links = c.k.link_dump(h2);
    links
        .iter()
        .find(|l| l.name != "lo")
        .map_or(0, |l| l.stats.rx_packets)
}

/// Sends `n` echo requests from h1 to h2, one after the other, each run until it has crossed
/// the chain (a veth hop takes at most 20 µs; neighbour timers are seconds away).
fn send(c: &mut Chain, n: usize) {
    let limit = Duration::from_micros(25 * c.hops as u64);
    for _ in 0..n {
        let Chain { k, env, .. } = c;
        k.sock_send_to(c.sock, c.dst, 0, &c.echo, env)
            .expect("send");
        let until: Time = env.queue.now() + limit;
        while let Some((_, ev)) = env.queue.pop_until(until) {
            Kernel::handle(k, ev, env);
        }
    }
}

#[test]
fn forwarding_allocates_nothing_per_packet() {
    // 10 routers: 11 hops from h1 to h2.
    let mut c = Chain::new(10);
    let h2 = *c.nodes.last().expect("h2");
    c.k.sysctl_set(h2, "net.ipv4.icmp_echo_ignore_all", "1", &mut c.env)
        .expect("sysctl");
    // Warm up: anything that grows to a steady size (queues, pools) does so now.
    send(&mut c, 10);

    let before = h2_rx(&mut c);
    let few = allocations(|| send(&mut c, 10));
    let many = allocations(|| send(&mut c, 1000));
    assert_eq!(
        h2_rx(&mut c) - before,
        1010,
        "every packet crossed the chain"
    );
    assert_eq!(
        (few, many),
        (0, 0),
        "allocations while forwarding 10 and 1000 packets"
    );
}

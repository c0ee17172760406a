//! The wall-clock cost of one forwarded packet-hop: an ICMP echo and its reply cross a chain
//! of routers (2 × (routers + 1) veth hops, each a delivery, a route lookup, a TTL
//! decrement and a neighbour lookup), driven straight through the kernel and event queue.
//!
//! `cargo bench -p tsunagi --bench forwarding` prints the time per round trip; divide by the
//! hop count it prints to get ns per hop.

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../tests/support/chain.rs"]
mod chain;

use chain::Chain;

fn forwarding(c: &mut Criterion) {
    for routers in [3u32, 200] {
        let mut chain = Chain::new(routers);
        let hops = chain.hops;
        let events = chain.round_trip();
        assert_eq!(events, hops, "the echo and its reply cross every hop");
        println!("chain of {routers} routers: {hops} hops, {events} events per round trip");
        c.bench_function(
            &format!("echo round trip, {routers} routers ({hops} hops)"),
            |b| b.iter(|| chain.round_trip()),
        );
    }
}

criterion_group!(benches, forwarding);
criterion_main!(benches);

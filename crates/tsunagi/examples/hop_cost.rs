//! Runs echo round trips across a chain of routers, for counting what a forwarded hop costs
//! under a profiler: `bench/hop-instructions.sh` runs it under callgrind with two round-trip
//! counts and divides the difference by the hops crossed.
//!
//! `cargo run --release -p tsunagi --example hop_cost -- ROUTERS ROUND_TRIPS`

#[path = "../tests/support/chain.rs"]
mod chain;

fn main() {
    let mut args = std::env::args().skip(1);
    let routers: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let mut c = chain::Chain::new(routers);
    let mut events = 0;
    for _ in 0..rounds {
        events += c.round_trip();
    }
    println!("{routers} routers, {rounds} round trips, {events} hops");
}

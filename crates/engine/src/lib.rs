//! The engine: virtual time, an ordered event queue, one seeded random source, and a tiny
//! single-threaded executor for the programs that run in a lab.
//!
//! It knows nothing of packets or processes. Time is an integer number of nanoseconds since the
//! lab booted; events fire in `(time, sequence)` order, so two events scheduled for the same
//! instant fire in the order they were scheduled. Nothing here reads the wall clock: whoever
//! drives the engine decides whether time jumps to the next event (batch) or follows a real
//! clock (paced).

mod executor;
mod queue;
mod rng;
mod time;

pub use executor::{BoxFuture, Executor, Polling, TaskId};
pub use queue::{Queue, TimerId};
pub use rng::Rng;
pub use time::{Duration, Time};

//! Driving a kernel without a lab: an [`Env`] with its own event queue and random source, for
//! tests, benchmarks and fuzzing. The lab has its own environment, which also runs programs.

use tsunagi_engine::{Duration, Queue, Rng, Time, TimerId};

use crate::core::{Env, Kernel, NetEvent};

/// The kernel's events wait in `queue` until the caller hands them back to
/// [`Kernel::handle`], for instance through [`QueueEnv::run_for`].
pub struct QueueEnv {
    pub queue: Queue<NetEvent>,
    pub rng: Rng,
}

impl QueueEnv {
    /// An empty queue at time zero and a random source seeded with `seed`.
    pub fn new(seed: u64) -> QueueEnv {
        QueueEnv {
            queue: Queue::new(),
            rng: Rng::new(seed),
        }
    }

    /// A new kernel (its initial namespace) and the environment that drives it.
    pub fn kernel(seed: u64) -> (Kernel, QueueEnv) {
        let mut env = QueueEnv::new(seed);
        let k = Kernel::new(&mut env);
        (k, env)
    }

    /// Handles every event due within `d` from now, then moves the clock to its end.
    pub fn run_for(&mut self, k: &mut Kernel, d: Duration) {
        let until = self.queue.now() + d;
        while let Some((_, ev)) = self.queue.pop_until(until) {
            k.handle(ev, self);
        }
    }
}

impl Env for QueueEnv {
    fn now(&self) -> Time {
        self.queue.now()
    }
    fn at(&mut self, t: Time, ev: NetEvent) -> TimerId {
        self.queue.schedule(t, ev)
    }
    fn at_daemon(&mut self, t: Time, ev: NetEvent) -> TimerId {
        self.queue.schedule_daemon(t, ev)
    }
    fn cancel(&mut self, id: TimerId) {
        self.queue.cancel(id)
    }
    fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }
}

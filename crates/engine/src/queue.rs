//! The event queue: events ordered by `(time, sequence)`, with cancellable timers.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use crate::Time;

/// Names one scheduled event so that it can be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerId(u64);

struct Entry<E> {
    at: Time,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, o: &Self) -> bool {
        self.at == o.at && self.seq == o.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed: the heap's top is the earliest (time, seq).
    fn cmp(&self, o: &Self) -> Ordering {
        (o.at, o.seq).cmp(&(self.at, self.seq))
    }
}

/// A deterministic priority queue of events and the virtual clock it drives.
///
/// `pop` advances `now` to the popped event's time; time never goes backwards, and an event
/// scheduled in the past fires at `now`.
pub struct Queue<E> {
    now: Time,
    seq: u64,
    heap: BinaryHeap<Entry<E>>,
    cancelled: HashSet<u64>,
}

impl<E> Default for Queue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Queue<E> {
    pub fn new() -> Self {
        Queue {
            now: Time::ZERO,
            seq: 0,
            heap: BinaryHeap::new(),
            cancelled: HashSet::new(),
        }
    }

    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at `at` (or now, if `at` has passed).
    pub fn schedule(&mut self, at: Time, event: E) -> TimerId {
        let seq = self.seq;
        self.seq += 1;
        self.heap.push(Entry {
            at: at.max(self.now),
            seq,
            event,
        });
        TimerId(seq)
    }

    /// Cancels a scheduled event. Cancelling one that already fired does nothing (the owner of
    /// a timer should forget its id when it fires).
    pub fn cancel(&mut self, id: TimerId) {
        if id.0 < self.seq {
            self.cancelled.insert(id.0);
        }
    }

    /// The time of the next live event, if any.
    pub fn next_time(&mut self) -> Option<Time> {
        self.skip_cancelled();
        self.heap.peek().map(|e| e.at)
    }

    /// Removes the next event and advances the clock to its time.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        self.skip_cancelled();
        let e = self.heap.pop()?;
        self.now = e.at;
        Some((e.at, e.event))
    }

    /// Removes the next event only if it is due at or before `limit`; otherwise moves the
    /// clock forward to `limit` (paced mode: the wall clock says how far time may go).
    pub fn pop_until(&mut self, limit: Time) -> Option<(Time, E)> {
        match self.next_time() {
            Some(t) if t <= limit => self.pop(),
            _ => {
                self.now = self.now.max(limit);
                None
            }
        }
    }

    /// Moves the clock forward without firing anything.
    pub fn advance_to(&mut self, t: Time) {
        self.now = self.now.max(t);
    }

    /// True when no live event is left.
    pub fn is_empty(&mut self) -> bool {
        self.next_time().is_none()
    }

    fn skip_cancelled(&mut self) {
        if self.cancelled.is_empty() {
            return;
        }
        while let Some(top) = self.heap.peek() {
            if self.cancelled.remove(&top.seq) {
                self.heap.pop();
            } else {
                break;
            }
        }
        if self.heap.is_empty() {
            // Ids cancelled after they fired can never match again.
            self.cancelled.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_sequence() {
        let mut q = Queue::new();
        q.schedule(Time(20), "c");
        q.schedule(Time(10), "a");
        q.schedule(Time(10), "b");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![(Time(10), "a"), (Time(10), "b"), (Time(20), "c")]
        );
        assert_eq!(q.now(), Time(20));
    }

    #[test]
    fn cancelled_events_do_not_fire() {
        let mut q = Queue::new();
        let a = q.schedule(Time(5), 1);
        q.schedule(Time(6), 2);
        q.cancel(a);
        assert_eq!(q.pop(), Some((Time(6), 2)));
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn past_events_fire_now_and_time_never_goes_back() {
        let mut q = Queue::new();
        q.schedule(Time(100), 0);
        q.pop();
        q.schedule(Time(50), 1);
        assert_eq!(q.pop(), Some((Time(100), 1)));
    }

    #[test]
    fn pop_until_respects_the_limit() {
        let mut q = Queue::new();
        q.schedule(Time(100), 0);
        assert_eq!(q.pop_until(Time(40)), None);
        assert_eq!(q.now(), Time(40));
        assert_eq!(q.pop_until(Time(100)), Some((Time(100), 0)));
    }
}

//! The event queue: events ordered by `(time, sequence)`, with cancellable timers.
//!
//! A simulation's clock never goes back: every event is scheduled at or after the last one
//! taken out. That makes a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms
//! for the shortest path problem", 1990) the right priority queue: keys are `(time, sequence)`
//! read as one 128-bit number, and an event sits in the bucket named by the highest bit in
//! which its key differs from the last key taken out. Scheduling is a push onto a bucket;
//! taking out scans only the lowest non-empty bucket and spreads it into lower ones, so each
//! event moves a handful of times in its life instead of climbing a heap's `log n` levels.
//!
//! The buckets hold small fixed-size handles; the events themselves stay put in a slab of
//! slots, which also makes cancelling cheap: a cancelled event's slot is emptied at once and
//! its handle is skipped when it comes up.
//!
//! An event can be scheduled as a daemon: one that happens forever on its own (a link's
//! periodic router solicitations) and so must not keep a batch run waiting for something
//! else from ending. [`Queue::has_foreground`] tells whether anything else is pending.

use crate::Time;

/// Names one scheduled event so that it can be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerId {
    seq: u64,
    slot: u32,
}

/// A bucket's handle on one event: its key and the slot holding it.
#[derive(Clone, Copy)]
struct Entry {
    at: u64,
    seq: u64,
    slot: u32,
}

impl Entry {
    fn key(&self) -> (u64, u64) {
        (self.at, self.seq)
    }
}

/// Where an event waits. `seq` tells a live timer from a later tenant of the same slot.
struct Slot<E> {
    seq: u64,
    event: Option<E>,
    daemon: bool,
}

/// Bucket 0 holds the key equal to the last one taken out; buckets 1..=64 keys that differ
/// from it in the sequence's bit `i - 1` at most; buckets 65..=128 in the time's bit `i - 65`.
const BUCKETS: usize = 129;

/// The bucket of key `(at, seq)` relative to `last`.
fn bucket(last: (u64, u64), at: u64, seq: u64) -> usize {
    if at != last.0 {
        128 - (at ^ last.0).leading_zeros() as usize
    } else {
        64 - (seq ^ last.1).leading_zeros() as usize
    }
}

/// A deterministic priority queue of events and the virtual clock it drives.
///
/// `pop` advances `now` to the popped event's time; time never goes backwards, and an event
/// scheduled in the past fires at `now`.
pub struct Queue<E> {
    now: Time,
    seq: u64,
    /// The key of the last event taken out; every key in the buckets is at or above it.
    last: (u64, u64),
    buckets: Vec<Vec<Entry>>,
    /// Bit `i % 64` of word `i / 64` is set when bucket `i` is not empty.
    nonempty: [u64; 3],
    slots: Vec<Slot<E>>,
    free: Vec<u32>,
    /// Live events, and how many of them are daemons.
    live: usize,
    daemons: usize,
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
            last: (0, 0),
            // Which buckets events land in depends on the bits of the clock, so as time goes on
            // every bucket gets used; room for a few events in each up front spares the
            // steady state any allocation.
            buckets: (0..BUCKETS).map(|_| Vec::with_capacity(4)).collect(),
            nonempty: [0; 3],
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            daemons: 0,
        }
    }

    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at `at` (or now, if `at` has passed).
    pub fn schedule(&mut self, at: Time, event: E) -> TimerId {
        self.schedule_as(at, event, false)
    }

    /// Schedules a daemon event: it fires as any other, but does not count as something a
    /// run waits for ([`Queue::has_foreground`]).
    pub fn schedule_daemon(&mut self, at: Time, event: E) -> TimerId {
        self.schedule_as(at, event, true)
    }

    /// True if some live event is not a daemon.
    pub fn has_foreground(&self) -> bool {
        self.live > self.daemons
    }

    fn schedule_as(&mut self, at: Time, event: E, daemon: bool) -> TimerId {
        self.live += 1;
        self.daemons += usize::from(daemon);
        let seq = self.seq;
        self.seq += 1;
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Slot {
                    seq,
                    event: Some(event),
                    daemon,
                };
                i
            }
            None => {
                self.slots.push(Slot {
                    seq,
                    event: Some(event),
                    daemon,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let at = at.max(self.now).0;
        // The new key is above `last`: its time is at least `now` (which is at least the last
        // key's time) and its sequence number is the highest yet.
        self.push(Entry { at, seq, slot });
        TimerId { seq, slot }
    }

    /// Cancels a scheduled event. Cancelling one that already fired does nothing (the owner of
    /// a timer should forget its id when it fires).
    pub fn cancel(&mut self, id: TimerId) {
        if let Some(s) = self.slots.get_mut(id.slot as usize) {
            if s.seq == id.seq && s.event.take().is_some() {
                self.live -= 1;
                self.daemons -= usize::from(s.daemon);
            }
        }
    }

    /// The time of the next live event, if any.
    pub fn next_time(&mut self) -> Option<Time> {
        if let Some(e) = self.bucket0_live() {
            return Some(Time(e.at));
        }
        loop {
            let i = self.lowest_nonempty()?;
            if let Some(at) = self.purge_and_min(i).map(|(_, e)| e.at) {
                return Some(Time(at));
            }
        }
    }

    /// Removes the next event and advances the clock to its time.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        loop {
            let e = match self.buckets[0].pop() {
                Some(e) => {
                    if self.buckets[0].is_empty() {
                        self.nonempty[0] &= !1;
                    }
                    e
                }
                None => self.take_lowest()?,
            };
            self.free.push(e.slot);
            let slot = &mut self.slots[e.slot as usize];
            if let Some(ev) = slot.event.take() {
                self.live -= 1;
                self.daemons -= usize::from(slot.daemon);
                self.now = Time(e.at);
                return Some((self.now, ev));
            }
        }
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

    fn push(&mut self, e: Entry) {
        let b = bucket(self.last, e.at, e.seq);
        self.buckets[b].push(e);
        self.nonempty[b / 64] |= 1 << (b % 64);
    }

    fn lowest_nonempty(&self) -> Option<usize> {
        self.nonempty
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(i, w)| i * 64 + w.trailing_zeros() as usize)
    }

    /// The live entry of bucket 0, after dropping a cancelled one.
    fn bucket0_live(&mut self) -> Option<Entry> {
        self.purge_and_min(0).map(|(_, e)| e)
    }

    /// Drops the cancelled entries of bucket `i` and returns the position and entry of its
    /// smallest live key.
    fn purge_and_min(&mut self, i: usize) -> Option<(usize, Entry)> {
        let bucket = &mut self.buckets[i];
        let mut j = 0;
        let mut min: Option<(usize, Entry)> = None;
        while j < bucket.len() {
            let e = bucket[j];
            if self.slots[e.slot as usize].event.is_none() {
                bucket.swap_remove(j);
                self.free.push(e.slot);
                continue;
            }
            if min.is_none_or(|(_, m)| e.key() < m.key()) {
                min = Some((j, e));
            }
            j += 1;
        }
        if bucket.is_empty() {
            self.nonempty[i / 64] &= !(1 << (i % 64));
        }
        min
    }

    /// Takes out the entry with the smallest live key, which becomes the last key, spreading
    /// the rest of its bucket into lower ones. May return a cancelled entry when that is the
    /// only one of its bucket (the last key then stays as it was). `None` if no live event
    /// is left.
    fn take_lowest(&mut self) -> Option<Entry> {
        loop {
            let i = self.lowest_nonempty()?;
            if self.buckets[i].len() == 1 {
                // The common case: nothing to spread.
                let e = self.buckets[i].pop()?;
                self.nonempty[i / 64] &= !(1 << (i % 64));
                if self.slots[e.slot as usize].event.is_some() {
                    self.last = e.key();
                }
                return Some(e);
            }
            let Some((at, min)) = self.purge_and_min(i) else {
                continue;
            };
            self.last = min.key();
            let mut spread = std::mem::take(&mut self.buckets[i]);
            spread.swap_remove(at);
            self.nonempty[i / 64] &= !(1 << (i % 64));
            for e in spread.drain(..) {
                self.push(e);
            }
            // Keep the bucket's capacity for next time.
            self.buckets[i] = spread;
            return Some(min);
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
    fn daemons_do_not_count_as_foreground() {
        let mut q = Queue::new();
        assert!(!q.has_foreground());
        let d = q.schedule_daemon(Time(5), 0);
        assert!(!q.has_foreground());
        let a = q.schedule(Time(6), 1);
        assert!(q.has_foreground());
        q.cancel(a);
        q.cancel(a);
        assert!(!q.has_foreground());
        q.schedule(Time(7), 2);
        assert_eq!(q.pop(), Some((Time(5), 0)));
        q.cancel(d);
        assert!(q.has_foreground());
        assert_eq!(q.pop(), Some((Time(7), 2)));
        assert!(!q.has_foreground());
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

    #[test]
    fn cancelled_timer_does_not_move_the_clock() {
        let mut q = Queue::new();
        let far = q.schedule(Time(30_000), 0);
        q.cancel(far);
        assert_eq!(q.pop(), None);
        assert_eq!(q.now(), Time(0));
        // Scheduling before the cancelled timer's time still works.
        q.schedule(Time(10), 1);
        q.schedule(Time(5), 2);
        assert_eq!(q.pop(), Some((Time(5), 2)));
        assert_eq!(q.pop(), Some((Time(10), 1)));
    }

    /// Random schedules, cancels and pops agree with a plain ordered map.
    #[test]
    fn agrees_with_an_ordered_map() {
        use std::collections::BTreeMap;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut q = Queue::new();
        let mut model: BTreeMap<(u64, u64), u64> = BTreeMap::new();
        let mut ids: Vec<(TimerId, (u64, u64))> = Vec::new();
        let mut seq = 0;
        for step in 0..200_000u64 {
            let now = q.now().0;
            match next() % 10 {
                0..=4 => {
                    // Mostly near-term events, some far timers, some in the past.
                    let at = match next() % 4 {
                        0 => now.saturating_sub(next() % 100),
                        1 => now + next() % 1_000_000_000_000,
                        _ => now + next() % 20_000,
                    };
                    let id = q.schedule(Time(at), step);
                    model.insert((at.max(now), seq), step);
                    ids.push((id, (at.max(now), seq)));
                    seq += 1;
                }
                5 if !ids.is_empty() => {
                    let (id, key) = ids.swap_remove((next() % ids.len() as u64) as usize);
                    q.cancel(id);
                    model.remove(&key);
                }
                6 => {
                    let limit = now + next() % 30_000;
                    let want = match model.first_key_value() {
                        Some((k, _)) if k.0 <= limit => model.pop_first(),
                        _ => None,
                    };
                    let got = q.pop_until(Time(limit));
                    assert_eq!(got, want.map(|((t, _), v)| (Time(t), v)));
                }
                _ => {
                    assert_eq!(
                        q.next_time(),
                        model.first_key_value().map(|(k, _)| Time(k.0))
                    );
                    let want = model.pop_first().map(|((t, _), v)| (Time(t), v));
                    assert_eq!(q.pop(), want, "step {step}");
                }
            }
        }
        while let Some(((t, _), v)) = model.pop_first() {
            assert_eq!(q.pop(), Some((Time(t), v)));
        }
        assert_eq!(q.pop(), None);
    }
}

//! A tiny deterministic executor for `!Send` futures.
//!
//! Tasks are polled in the order they became ready (FIFO), so a run is a pure function of the
//! order of wake-ups, which the event queue makes deterministic. Wakers are `Send` only because
//! `std::task::Waker` demands it; everything runs on one thread.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// A task's future.
pub type BoxFuture = Pin<Box<dyn Future<Output = ()>>>;

/// A task taken out of the executor to be polled.
pub struct Polling {
    id: usize,
    generation: u64,
    future: BoxFuture,
    waker: Waker,
}

impl Polling {
    pub fn task(&self) -> TaskId {
        TaskId(self.id)
    }
    /// Polls the task once.
    pub fn poll(&mut self) -> Poll<()> {
        let mut cx = Context::from_waker(&self.waker);
        self.future.as_mut().poll(&mut cx)
    }
}

/// Names a spawned task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub usize);

struct TaskWaker {
    id: usize,
    generation: u64,
    queued: AtomicBool,
    ready: Arc<Mutex<VecDeque<(usize, u64)>>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref()
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::Relaxed) {
            if let Ok(mut q) = self.ready.lock() {
                q.push_back((self.id, self.generation));
            }
        }
    }
}

struct Slot {
    future: Option<BoxFuture>,
    generation: u64,
    waker: Arc<TaskWaker>,
}

/// Runs tasks until none is ready. Completed or cancelled tasks free their slot; a stale
/// wake-up for a freed slot is ignored thanks to the generation number.
pub struct Executor {
    slots: Vec<Slot>,
    free: Vec<usize>,
    ready: Arc<Mutex<VecDeque<(usize, u64)>>>,
    generation: u64,
}

impl Default for Executor {
    fn default() -> Self {
        Self::new()
    }
}

impl Executor {
    pub fn new() -> Self {
        Executor {
            slots: Vec::new(),
            free: Vec::new(),
            ready: Arc::new(Mutex::new(VecDeque::new())),
            generation: 0,
        }
    }

    /// Adds a task; it is polled at the next `run_ready`.
    pub fn spawn(&mut self, fut: impl Future<Output = ()> + 'static) -> TaskId {
        self.generation += 1;
        let generation = self.generation;
        let id = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot {
                future: None,
                generation: 0,
                waker: self.new_waker(0, 0),
            });
            self.slots.len() - 1
        });
        let waker = self.new_waker(id, generation);
        self.slots[id] = Slot {
            future: Some(Box::pin(fut)),
            generation,
            waker: waker.clone(),
        };
        waker.wake_by_ref();
        TaskId(id)
    }

    fn new_waker(&self, id: usize, generation: u64) -> Arc<TaskWaker> {
        Arc::new(TaskWaker {
            id,
            generation,
            queued: AtomicBool::new(false),
            ready: self.ready.clone(),
        })
    }

    /// Stops a task: its future is handed back to be dropped by the caller at a safe point (a
    /// future's destructor may need state the caller is holding). A task that is being polled
    /// right now (it killed itself) is dropped when its poll returns.
    pub fn cancel(&mut self, task: TaskId) -> Option<BoxFuture> {
        let slot = self.slots.get_mut(task.0)?;
        if slot.generation == 0 {
            return None;
        }
        slot.generation = 0;
        self.free.push(task.0);
        slot.future.take()
    }

    /// True if the task has neither finished nor been cancelled.
    pub fn is_alive(&self, task: TaskId) -> bool {
        self.slots.get(task.0).is_some_and(|s| s.generation != 0)
    }

    /// Takes the next ready task out of its slot, to be polled without the executor borrowed.
    pub fn take_next(&mut self) -> Option<Polling> {
        loop {
            let (id, generation) = self.ready.lock().ok()?.pop_front()?;
            let Some(slot) = self.slots.get_mut(id) else {
                continue;
            };
            if slot.generation != generation {
                continue;
            }
            let Some(future) = slot.future.take() else {
                continue;
            };
            slot.waker.queued.store(false, Ordering::Relaxed);
            return Some(Polling {
                id,
                generation,
                future,
                waker: Waker::from(slot.waker.clone()),
            });
        }
    }

    /// Puts a polled task back: frees its slot if it finished, keeps it if it is pending and
    /// was not cancelled meanwhile. Returns the future if it must be dropped by the caller.
    pub fn put_back(&mut self, p: Polling, done: bool) -> Option<BoxFuture> {
        let Some(slot) = self.slots.get_mut(p.id) else {
            return Some(p.future);
        };
        if slot.generation != p.generation {
            return Some(p.future);
        }
        if done {
            slot.generation = 0;
            self.free.push(p.id);
            Some(p.future)
        } else {
            slot.future = Some(p.future);
            None
        }
    }

    /// Polls ready tasks, in wake-up order, until none is ready. Returns how many polls ran.
    /// (Use `take_next`/`put_back` instead when tasks need to reach the executor.)
    pub fn run_ready(&mut self) -> usize {
        let mut polls = 0;
        while let Some(mut p) = self.take_next() {
            polls += 1;
            let done = p.poll().is_ready();
            drop(self.put_back(p, done));
        }
        polls
    }

    /// True if some task is waiting to be polled.
    pub fn has_ready(&self) -> bool {
        self.ready.lock().map(|q| !q.is_empty()).unwrap_or(false)
    }

    /// Number of live tasks.
    pub fn live(&self) -> usize {
        self.slots.iter().filter(|s| s.generation != 0).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    struct YieldOnce(bool);
    impl Future for YieldOnce {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn runs_tasks_in_wake_order() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut ex = Executor::new();
        for name in ["a", "b"] {
            let log = log.clone();
            ex.spawn(async move {
                log.borrow_mut().push(format!("{name}1"));
                YieldOnce(false).await;
                log.borrow_mut().push(format!("{name}2"));
            });
        }
        ex.run_ready();
        assert_eq!(*log.borrow(), ["a1", "b1", "a2", "b2"]);
        assert_eq!(ex.live(), 0);
    }

    #[test]
    fn cancelled_tasks_stop_and_free_their_slot() {
        let mut ex = Executor::new();
        let t = ex.spawn(std::future::pending::<()>());
        ex.run_ready();
        assert!(ex.is_alive(t));
        assert!(ex.cancel(t).is_some());
        assert!(!ex.is_alive(t));
        let u = ex.spawn(async {});
        assert_eq!(u, t, "slot reused");
        ex.run_ready();
        assert!(!ex.is_alive(u));
    }
}

//! The queue between the requests' threads and the writer: a few lanes, each a vector behind a
//! lock of its own, a thread always using the same lane.
//!
//! A channel shared by all threads (tokio's `mpsc`, as before) makes each event touch counters
//! that every sending thread and the receiver write: their cache lines go from one processor to
//! the other several times per event, a cost no instruction count shows. Here a worker takes a
//! lock no other thread holds (its lane's cache line stays on its processor) and pushes; the writer
//! swaps each lane's vector for an empty one a few times per second. The bound is kept per lane:
//! at most `capacity` events wait in all (give or take a lane's rounding).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What became of a pushed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pushed {
    /// Queued; the lane now holds this many.
    Queued(usize),
    /// The lane was full: the item was dropped.
    Full,
    /// The queue was closed: the item was dropped.
    Closed,
}

pub(crate) struct Queue<T> {
    lanes: Box<[Lane<T>]>,
    per_lane: usize,
}

/// A lane on a cache line of its own, so that two workers' lanes never share one.
#[repr(align(128))]
struct Lane<T>(Mutex<Waiting<T>>);

struct Waiting<T> {
    items: Vec<T>,
    closed: bool,
}

/// The lane of the current thread: threads are numbered in the order they first queue something.
fn thread_number() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static NUMBER: usize = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    NUMBER.with(|n| *n)
}

impl<T> Queue<T> {
    /// A queue of `lanes` lanes holding at most `capacity` items in all (at least one a lane).
    pub(crate) fn new(capacity: usize, lanes: usize) -> Self {
        let lanes = lanes.max(1);
        Self {
            lanes: (0..lanes)
                .map(|_| {
                    Lane(Mutex::new(Waiting {
                        items: Vec::new(),
                        closed: false,
                    }))
                })
                .collect(),
            per_lane: capacity.div_ceil(lanes).max(1),
        }
    }

    /// Items a lane holds at most.
    pub(crate) fn per_lane(&self) -> usize {
        self.per_lane
    }

    /// Number of lanes.
    pub(crate) fn lanes(&self) -> usize {
        self.lanes.len()
    }

    fn lane(&self, i: usize) -> MutexGuard<'_, Waiting<T>> {
        // A panic while a lane was locked left its vector whole (push and swap cannot leave it
        // half done), so a poisoned lock is used as it is.
        self.lanes[i]
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `item` in the current thread's lane, unless that lane is full or the queue closed.
    pub(crate) fn push(&self, item: T) -> Pushed {
        let mut lane = self.lane(thread_number() % self.lanes.len());
        if lane.closed {
            Pushed::Closed
        } else if lane.items.len() >= self.per_lane {
            Pushed::Full
        } else {
            lane.items.push(item);
            Pushed::Queued(lane.items.len())
        }
    }

    /// Gives lane `i`'s items in `taken` (which must be empty; its room goes to the lane).
    pub(crate) fn take(&self, i: usize, taken: &mut Vec<T>) {
        debug_assert!(taken.is_empty());
        std::mem::swap(&mut self.lane(i).items, taken);
    }

    /// Items waiting in all lanes.
    pub(crate) fn len(&self) -> usize {
        (0..self.lanes.len())
            .map(|i| self.lane(i).items.len())
            .sum()
    }

    /// Refuses new items from now on (those waiting can still be taken).
    pub(crate) fn close(&self) {
        for i in 0..self.lanes.len() {
            self.lane(i).closed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take_all(q: &Queue<u32>) -> Vec<u32> {
        let mut got = Vec::new();
        let mut taken = Vec::new();
        for i in 0..q.lanes() {
            q.take(i, &mut taken);
            got.append(&mut taken);
        }
        got.sort_unstable();
        got
    }

    #[test]
    fn a_lane_keeps_its_bound_and_a_closed_queue_takes_nothing() {
        let q = Queue::new(10, 4);
        assert_eq!(q.per_lane(), 3, "10 over 4 lanes, rounded up");
        assert_eq!(q.push(1), Pushed::Queued(1));
        assert_eq!(q.push(2), Pushed::Queued(2));
        assert_eq!(q.push(3), Pushed::Queued(3));
        assert_eq!(q.push(4), Pushed::Full, "a thread fills its own lane only");
        assert_eq!(q.len(), 3);
        assert_eq!(take_all(&q), [1, 2, 3]);
        assert_eq!(q.push(4), Pushed::Queued(1), "room again once taken");
        q.close();
        assert_eq!(q.push(5), Pushed::Closed);
        assert_eq!(take_all(&q), [4], "what waited can still be taken");
    }

    #[test]
    fn items_of_many_threads_are_taken_each_once_while_they_push() {
        let q = Queue::new(100_000, 4);
        let mut got = Vec::new();
        std::thread::scope(|s| {
            for t in 0..8 {
                let q = &q;
                s.spawn(move || {
                    for i in 0..1000 {
                        assert!(matches!(q.push(t * 1000 + i), Pushed::Queued(_)));
                    }
                });
            }
            let mut taken = Vec::new();
            while got.len() < 8000 {
                for i in 0..q.lanes() {
                    q.take(i, &mut taken);
                    got.append(&mut taken);
                }
                std::thread::yield_now();
            }
        });
        got.sort_unstable();
        assert_eq!(got, (0..8000).collect::<Vec<_>>());
        assert_eq!(q.len(), 0);
    }
}

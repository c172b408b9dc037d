//! The queue between the requests' threads and the writer: a few lanes, each a vector behind a
//! lock of its own, a thread always using the same lane.
//!
//! A channel shared by all threads (tokio's `mpsc`, as before) makes each event touch counters
//! that every sending thread and the receiver write: their cache lines go from one processor to
//! the other several times per event, a cost no instruction count shows. Here a worker takes a
//! lock no other thread holds (its lane's cache line stays on its processor) and pushes; the writer
//! swaps each lane's vector for an empty one a few times per second.
//!
//! A lane holding less than its share (`capacity` over the lanes) takes an item without looking at
//! the others; past its share, as when one thread does all the work, only while the queue holds
//! fewer than `capacity` items in all. So one thread alone may use the whole capacity, and the
//! others still have their share: at most `capacity` plus a share per other lane wait (under twice
//! `capacity`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What became of a pushed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pushed {
    /// Queued; the lane now holds this many.
    Queued(usize),
    /// The queue was full (see the bound above): the item was dropped.
    Full,
    /// The queue was closed: the item was dropped.
    Closed,
}

pub(crate) struct Queue<T> {
    lanes: Box<[Lane<T>]>,
    capacity: usize,
    /// Items a lane takes without looking at the others.
    share: usize,
}

/// A lane, on cache lines of its own so that two workers' lanes never share one.
#[repr(align(128))]
struct Lane<T> {
    waiting: Mutex<Waiting<T>>,
    /// The length of `waiting.items`, for the other threads to read without the lock.
    len: AtomicUsize,
}

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
    /// A queue of `lanes` lanes for `capacity` items (at least one; the exact bound is above).
    pub(crate) fn new(capacity: usize, lanes: usize) -> Self {
        let lanes = lanes.max(1);
        let capacity = capacity.max(1);
        Self {
            lanes: (0..lanes)
                .map(|_| Lane {
                    waiting: Mutex::new(Waiting {
                        items: Vec::new(),
                        closed: false,
                    }),
                    len: AtomicUsize::new(0),
                })
                .collect(),
            capacity,
            share: capacity.div_ceil(lanes),
        }
    }

    /// Items a lane takes without looking at the others.
    pub(crate) fn share(&self) -> usize {
        self.share
    }

    /// Number of lanes.
    pub(crate) fn lanes(&self) -> usize {
        self.lanes.len()
    }

    fn lane(&self, i: usize) -> MutexGuard<'_, Waiting<T>> {
        // A panic while a lane was locked left its vector whole (push and swap cannot leave it
        // half done), so a poisoned lock is used as it is.
        self.lanes[i]
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `item` in the current thread's lane, unless the queue is full or closed.
    pub(crate) fn push(&self, item: T) -> Pushed {
        self.push_to(thread_number() % self.lanes.len(), item)
    }

    fn push_to(&self, i: usize, item: T) -> Pushed {
        let mut lane = self.lane(i);
        let n = lane.items.len();
        if lane.closed {
            return Pushed::Closed;
        }
        if n >= self.share {
            let others: usize = (self.lanes.iter().enumerate())
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| l.len.load(Ordering::Relaxed))
                .sum();
            if n + others >= self.capacity {
                return Pushed::Full;
            }
        }
        lane.items.push(item);
        self.lanes[i].len.store(n + 1, Ordering::Relaxed);
        Pushed::Queued(n + 1)
    }

    /// Gives lane `i`'s items in `taken` (which must be empty; its room goes to the lane).
    pub(crate) fn take(&self, i: usize, taken: &mut Vec<T>) {
        debug_assert!(taken.is_empty());
        let mut lane = self.lane(i);
        std::mem::swap(&mut lane.items, taken);
        self.lanes[i].len.store(0, Ordering::Relaxed);
    }

    /// Items waiting in all lanes.
    pub(crate) fn len(&self) -> usize {
        self.lanes
            .iter()
            .map(|l| l.len.load(Ordering::Relaxed))
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
    fn one_thread_may_fill_the_whole_queue_and_no_more() {
        let q = Queue::new(10, 4);
        assert_eq!(q.share(), 3, "10 over 4 lanes, rounded up");
        for i in 1..=10 {
            assert_eq!(q.push(i), Pushed::Queued(i as usize), "past its share");
        }
        assert_eq!(q.push(11), Pushed::Full, "the queue holds 10 in all");
        assert_eq!(q.len(), 10);
        assert_eq!(take_all(&q), (1..=10).collect::<Vec<_>>());
        assert_eq!(q.push(11), Pushed::Queued(1), "room again once taken");
        q.close();
        assert_eq!(q.push(12), Pushed::Closed);
        assert_eq!(take_all(&q), [11], "what waited can still be taken");
    }

    #[test]
    fn a_lane_past_its_share_counts_the_others_and_each_keeps_its_share() {
        let q = Queue::new(10, 4);
        for i in 0..8 {
            assert!(matches!(q.push_to(0, i), Pushed::Queued(_)));
        }
        assert_eq!(q.push_to(1, 100), Pushed::Queued(1));
        assert_eq!(q.push_to(1, 101), Pushed::Queued(2));
        assert_eq!(q.push_to(0, 8), Pushed::Full, "8 + 2 in all");
        assert_eq!(q.push_to(1, 102), Pushed::Queued(3), "lane 1's share (3)");
        assert_eq!(q.push_to(1, 103), Pushed::Full, "past it, the total counts");
        assert_eq!(q.push_to(2, 200), Pushed::Queued(1), "lane 2's share");
        assert_eq!(q.len(), 12, "under 10 + a share for each other lane");
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

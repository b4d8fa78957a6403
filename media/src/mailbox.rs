//! "Latest frame wins": one slot per consumer. A producer overwrites what the
//! consumer has not taken yet (counting it as dropped) and never waits; a
//! consumer takes the newest value or nothing, and never waits either.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Called after each put (e.g. to request a repaint); must be cheap.
pub type Notify = Box<dyn Fn() + Send + Sync>;

/// A single-slot mailbox.
pub struct Mailbox<T> {
    slot: Mutex<Option<T>>,
    put: AtomicU64,
    taken: AtomicU64,
    overwritten: AtomicU64,
    notify: Option<Notify>,
}

impl<T> Mailbox<T> {
    /// An empty mailbox; `notify` runs after every put.
    pub fn new(notify: Option<Notify>) -> Self {
        Self {
            slot: Mutex::new(None),
            put: AtomicU64::new(0),
            taken: AtomicU64::new(0),
            overwritten: AtomicU64::new(0),
            notify,
        }
    }

    /// Stores `value`, replacing (and dropping) one not yet taken.
    pub fn put(&self, value: T) {
        let replaced = {
            let mut slot = self
                .slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            slot.replace(value)
        };
        self.put.fetch_add(1, Ordering::Relaxed);
        if replaced.is_some() {
            self.overwritten.fetch_add(1, Ordering::Relaxed);
        }
        // The replaced value is dropped here, outside the lock.
        drop(replaced);
        if let Some(notify) = &self.notify {
            notify();
        }
    }

    /// Takes the newest value, if one arrived since the last take.
    pub fn take(&self) -> Option<T> {
        let value = self
            .slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if value.is_some() {
            self.taken.fetch_add(1, Ordering::Relaxed);
        }
        value
    }

    /// Values put so far.
    pub fn put_count(&self) -> u64 {
        self.put.load(Ordering::Relaxed)
    }

    /// Values taken so far.
    pub fn taken_count(&self) -> u64 {
        self.taken.load(Ordering::Relaxed)
    }

    /// Values replaced before anyone took them.
    pub fn overwritten_count(&self) -> u64 {
        self.overwritten.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_newest_value_wins_and_overwrites_are_counted() {
        let mailbox = Mailbox::new(None);
        assert_eq!(mailbox.take(), None::<u32>);
        mailbox.put(1);
        mailbox.put(2);
        mailbox.put(3);
        assert_eq!(mailbox.take(), Some(3));
        assert_eq!(mailbox.take(), None);
        assert_eq!(
            (
                mailbox.put_count(),
                mailbox.taken_count(),
                mailbox.overwritten_count()
            ),
            (3, 1, 2)
        );
    }

    #[test]
    fn a_slow_consumer_never_makes_the_producer_wait_or_grow() {
        let notified = Arc::new(AtomicU64::new(0));
        let n = Arc::clone(&notified);
        let mailbox = Arc::new(Mailbox::new(Some(Box::new(move || {
            n.fetch_add(1, Ordering::Relaxed);
        }))));
        let producer = {
            let mailbox = Arc::clone(&mailbox);
            std::thread::Builder::new()
                .name("test-producer".into())
                .spawn(move || {
                    for i in 0..100_000_u64 {
                        mailbox.put(vec![i; 16]);
                    }
                })
                .expect("spawn")
        };
        let mut last = None;
        while !producer.is_finished() {
            if let Some(v) = mailbox.take() {
                if let Some(prev) = last {
                    assert!(v[0] > prev, "values only move forward");
                }
                last = Some(v[0]);
            }
        }
        producer.join().expect("producer");
        let final_value = mailbox.take().map(|v| v[0]).or(last);
        assert_eq!(final_value, Some(99_999));
        assert_eq!(notified.load(Ordering::Relaxed), 100_000);
        assert_eq!(
            mailbox.taken_count() + mailbox.overwritten_count(),
            100_000,
            "every value was either taken or replaced"
        );
    }
}

//! Background work, written once: a [`Job`] runs one piece of work on a
//! named thread, reports its result once, is polled without blocking, and
//! is joined when dropped. [`Reaper`] drops slow-to-stop things (players
//! mid-decode) off the caller's thread.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Work on its own thread with one result.
pub struct Job<T> {
    name: String,
    result: Arc<Mutex<Option<T>>>,
    taken: bool,
    thread: Option<JoinHandle<()>>,
}

impl<T> std::fmt::Debug for Job<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a thread named `name`; `done` is called after the
    /// result is in (a repaint request, typically).
    pub fn start(
        name: &str,
        work: impl FnOnce() -> T + Send + 'static,
        done: impl FnOnce() + Send + 'static,
    ) -> std::io::Result<Self> {
        let result = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&result);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let value = work();
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
                done();
            })?;
        Ok(Self {
            name: name.to_owned(),
            result,
            taken: false,
            thread: Some(thread),
        })
    }

    /// The result, once, when it has arrived; never blocks.
    pub fn try_take(&mut self) -> Option<T> {
        if self.taken {
            return None;
        }
        let value = self
            .result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        self.taken = value.is_some();
        value
    }

    /// Whether the result has arrived (taken or not).
    pub fn is_done(&self) -> bool {
        self.taken
            || self
                .result
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_some()
    }

    /// Waits up to `timeout` for the result (headless renders and tests
    /// only, never on a live UI thread).
    pub fn wait_take(&mut self, timeout: Duration) -> Option<T> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(v) = self.try_take() {
                return Some(v);
            }
            if self.taken || Instant::now() >= end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits up to `timeout` for the result to arrive, leaving it in the
    /// job; whether it did (headless renders and tests only).
    pub fn wait_done(&self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        while !self.is_done() {
            if Instant::now() >= end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    /// The result, borrowed, while it stays in the job (for results read
    /// every frame, like a loaded map).
    pub fn with<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        f(self
            .result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref())
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!(job = %self.name, "background job panicked");
        }
    }
}

/// Drops values on a thread of their own, so that whatever they wait for
/// while stopping never holds up the caller.
pub struct Reaper;

impl Reaper {
    /// Drops `value` on a thread named `name` (on the caller's thread if no
    /// thread can be started, saying so).
    pub fn drop_later<T: Send + 'static>(name: &str, value: T) {
        // If no thread starts, the closure (and `value` in it) is dropped
        // here, on the caller's thread.
        let started = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || drop(value));
        if let Err(e) = started {
            tracing::error!(thread = name, "stopping on the caller's thread: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_reports_once_and_is_joined() {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let mut job =
            Job::start("test-job", || 42, move || tx.send(()).expect("send")).expect("spawn");
        rx.recv_timeout(Duration::from_secs(5))
            .expect("done called");
        assert!(job.is_done());
        assert_eq!(job.try_take(), Some(42));
        assert_eq!(job.try_take(), None, "reported once");
    }

    #[test]
    fn waiting_is_bounded() {
        let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
        let mut job = Job::start(
            "test-slow",
            move || rx.recv_timeout(Duration::from_secs(5)).is_ok(),
            || {},
        )
        .expect("spawn");
        assert_eq!(job.wait_take(Duration::from_millis(50)), None);
        tx.send(()).expect("send");
        assert_eq!(job.wait_take(Duration::from_secs(5)), Some(true));
    }
}

//! Files the console keeps, written off the UI thread, written once here:
//! a [`Writer`] owns one file and a named thread. A *replacing* writer
//! keeps the newest text (a burst of changes is coalesced, then written to
//! a temporary file and renamed); an *appending* writer adds each text as
//! lines and syncs (never following a link put in its place). Sending never
//! waits; dropping the writer writes what is pending and joins the thread.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a replacing writer waits for more changes before writing.
const WRITE_PAUSE: Duration = Duration::from_millis(300);

/// Texts queued for an appending writer before `send` reports it behind.
const APPEND_QUEUE: usize = 64;

/// Why a text was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// The writer has not caught up; send again later.
    #[error("{0}: the writer is behind")]
    Behind(PathBuf),
    /// The writer's thread has stopped.
    #[error("{0}: the writer has stopped")]
    Stopped(PathBuf),
}

/// One file written on its own thread.
pub struct Writer {
    path: PathBuf,
    tx: Option<SyncSender<String>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Writer {
    /// A writer that replaces `path` with the newest text sent, on a thread
    /// named `name`.
    pub fn replacing(name: &str, path: PathBuf) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::sync_channel(4);
        let target = path.clone();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || replace_loop(&rx, &target))?;
        Ok(Self {
            path,
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// A writer that appends each text sent to `path`, on a thread named
    /// `name`.
    pub fn appending(name: &str, path: PathBuf) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::sync_channel::<String>(APPEND_QUEUE);
        let target = path.clone();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                for text in rx {
                    if let Err(e) = append(&target, &text) {
                        tracing::error!(file = %target.display(), "not saved: {e}");
                    }
                }
            })?;
        Ok(Self {
            path,
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hands `text` to the thread; never waits.
    pub fn send(&mut self, text: String) -> Result<(), WriteError> {
        let Some(tx) = &self.tx else {
            return Err(WriteError::Stopped(self.path.clone()));
        };
        match tx.try_send(text) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(WriteError::Behind(self.path.clone())),
            Err(TrySendError::Disconnected(_)) => {
                self.tx = None;
                Err(WriteError::Stopped(self.path.clone()))
            }
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!(file = %self.path.display(), "the writer panicked");
        }
    }
}

/// Reads `path` as text: `None` when it does not exist; an error when it
/// is not a regular file (a link or a pipe in an untrusted folder is never
/// followed) or cannot be read.
pub fn read_regular(path: &Path) -> std::io::Result<Option<String>> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(std::io::Error::other(format!(
                "{} is not a regular file",
                path.display()
            )));
        }
        Ok(_) => {}
    }
    std::fs::read_to_string(path).map(Some)
}

fn replace_loop(rx: &Receiver<String>, path: &Path) {
    while let Ok(mut newest) = rx.recv() {
        // Coalesce a burst of changes into one write.
        loop {
            match rx.recv_timeout(WRITE_PAUSE) {
                Ok(next) => newest = next,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    replace(path, &newest);
                    return;
                }
            }
        }
        replace(path, &newest);
    }
}

fn replace(path: &Path, text: &str) {
    let result = (|| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        tracing::error!(file = %path.display(), "not saved: {e}");
    }
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        // O_NOFOLLOW: a link put there meanwhile is refused, not followed.
        .custom_flags(0o400_000)
        .open(path)?;
    writeln!(file, "{}", text.trim_end_matches('\n'))?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wf-writer-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_replacing_writer_keeps_the_newest_text() {
        let dir = temp("replace");
        let path = dir.join("layouts.json");
        let mut w = Writer::replacing("test-replace", path.clone()).expect("start");
        for i in 0..3 {
            w.send(format!("version {i}")).expect("taken");
        }
        drop(w);
        assert_eq!(read_regular(&path).expect("read"), Some("version 2".into()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_appending_writer_adds_lines_and_refuses_links() {
        let dir = temp("append");
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("notes.jsonl");
        let mut w = Writer::appending("test-append", path.clone()).expect("start");
        w.send("one".into()).expect("taken");
        w.send("two\n".into()).expect("taken");
        drop(w);
        assert_eq!(
            read_regular(&path).expect("read"),
            Some("one\ntwo\n".into())
        );
        let link = dir.join("link.jsonl");
        std::os::unix::fs::symlink(&path, &link).expect("link");
        assert!(read_regular(&link).is_err(), "a link is not read");
        let mut w = Writer::appending("test-append", link).expect("start");
        w.send("three".into()).expect("taken");
        drop(w);
        assert_eq!(
            read_regular(&path).expect("read"),
            Some("one\ntwo\n".into()),
            "not written through the link"
        );
        assert_eq!(read_regular(&dir.join("missing")).expect("read"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! What an interruption must undo: the temporary files being written and the external child
//! process (ffmpeg) being waited on. The command line's signal handler calls [`clean_up`].

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::{Mutex, MutexGuard, PoisonError};

struct Live {
    temporaries: Vec<PathBuf>,
    child: Option<Child>,
    /// Set once [`clean_up`] ran: no new temporary file may be created after it.
    closed: bool,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    temporaries: Vec::new(),
    child: None,
    closed: false,
});

fn live() -> MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Creates `tmp` through `create` and records it, under one lock, so an interruption either
/// sees the file recorded or sees it not yet created.
pub(crate) fn create_temporary<T>(
    tmp: &Path,
    create: impl FnOnce(&Path) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let mut l = live();
    if l.closed {
        return Err(interrupted());
    }
    let made = create(tmp)?;
    l.temporaries.push(tmp.to_path_buf());
    Ok(made)
}

/// Runs `finish` (a rename, or a removal) on a recorded temporary file and forgets it, under
/// the lock.
pub(crate) fn settle_temporary<T>(
    tmp: &Path,
    finish: impl FnOnce() -> std::io::Result<T>,
) -> std::io::Result<T> {
    let mut l = live();
    let r = finish();
    l.temporaries.retain(|p| p != tmp);
    r
}

/// Removes a temporary file and forgets it.
pub(crate) fn discard_temporary(tmp: &Path) {
    let _ = settle_temporary(tmp, || std::fs::remove_file(tmp));
}

/// Runs an external command, stopping it if the run is interrupted; returns its exit status.
pub fn run_child(command: std::process::Command) -> std::io::Result<std::process::ExitStatus> {
    spawn_child(command, |_| Ok(()))?;
    wait_child()
}

/// Starts an external command as the run's one child, so an interruption stops it; `take` gets
/// the child first, to take its pipes (its standard input, its standard error).
pub fn spawn_child<T>(
    mut command: std::process::Command,
    take: impl FnOnce(&mut Child) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let mut l = live();
    if l.closed {
        return Err(interrupted());
    }
    let mut child = command.spawn()?;
    match take(&mut child) {
        Ok(t) => {
            l.child = Some(child);
            Ok(t)
        }
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

fn interrupted() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted")
}

/// Waits for the child started by [`spawn_child`]. It is polled rather than waited on, so
/// that the lock stays free for an interruption to kill it meanwhile.
pub fn wait_child() -> std::io::Result<std::process::ExitStatus> {
    loop {
        {
            let mut l = live();
            let Some(child) = l.child.as_mut() else {
                return Err(interrupted());
            };
            if let Some(status) = child.try_wait()? {
                l.child = None;
                return Ok(status);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Stops the child started by [`spawn_child`] (a run that failed before it finished).
pub fn kill_child() {
    if let Some(mut c) = live().child.take() {
        let _ = c.kill();
        let _ = c.wait();
    }
}

/// Whether the run was interrupted; waits for [`clean_up`] to finish first, so a caller that
/// exits on the answer never cuts the clean-up short.
pub fn was_interrupted() -> bool {
    live().closed
}

/// Stops the child process, removes every temporary file being written and refuses new ones.
/// Meant for a signal handler that exits right after.
pub fn clean_up() {
    let mut l = live();
    l.closed = true;
    if let Some(mut c) = l.child.take() {
        let _ = c.kill();
        let _ = c.wait();
    }
    for p in l.temporaries.drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

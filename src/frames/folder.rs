//! A frame folder that belongs to one run: a lock so two runs never write into it at once, a
//! record of the settings its frames were made with, and no frames left over from another run.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::Format;

/// The file that records what the frames of a folder were made with.
pub const SETTINGS_FILE: &str = "frames.settings";
/// The lock file of a run in progress.
pub const LOCK_FILE: &str = ".controlmap.lock";

/// Held while a run writes into a folder; removed when dropped (and on SIGINT/SIGTERM).
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the folder's lock, or refuses when another live run holds it. A lock left by a
    /// process that no longer exists is taken over.
    pub fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK_FILE);
        for _ in 0..2 {
            let made = crate::write::interrupt::create_temporary(&path, |p| {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(p)?;
                writeln!(f, "{}", std::process::id())
            });
            match made {
                Ok(()) => return Ok(Lock { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    let alive =
                        holder.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
                    if alive {
                        return Err(Error::Runtime(format!(
                            "another run (process {}) is writing frames into {}; wait for it to finish, or choose another folder",
                            holder.unwrap_or(0),
                            dir.display()
                        )));
                    }
                    // A stale lock from a run that died: take it over.
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::Runtime(format!(
            "could not take the lock {}",
            path.display()
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        crate::write::interrupt::discard_temporary(&self.path);
    }
}

/// A stable 64-bit FNV-1a hash, the same on every machine and Rust version.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The frame files (`frame-NNNNN.png|svg`) of a folder with their 1-based index.
pub fn frame_files(dir: &Path) -> Vec<(usize, PathBuf)> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let index = name
                .strip_prefix("frame-")
                .and_then(|r| r.strip_suffix(".png").or_else(|| r.strip_suffix(".svg")))
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(i) = index {
                out.push((i, e.path()));
            }
        }
    }
    out
}

/// Prepares a folder for a run whose settings are `settings` and that makes `count` frames in
/// `format`: frames made with other settings are removed (unless `resume` finds the same
/// settings, which keeps them), and so are frames beyond `count` or of the other format. The
/// settings are recorded before any frame is drawn. Returns whether earlier frames may be kept.
pub fn prepare(
    dir: &Path,
    settings: &str,
    count: usize,
    format: Format,
    resume: bool,
) -> Result<bool> {
    let recorded = std::fs::read_to_string(dir.join(SETTINGS_FILE)).ok();
    let same = recorded.as_deref() == Some(settings);
    let keep = resume && same;
    for (i, path) in frame_files(dir) {
        let right_format = path.extension().is_some_and(|e| e == format.extension());
        if !keep || i > count || !right_format {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    crate::write::write_atomic(&dir.join(SETTINGS_FILE), settings.as_bytes())?;
    Ok(keep)
}

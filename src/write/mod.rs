//! Writing output files without destroying anything: a temporary file in the destination's
//! folder renamed into place (so an interrupted run never leaves a truncated map behind), a
//! symlink written through to its target, a device written through as `cp` would, anything
//! else that is not a regular file refused; sets of files that land together or not at all;
//! and the GIF assembler.

pub mod csv;
pub mod ffmpeg;
pub mod gif;
pub mod interrupt;
pub mod png_meta;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where bytes for a path really go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A regular file, existing or not, at this path (symlinks already followed).
    File(PathBuf),
    /// A character device (`/dev/null`, a terminal) written through, never replaced.
    Device(PathBuf),
}

/// Resolves where writing to `path` would land: follows symlinks (also dangling ones, whose
/// target is then created), accepts regular files and character devices, and refuses anything
/// else (a folder, a FIFO, a socket, a block device).
pub fn destination(path: &Path) -> Result<Destination> {
    use std::os::unix::fs::FileTypeExt;
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Destination::File(p)),
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return Err(Error::usage(format!(
                    "{}: a file is in the way of its folder",
                    path.display()
                )));
            }
            Err(e) => return Err(Error::io(&p, e)),
        };
        let t = meta.file_type();
        if t.is_symlink() {
            let link = std::fs::read_link(&p).map_err(|e| Error::io(&p, e))?;
            p = parent_of(&p).join(link);
            continue;
        }
        if t.is_file() {
            return Ok(Destination::File(p));
        }
        if t.is_char_device() {
            return Ok(Destination::Device(p));
        }
        let what = if t.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        };
        return Err(Error::usage(format!(
            "{} is {what}; refusing to replace it",
            path.display()
        )));
    }
    Err(Error::usage(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// Checks, before any work, that `path` can be written: it is not a folder or a special file,
/// and no part of its folder is an existing file. Missing folders are fine; they are created
/// when the file is written.
pub fn check_parent(path: &Path) -> Result<()> {
    let dest = match destination(path)? {
        Destination::Device(_) => return Ok(()),
        Destination::File(p) => p,
    };
    let mut folder = parent_of(&dest);
    loop {
        match std::fs::metadata(&folder) {
            Ok(m) if m.is_dir() => return Ok(()),
            Ok(_) => {
                return Err(Error::usage(format!(
                    "{} is not a folder",
                    folder.display()
                )));
            }
            Err(_) => match folder.parent() {
                Some(up) if !up.as_os_str().is_empty() => folder = up.to_path_buf(),
                _ => return Ok(()),
            },
        }
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The temporary name a file is written under before it is renamed into place.
pub fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(path).join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Creates the folder a file goes into, with any missing parents.
fn create_folder_of(path: &Path) -> Result<()> {
    let folder = parent_of(path);
    std::fs::create_dir_all(&folder).map_err(|e| match std::fs::metadata(&folder) {
        Ok(m) if !m.is_dir() => Error::usage(format!("{} is not a folder", folder.display())),
        _ => Error::io(&folder, e),
    })
}

/// A file written under a temporary name, not yet renamed into place.
struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
}

fn stage(dest: &Path, bytes: &[u8]) -> Result<Staged> {
    create_folder_of(dest)?;
    let tmp = temporary_path(dest);
    let mut f = interrupt::create_temporary(&tmp, |t| std::fs::File::create(t))
        .map_err(|e| Error::io(&tmp, e))?;
    // No fsync: the rename already guarantees a reader never sees a partial file after a
    // crash of this process, and syncing every frame would halve the frame rate.
    let written = f.write_all(bytes).and_then(|()| {
        // A replaced file keeps its permissions, as it would had it been written in place.
        match std::fs::metadata(dest) {
            Ok(m) => f.set_permissions(m.permissions()),
            Err(_) => Ok(()),
        }
    });
    drop(f);
    if let Err(e) = written {
        interrupt::discard_temporary(&tmp);
        return Err(Error::io(dest, e));
    }
    Ok(Staged {
        tmp,
        dest: dest.to_path_buf(),
    })
}

impl Staged {
    fn commit(self) -> Result<()> {
        let r = interrupt::settle_temporary(&self.tmp, || std::fs::rename(&self.tmp, &self.dest));
        if let Err(e) = r {
            interrupt::discard_temporary(&self.tmp);
            return Err(Error::io(&self.dest, e));
        }
        Ok(())
    }
}

fn write_device(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.write_all(bytes)
        .and_then(|()| f.flush())
        .map_err(|e| Error::io(path, e))
}

/// Writes `bytes` to `path` atomically (through a symlink to its target, in the target's
/// folder), creating missing folders; a character device is written through.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    match destination(path)? {
        Destination::Device(d) => write_device(&d, bytes),
        Destination::File(dest) => stage(&dest, bytes)?.commit(),
    }
}

/// Files that land together or not at all: each is written under a temporary name, and only
/// when every one is written are they renamed into place. Dropped uncommitted, it removes its
/// temporary files and leaves what was there.
#[derive(Default)]
pub struct FileSet {
    staged: Vec<Staged>,
}

impl FileSet {
    /// An empty set.
    pub fn new() -> FileSet {
        FileSet::default()
    }

    /// Writes one file of the set under its temporary name.
    pub fn add(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        match destination(path)? {
            Destination::File(dest) => {
                self.staged.push(stage(&dest, bytes)?);
                Ok(())
            }
            Destination::Device(_) => Err(Error::usage(format!(
                "{} is a device, not a file of a set",
                path.display()
            ))),
        }
    }

    /// Renames every file into place.
    pub fn commit(mut self) -> Result<()> {
        let mut result = Ok(());
        for s in std::mem::take(&mut self.staged) {
            if result.is_ok() {
                result = s.commit();
            } else {
                interrupt::discard_temporary(&s.tmp);
            }
        }
        result
    }
}

impl Drop for FileSet {
    fn drop(&mut self) {
        for s in self.staged.drain(..) {
            interrupt::discard_temporary(&s.tmp);
        }
    }
}

/// Where a single-file output goes: a file, or standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A file (or, where a command allows it, a folder).
    Path(PathBuf),
    /// Standard output (text and SVG only).
    Stdout,
}

impl Output {
    /// The path, unless this is standard output.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Output::Path(p) => Some(p),
            Output::Stdout => None,
        }
    }

    /// Checks before any work that the output can be written.
    pub fn check(&self) -> Result<()> {
        match self {
            Output::Path(p) => check_parent(p),
            Output::Stdout => Ok(()),
        }
    }

    /// Writes the whole output.
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        match self {
            Output::Path(p) => write_atomic(p, bytes),
            Output::Stdout => write_stdout(bytes),
        }
    }
}

/// Writes text to standard output and flushes it, so a failed write is seen.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("standard output", e))
}

/// The folder everything goes to unless told otherwise.
pub const DEFAULT_OUTPUT: &str = "output";

/// The output folder: the given one or `output/<sub>`, created with any missing parents.
pub fn output_dir(explicit: Option<&Path>, default_sub: Option<&str>) -> Result<PathBuf> {
    let p = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let mut p = PathBuf::from(DEFAULT_OUTPUT);
            if let Some(s) = default_sub {
                p.push(s);
            }
            p
        }
    };
    match std::fs::metadata(&p) {
        Ok(m) if m.is_dir() => return Ok(p),
        Ok(_) => return Err(Error::usage(format!("{} is not a folder", p.display()))),
        Err(_) => {}
    }
    check_parent(&p.join("x"))?;
    std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"hello").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_folder_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new/deeper/a.txt");
        write_atomic(&p, b"x").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"x");
    }

    #[test]
    fn a_file_in_the_way_of_the_folder_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"keep").unwrap();
        let e = write_atomic(&dir.path().join("f/a.png"), b"x").unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        assert_eq!(std::fs::read(dir.path().join("f")).unwrap(), b"keep");
    }

    #[test]
    fn a_symlink_is_written_through_to_its_target_in_the_targets_folder() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("map.svg"), b"old").unwrap();
        std::os::unix::fs::symlink("real/map.svg", dir.path().join("link.svg")).unwrap();
        write_atomic(&dir.path().join("link.svg"), b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(dir.path().join("link.svg"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(real.join("map.svg")).unwrap(), b"new");
    }

    #[test]
    fn a_fifo_or_folder_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let e = write_atomic(&fifo, b"x").unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
        let e = write_atomic(dir.path(), b"x").unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
    }

    #[test]
    fn a_character_device_is_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        write_atomic(Path::new("/dev/null"), b"x").unwrap();
        let t = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
        assert!(t.is_char_device());
    }

    #[test]
    fn a_set_left_uncommitted_leaves_what_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.png");
        std::fs::write(&a, b"old").unwrap();
        {
            let mut set = FileSet::new();
            set.add(&a, b"new").unwrap();
            set.add(&dir.path().join("b.png"), b"new").unwrap();
        }
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut set = FileSet::new();
        set.add(&a, b"new").unwrap();
        set.commit().unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"new");
    }
}

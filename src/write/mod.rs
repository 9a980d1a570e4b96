//! Writing output files atomically: a temporary file in the same folder, renamed into place,
//! so an interrupted run never leaves a truncated map behind; and the GIF assembler.

pub mod gif;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Checks that the folder a file would be written into exists and is a folder.
pub fn check_parent(path: &Path) -> Result<()> {
    let parent = parent_of(path);
    match std::fs::metadata(&parent) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::usage(format!(
            "{} is not a folder",
            parent.display()
        ))),
        Err(_) => Err(Error::usage(format!(
            "the output folder {} does not exist",
            parent.display()
        ))),
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

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    check_parent(path)?;
    let tmp = temporary_path(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        // No fsync: the rename already guarantees a reader never sees a partial file after a
        // crash of this process, and syncing every frame would halve the frame rate.
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// The folder everything goes to unless told otherwise.
pub const DEFAULT_OUTPUT: &str = "output";

/// Creates the default output folder when it is what the user gets by default; an explicit
/// folder must already exist.
pub fn output_dir(explicit: Option<&Path>, default_sub: Option<&str>) -> Result<PathBuf> {
    match explicit {
        Some(p) => {
            if !p.is_dir() {
                return Err(Error::usage(format!(
                    "--out: the folder {} does not exist",
                    p.display()
                )));
            }
            Ok(p.to_path_buf())
        }
        None => {
            let mut p = PathBuf::from(DEFAULT_OUTPUT);
            if let Some(s) = default_sub {
                p.push(s);
            }
            std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
            Ok(p)
        }
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
///
/// ```
/// use controlmap::write::csv_field;
/// assert_eq!(csv_field("Gao"), "Gao");
/// assert_eq!(csv_field("Gao, Timbuktu"), "\"Gao, Timbuktu\"");
/// ```
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
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
    fn a_missing_folder_is_a_usage_error() {
        let e = write_atomic(Path::new("/nonexistent-folder-xyz/a.png"), b"x").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("does not exist"), "{e}");
    }
}

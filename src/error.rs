//! Typed errors, made where the problem is found and formatted once by the CLI.

use std::fmt;
use std::path::PathBuf;

/// Every way a controlmap command can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input data: a file (and line, when there is one) and what is wrong there.
    #[error("{}", fmt_location(file, *line, message))]
    Data {
        /// The file as the user knows it (a path, or `geodata/mali/…` for embedded data).
        file: String,
        /// 1-based line number; `None` when the problem is not tied to a line.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A bad flag or argument value.
    #[error("{0}")]
    Usage(String),
    /// A failure to read or write a file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file being read or written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Anything else that went wrong at run time (encoding, an external tool).
    #[error("{0}")]
    Runtime(String),
}

fn fmt_location(file: &str, line: Option<usize>, message: &str) -> String {
    match line {
        Some(l) => format!("{file}:{l}: {message}"),
        None => format!("{file}: {message}"),
    }
}

impl Error {
    /// A data error at a file and line.
    pub fn data(file: impl Into<String>, line: Option<usize>, message: impl fmt::Display) -> Self {
        Error::Data {
            file: file.into(),
            line,
            message: message.to_string(),
        }
    }

    /// A usage error naming a flag.
    pub fn usage(message: impl fmt::Display) -> Self {
        Error::Usage(message.to_string())
    }

    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit code: 2 for bad usage or bad data, 1 for run-time and I/O failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Data { .. } | Error::Usage(_) => 2,
            Error::Io { .. } | Error::Runtime(_) => 1,
        }
    }
}

/// Result with controlmap's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

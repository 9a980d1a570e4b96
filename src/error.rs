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
    /// A bad request: a value of one of its fields (the command line names the flag), or a
    /// combination of them.
    #[error("{}", fmt_usage(*field, message))]
    Usage {
        /// The part of the request at fault, when there is one.
        field: Option<Field>,
        /// What is wrong with it.
        message: String,
    },
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

/// The part of a request a usage error is about. The library names it in plain words; the
/// command line maps it to its flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The date mapped.
    Date,
    /// The phase mapped.
    Phase,
    /// The phases of a sequence or grid.
    Phases,
    /// The dates of a grid.
    Dates,
    /// The output format.
    Format,
    /// The image or frame size.
    Size,
    /// Where the map is read (its layout).
    Layout,
    /// The image's resolution.
    Dpi,
    /// The size of a grid cell.
    Cell,
    /// The output file or folder.
    Out,
    /// The first date of a span.
    From,
    /// The last date of a span.
    To,
    /// The step between frames.
    Step,
    /// Frames a phase shot is held.
    Hold,
    /// Cross-fade frames.
    Transition,
    /// The GIF file.
    Gif,
    /// The MP4 file.
    Mp4,
    /// The WebM file.
    Webm,
    /// The QuickTime (ProRes) file.
    Mov,
    /// The ffmpeg program.
    Ffmpeg,
    /// What is under the map (its background colour, or nothing).
    Background,
    /// The cover image.
    Cover,
    /// The date of the cover image.
    CoverDate,
    /// The change map file.
    Map,
    /// The dataset folder.
    Dataset,
    /// The admin-1 file of `init`.
    Admin1,
    /// The country of `init`.
    Country,
    /// The admin-0 file of `init`.
    Countries,
}

impl Field {
    /// The field in plain words, for messages outside the command line.
    pub fn noun(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Phase => "phase",
            Field::Phases => "phases",
            Field::Dates => "dates",
            Field::Format => "format",
            Field::Size => "size",
            Field::Layout => "layout",
            Field::Dpi => "resolution",
            Field::Cell => "cell size",
            Field::Out => "output",
            Field::From => "start date",
            Field::To => "end date",
            Field::Step => "step",
            Field::Hold => "hold",
            Field::Transition => "transition",
            Field::Gif => "GIF",
            Field::Mp4 => "MP4",
            Field::Webm => "WebM",
            Field::Mov => "QuickTime file",
            Field::Ffmpeg => "ffmpeg",
            Field::Background => "background",
            Field::Cover => "cover image",
            Field::CoverDate => "cover date",
            Field::Map => "change map",
            Field::Dataset => "dataset",
            Field::Admin1 => "admin-1 file",
            Field::Country => "country",
            Field::Countries => "countries file",
        }
    }
}

fn fmt_usage(field: Option<Field>, message: &str) -> String {
    match field {
        Some(f) => format!("{}: {message}", f.noun()),
        None => message.to_string(),
    }
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

    /// A usage error about the request as a whole.
    pub fn usage(message: impl fmt::Display) -> Self {
        Error::Usage {
            field: None,
            message: message.to_string(),
        }
    }

    /// A usage error about one field of the request.
    pub fn usage_of(field: Field, message: impl fmt::Display) -> Self {
        Error::Usage {
            field: Some(field),
            message: message.to_string(),
        }
    }

    /// The same error, a usage error about `field` instead (for a value checked by a helper
    /// shared by several fields).
    pub fn for_field(self, field: Field) -> Self {
        match self {
            Error::Usage { message, .. } => Error::Usage {
                field: Some(field),
                message,
            },
            other => other,
        }
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
            Error::Data { .. } | Error::Usage { .. } => 2,
            Error::Io { .. } | Error::Runtime(_) => 1,
        }
    }
}

/// Result with controlmap's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

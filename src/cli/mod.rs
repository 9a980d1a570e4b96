//! The command line: clap definitions (the doc comments are the `--help` text) and dispatch to
//! the library's commands. Nothing else in the crate imports this module.

pub mod args;
pub mod docs;
pub mod frames_args;
pub mod init;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};

use crate::commands::{self, render::RenderRequest};
use crate::error::Result;
use crate::frames;
pub use args::{DateArg, Lang, SizeArg};
pub use frames_args::{BackgroundArg, FramesArgs, PresetArg, QualityArg};
use frames_args::{frames_request, frames_summary};

/// Territorial-control maps from GeoJSON outlines and dated control records.
///
/// With no command, renders every phase of the embedded Mali dataset (PNG and SVG), the
/// animation frames, frames.csv and the GIF into output/.
#[derive(Debug, Parser)]
#[command(
    name = "controlmap",
    version,
    about,
    long_about = None,
    after_help = "With no command: every phase map (PNG, SVG, alt text), the animation frames, frames.csv, the GIF and the interactive page of the embedded Mali dataset, into output/.\n\nExit codes: 0 success, 1 run-time or I/O failure, 2 bad usage or bad data."
)]
pub struct Cli {
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The command; none runs the main job.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Draw a map for a date or a phase, or every phase into output/.
    #[command(
        after_help = "Examples:\n  controlmap render --date 2012-07-15 --out kidal-2012.png\n  controlmap render --phase north-lost-again --format svg --credit \"Graphic: The Daily Planet\"\n  controlmap render --lang fr --size 1200x900\n  controlmap render --date 2013-01-27 --layout mobile --out mali-phone.png\n  controlmap render --date 2013-01-27 --layout print --dpi 300 --out mali-print.png\n  controlmap render --date 2012-07-15 --no-relief --out flat.png"
    )]
    Render(RenderArgs),
    /// List the dataset's phases with their dates and titles.
    #[command(
        after_help = "Examples:\n  controlmap phases\n  controlmap phases --dataset tests/data/ruritania"
    )]
    Phases(DatasetArg),
    /// Render an animation: frames, frames.csv, a GIF, or videos for editors (MP4, WebM and
    /// ProRes, with alpha) piped straight to ffmpeg.
    #[command(
        after_help = "Examples:\n  controlmap frames\n  controlmap frames --from 2012-01-01 --to 2012-12-31 --step 1d --gif none\n  controlmap frames --phases --hold 20 --mp4 output/mali.mp4\n  controlmap frames --preset 1080p --from 2013-01-01 --to 2013-01-31 --step 1d --mp4 mali.mp4 --cover cover.png\n  controlmap frames --preset vertical --background none --from 2013-01-10 --to 2013-01-20 --step 1d --webm alpha.webm --mov alpha.mov"
    )]
    Frames(FramesArgs),
    /// Who held each region and town on a date, with areas and shares of the country.
    #[command(
        after_help = "Examples:\n  controlmap state --date 2014-06-01\n  controlmap state --date 2012-07-15 --format json\n  controlmap state --date 2012-07-15 --format geojson > mali-2012-07-15.geojson\n  controlmap state --date 2013-01-27 --lang fr"
    )]
    State(StateArgs),
    /// What changed between two dates, the territory each side gained or lost, and a change map.
    #[command(
        after_help = "Examples:\n  controlmap diff --from 2012-01-01 --to 2012-07-15\n  controlmap diff --from 2013-01-01 --to 2013-03-01 --format json\n  controlmap diff --from 2012-01-01 --to 2012-07-15 --map output/change-2012.png\n  controlmap diff --from 2013-01-01 --to 2013-02-01 --lang fr --map changements-2013.svg"
    )]
    Diff(DiffArgs),
    /// The share of the country each side held over time: a stacked-area chart, or the series as CSV.
    #[command(
        after_help = "Examples:\n  controlmap timeline --out output/shares.png\n  controlmap timeline --from 2012-01-01 --to 2013-12-31 --out shares.svg\n  controlmap timeline --out shares.csv\n  controlmap timeline --lang fr --out parts.png"
    )]
    Timeline(TimelineArgs),
    /// Small multiples: one map per phase or date, with one title and a shared legend.
    #[command(
        after_help = "Examples:\n  controlmap grid --phases all --out output/phases.png\n  controlmap grid --phases north-lost,north-retaken,north-lost-again --cols 3 --out three.svg\n  controlmap grid --dates 2012-01-01,2012-07-15,2013-02-15,2014-06-01 --out four.png"
    )]
    Grid(GridArgs),
    /// A paragraph describing the map on a date, for readers who cannot see it.
    #[command(
        after_help = "Examples:\n  controlmap describe --date 2012-07-15\n  controlmap describe --date 2014-06-01 --lang fr"
    )]
    Describe(DescribeArgs),
    /// Every interval of every piece of ground (GeoJSON with valid_from/valid_to for a GIS's
    /// time controller), or every change as a long or wide CSV for a spreadsheet.
    #[command(
        after_help = "Examples:\n  controlmap history --format geojson > mali-history.geojson\n  controlmap history --format csv --from 2012-01-01 --to 2013-12-31 > changes.csv\n  controlmap history --format wide-csv > by-territory.csv"
    )]
    History(HistoryArgs),
    /// One self-contained interactive HTML page: the map at every change, a time slider, play
    /// and step buttons, tooltips with sources; works offline and in an iframe.
    #[command(
        after_help = "Examples:\n  controlmap html\n  controlmap html --from 2012-01-01 --to 2013-12-31 --out mali-2012-2013.html\n  controlmap html --lang fr --size 1000x750 --out carte.html"
    )]
    Html(HtmlArgs),
    /// Check a dataset and list every problem as file:line: message; exit 0 only when clean.
    #[command(
        after_help = "Examples:\n  controlmap validate\n  controlmap validate --dataset tests/data/ruritania"
    )]
    Validate(ValidateArgs),
    /// Create a dataset folder from an admin-1 GeoJSON for one country.
    #[command(
        after_help = "Examples:\n  controlmap init burkina --admin1 ne_10m_admin_1.geojson --country BF\n  controlmap init sudan --admin1 admin1.geojson --country SDN --countries ne_10m_admin_0.geojson"
    )]
    Init(init::InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  controlmap completions bash > controlmap.bash\n  controlmap completions zsh > _controlmap\n\nbash: copy controlmap.bash to ~/.local/share/bash-completion/completions/controlmap; zsh: put _controlmap in a folder of $fpath."
    )]
    Completions(docs::CompletionsArgs),
    /// Print the man page (roff).
    #[command(
        after_help = "Examples:\n  controlmap manpage > controlmap.1\n\nRead it with `man ./controlmap.1`, or install it in a man1 folder."
    )]
    Manpage,
}

/// Flags of `state`.
#[derive(Debug, clap::Args)]
pub struct StateArgs {
    /// The date (YYYY-MM-DD).
    #[arg(long)]
    pub date: DateArg,
    /// table, csv, json or geojson.
    #[arg(long, default_value = "table", value_parser = crate::commands::analyst::TextFormat::parse)]
    pub format: crate::commands::analyst::TextFormat,
    /// Language of names, sources and words (ids and keys stay as in the data).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Flags of `diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier date.
    #[arg(long)]
    pub from: DateArg,
    /// The later date.
    #[arg(long)]
    pub to: DateArg,
    /// table, csv or json.
    #[arg(long, default_value = "table", value_parser = args::parse_diff_format)]
    pub format: crate::commands::analyst::TextFormat,
    /// Also draw a change map (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Size of the change map, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x1200", allow_hyphen_values = true)]
    pub size: SizeArg,
    /// Language of the report and the change map (ids and keys stay as in the data).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[command(flatten)]
    pub relief: ReliefArg,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Flags of `timeline`.
#[derive(Debug, clap::Args)]
pub struct TimelineArgs {
    /// First day (default: the dataset's sequence, else its first record).
    #[arg(long)]
    pub from: Option<DateArg>,
    /// Last day, included.
    #[arg(long)]
    pub to: Option<DateArg>,
    /// The chart (.png, .svg) or the series (.csv); `-` writes the CSV to standard output.
    #[arg(long, value_name = "FILE", value_parser = args::parse_output)]
    pub out: crate::write::Output,
    /// Chart size, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x900", allow_hyphen_values = true)]
    pub size: SizeArg,
    /// Language of the chart's words.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Flags of `grid`.
#[derive(Debug, clap::Args)]
pub struct GridArgs {
    /// `all` or phase ids separated by commas.
    #[arg(long, conflicts_with = "dates", required_unless_present = "dates")]
    pub phases: Option<String>,
    /// Dates separated by commas.
    #[arg(long, value_delimiter = ',')]
    pub dates: Option<Vec<DateArg>>,
    /// Maps per row (default: about square).
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub cols: Option<u32>,
    /// The output file (.png or .svg); `-` writes SVG to standard output.
    #[arg(long, value_name = "FILE", value_parser = args::parse_output)]
    pub out: crate::write::Output,
    /// Size of each map, WIDTHxHEIGHT.
    #[arg(long, default_value = "640x480", allow_hyphen_values = true)]
    pub cell: SizeArg,
    /// Language of labels and legend.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// The outlet's own credit, printed at the end of the credit line in place of "Map: controlmap." (e.g. "Graphic: The Daily Planet").
    #[arg(long, value_name = "TEXT")]
    pub credit: Option<String>,
    #[command(flatten)]
    pub relief: ReliefArg,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Flags of `describe`.
#[derive(Debug, clap::Args)]
pub struct DescribeArgs {
    /// The date (YYYY-MM-DD).
    #[arg(long)]
    pub date: DateArg,
    /// Language of the description.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Flags of `html`.
#[derive(Debug, clap::Args)]
pub struct HtmlArgs {
    /// First day (default: the dataset's sequence, else its first record).
    #[arg(long)]
    pub from: Option<DateArg>,
    /// Last day, included.
    #[arg(long)]
    pub to: Option<DateArg>,
    /// Language of the page and its maps.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Size of the desktop map, WIDTHxHEIGHT (phones get a map of their own).
    #[arg(long, default_value = "1200x900", allow_hyphen_values = true)]
    pub size: SizeArg,
    /// The page (.html); default output/<dataset name>.html.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The outlet's own credit, at the end of the credit line.
    #[arg(long, value_name = "TEXT")]
    pub credit: Option<String>,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Output shapes of `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormatArg {
    /// GeoJSON features with valid_from and valid_to (both days included).
    Geojson,
    /// One row per change: date,territory,kind,name,controller,confidence.
    Csv,
    /// One row per territory, one column per change date.
    WideCsv,
}

/// Flags of `history`.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The output shape.
    #[arg(long, value_enum, default_value_t = HistoryFormatArg::Geojson)]
    pub format: HistoryFormatArg,
    /// First day (YYYY-MM-DD; default: the first record).
    #[arg(long)]
    pub from: Option<DateArg>,
    /// Last day (YYYY-MM-DD; default: the last record).
    #[arg(long)]
    pub to: Option<DateArg>,
    /// Language of names.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Flags of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// List every warning, instead of summarising targets without records in one line.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// `--no-relief`, on every command that draws a map.
#[derive(Debug, clap::Args)]
pub struct ReliefArg {
    /// Leave out the shaded relief under the borders and labels (drawn by default when the
    /// dataset has one and it keeps every faction's colour readable).
    #[arg(long)]
    pub no_relief: bool,
}

/// `--dataset DIR`.
#[derive(Debug, clap::Args)]
pub struct DatasetArg {
    /// A dataset folder (dataset.toml, outlines, records); default: the embedded Mali data.
    #[arg(long, value_name = "DIR")]
    pub dataset: Option<PathBuf>,
}

/// Flags of `render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The date to map (YYYY-MM-DD).
    #[arg(long, conflicts_with = "phase")]
    pub date: Option<DateArg>,
    /// A phase id from `controlmap phases`: maps its date with its title.
    #[arg(long)]
    pub phase: Option<String>,
    /// png or svg; default: from the extension of --out, else png.
    #[arg(long, value_parser = args::parse_format)]
    pub format: Option<crate::render::Format>,
    /// Image size in pixels, WIDTHxHEIGHT; default: the layout's (article 1600x1200, mobile
    /// 750x1125, square 1080x1080, vertical 1080x1920, print 170x127.5 mm at --dpi).
    #[arg(long, allow_hyphen_values = true)]
    pub size: Option<SizeArg>,
    /// Where the map is read: article (key in a corner), mobile (key under the map, type
    /// legible on a phone), square (social posts), vertical (9:16 stories), print (type in
    /// points at --dpi).
    #[arg(long, value_enum, default_value_t = args::LayoutArg::Article)]
    pub layout: args::LayoutArg,
    /// Output file (one map) or folder (every phase), created if missing; `-` writes one SVG
    /// map to standard output; default: output/.
    #[arg(long, value_name = "PATH", value_parser = args::parse_output)]
    pub out: Option<crate::write::Output>,
    /// Language of labels and legend.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// The outlet's own credit, printed at the end of the credit line in place of "Map: controlmap." (e.g. "Graphic: The Daily Planet").
    #[arg(long, value_name = "TEXT")]
    pub credit: Option<String>,
    /// Resolution in dots per inch, recorded in the PNG (its pHYs chunk); with --layout print
    /// it also sizes the type in points and the default image (default: 300 for print, else
    /// 144).
    #[arg(long, allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub dpi: Option<u32>,
    #[command(flatten)]
    pub relief: ReliefArg,
    #[command(flatten)]
    pub dataset: DatasetArg,
}

/// Prints results on stdout; a failed write is an error (exit 1), a closed pipe ends the run
/// quietly (see [`main_with_args`]).
fn say(quiet: bool, text: &str) -> Result<()> {
    if quiet {
        return Ok(());
    }
    crate::write::write_stdout(text.as_bytes())
}

/// Tells stderr when a date lies outside the records (results stay on stdout).
fn note(quiet: bool, dataset: &crate::dataset::Dataset, date: crate::date::Date) {
    if quiet {
        return;
    }
    let timeline = crate::timeline::Timeline::new(dataset);
    if let Some(n) = commands::analyst::coverage_note(&timeline, date) {
        eprintln!("controlmap: {n}");
    }
}

fn cancel_flag() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

/// On SIGINT or SIGTERM: stop ffmpeg, remove the temporary files being written, say so, and
/// exit 130. Every file already in place is whole, since each was renamed into place.
fn on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        // Said before the clean-up: the main thread may fail as soon as ffmpeg is stopped, and
        // then exits with 130 once the clean-up is over (see `main_with_args`).
        eprintln!(
            "controlmap: interrupted; files already written are complete (frames: run again with --resume)"
        );
        crate::write::interrupt::clean_up();
        std::process::exit(130);
    });
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        None => {
            let dataset = commands::load_dataset(None)?;
            let job = commands::main_job(
                &dataset,
                std::path::Path::new(commands::DEFAULT_OUTPUT),
                !quiet,
                &cancel_flag(),
            )?;
            let maps = job
                .maps
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "png"))
                .count();
            say(
                quiet,
                &format!("{maps} phase maps in {}\n", commands::DEFAULT_OUTPUT),
            )?;
            say(quiet, &frames_summary(&job.frames))?;
            say(quiet, &format!("{}\n", job.page.display()))?;
            Ok(())
        }
        Some(Command::Render(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let req = RenderRequest {
                date: a.date.map(|d| d.0),
                phase: a.phase.clone(),
                format: a.format,
                size: args::map_size(a.size, a.layout.into(), args::dpi(a.dpi, a.layout))?,
                out: a.out.clone(),
                lang: a.lang.into(),
                credit: a.credit.clone(),
                dpi: args::dpi(a.dpi, a.layout),
                layout: a.layout.into(),
                without_relief: a.relief.no_relief,
            };
            let written = commands::render::render(&dataset, &req)?;
            let list: String = written
                .iter()
                .map(|p| format!("{}\n", p.display()))
                .collect();
            say(quiet, &list)?;
            Ok(())
        }
        Some(Command::Phases(a)) => {
            let dataset = commands::load_dataset(a.dataset.as_deref())?;
            say(quiet, &commands::phases_listing(&dataset))?;
            Ok(())
        }
        Some(Command::State(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let text =
                commands::analyst::state_report(&dataset, a.date.0, a.format, a.lang.into())?;
            note(quiet, &dataset, a.date.0);
            say(false, &text)?;
            Ok(())
        }
        Some(Command::Diff(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let d = commands::analyst::compute_diff(&dataset, a.from.0, a.to.0)?;
            if a.map.as_deref() == Some(std::path::Path::new("-")) {
                return Err(crate::error::Error::usage(
                    "--map: standard output carries the report; give the change map a file name",
                ));
            }
            if let Some(map) = &a.map {
                commands::render::render_diff_map(
                    &dataset,
                    &d,
                    (a.size.0, a.size.1),
                    a.lang.into(),
                    !a.relief.no_relief,
                    map,
                )?;
            }
            note(quiet, &dataset, a.to.0);
            say(
                false,
                &commands::analyst::diff_report(&dataset, &d, a.format, a.lang.into())?,
            )?;
            Ok(())
        }
        Some(Command::Timeline(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let written = commands::render::render_share_chart(
                &dataset,
                a.from.map(|d| d.0),
                a.to.map(|d| d.0),
                (a.size.0, a.size.1),
                a.lang.into(),
                &a.out,
            )?;
            if let Some(w) = written {
                say(quiet, &format!("{}\n", w.display()))?;
            }
            Ok(())
        }
        Some(Command::Grid(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let cells = commands::render::grid_cells(
                &dataset,
                a.phases.as_deref(),
                a.dates.as_deref().map(|d| d.iter().map(|x| x.0).collect()),
                a.lang.into(),
            )?;
            let written = commands::render::render_grid(
                &dataset,
                &cells,
                a.cols,
                &crate::scene::MapOptions {
                    lang: a.lang.into(),
                    credit: a.credit.clone(),
                    relief: !a.relief.no_relief,
                    ..crate::scene::MapOptions::new(a.cell.0, a.cell.1)
                },
                &a.out,
            )?;
            if let Some(w) = written {
                say(quiet, &format!("{}\n", w.display()))?;
            }
            Ok(())
        }
        Some(Command::Describe(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            note(quiet, &dataset, a.date.0);
            say(
                false,
                &commands::analyst::describe_report(&dataset, a.date.0, a.lang.into()),
            )?;
            Ok(())
        }
        Some(Command::Html(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let written = commands::html::html(
                &dataset,
                &commands::html::HtmlRequest {
                    from: a.from.map(|d| d.0),
                    to: a.to.map(|d| d.0),
                    lang: a.lang.into(),
                    size: (a.size.0, a.size.1),
                    out: a.out.clone(),
                    credit: a.credit.clone(),
                },
            )?;
            say(quiet, &format!("{}\n", written.display()))?;
            Ok(())
        }
        Some(Command::History(a)) => {
            use commands::history::{HistoryFormat, HistoryRequest, history_report};
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let req = HistoryRequest {
                from: a.from.map(|d| d.0),
                to: a.to.map(|d| d.0),
                format: match a.format {
                    HistoryFormatArg::Geojson => HistoryFormat::GeoJson,
                    HistoryFormatArg::Csv => HistoryFormat::Csv,
                    HistoryFormatArg::WideCsv => HistoryFormat::WideCsv,
                },
                lang: a.lang.into(),
            };
            say(false, &history_report(&dataset, &req)?)?;
            Ok(())
        }
        Some(Command::Validate(a)) => {
            let verbose = a.verbose;
            let a = a.dataset;
            commands::check_dataset_folder(a.dataset.as_deref())?;
            let source = crate::dataset::Source::from_option(a.dataset.as_deref());
            let (_, problems) = crate::dataset::Dataset::check(&source)?;
            let (report, clean) = commands::validation_report(&problems, verbose);
            say(quiet && clean, &report)?;
            if clean {
                Ok(())
            } else {
                Err(crate::error::Error::data(
                    source.display_name(crate::dataset::MANIFEST),
                    None,
                    format!("{} error(s) in the dataset", problems.error_count()),
                ))
            }
        }
        Some(Command::Init(a)) => init::run(&a, quiet),
        Some(Command::Completions(a)) => crate::write::write_stdout(&docs::completions(a.shell)),
        Some(Command::Manpage) => crate::write::write_stdout(&docs::manpage()?),
        Some(Command::Frames(a)) => {
            let dataset = commands::load_dataset(a.dataset.dataset.as_deref())?;
            let report = frames::run(&dataset, &frames_request(&a, quiet), &cancel_flag())?;
            say(quiet, &frames_summary(&report))?;
            Ok(())
        }
    }
}

/// The flag a request field is given with.
pub fn flag(field: crate::error::Field) -> &'static str {
    use crate::error::Field;
    match field {
        Field::Date => "--date",
        Field::Phase => "--phase",
        Field::Phases => "--phases",
        Field::Dates => "--dates",
        Field::Format => "--format",
        Field::Size => "--size",
        Field::Layout => "--layout",
        Field::Dpi => "--dpi",
        Field::Cell => "--cell",
        Field::Out => "--out",
        Field::From => "--from",
        Field::To => "--to",
        Field::Step => "--step",
        Field::Hold => "--hold",
        Field::Transition => "--transition",
        Field::Gif => "--gif",
        Field::Mp4 => "--mp4",
        Field::Webm => "--webm",
        Field::Mov => "--mov",
        Field::Ffmpeg => "--ffmpeg",
        Field::Background => "--background",
        Field::Cover => "--cover",
        Field::CoverDate => "--cover-date",
        Field::Map => "--map",
        Field::Dataset => "--dataset",
        Field::Admin1 => "--admin1",
        Field::Country => "--country",
        Field::Countries => "--countries",
    }
}

/// An error as the command line says it: a usage error names its flag.
pub fn message(e: &crate::error::Error) -> String {
    match e {
        crate::error::Error::Usage {
            field: Some(f),
            message,
        } => format!("{}: {message}", flag(*f)),
        other => other.to_string(),
    }
}

/// Parses `std::env::args` and runs: one error line on stderr and an exit code (0 success,
/// 1 run-time failure, 2 bad usage or bad data). A closed stdout pipe (`| head`) ends the run
/// quietly with 0, as ripgrep does.
pub fn main_with_args() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return std::process::ExitCode::SUCCESS;
            }
            // clap's whole message: what is missing, the suggestion, the allowed values, usage.
            let text = e.render().to_string();
            let text = text.trim_end().trim_start_matches("error: ");
            eprintln!("controlmap: {text}");
            return std::process::ExitCode::from(2);
        }
    };
    on_interrupt();
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(crate::error::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            std::process::ExitCode::SUCCESS
        }
        // A failure caused by the interruption (ffmpeg stopped under it) is no error of its own.
        Err(_) if crate::write::interrupt::was_interrupted() => std::process::ExitCode::from(130),
        Err(e) => {
            eprintln!("controlmap: {}", message(&e));
            std::process::ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}

//! The `controlmap` binary: parse the command line, run the library, print one error line.

fn main() -> std::process::ExitCode {
    controlmap::cli::main_with_args()
}

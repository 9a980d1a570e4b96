//! Shell completions and the man page, generated from the same clap definitions as `--help`,
//! so they can never disagree with the flags.

use clap::CommandFactory;

use super::Cli;
use crate::error::{Error, Result};

/// Flags of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "controlmap", &mut out);
    out
}

/// The man page, in roff: `controlmap manpage > controlmap.1`.
pub fn manpage() -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::Runtime(format!("could not write the man page: {e}")))?;
    Ok(out)
}

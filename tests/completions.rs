//! Issue 12.9: shell completions and a man page generated from the command definitions.

mod common;

use common::*;

const COMMANDS: [&str; 11] = [
    "render", "phases", "frames", "state", "diff", "timeline", "grid", "describe", "history",
    "validate", "init",
];

#[test]
fn the_bash_completion_script_offers_every_command_and_flag() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["completions", "bash"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let script = stdout(&o);
    assert!(script.contains("complete -F _controlmap"), "{script}");
    for c in COMMANDS {
        assert!(script.contains(c), "no {c} in the bash completions");
    }
    for flag in ["--dataset", "--phases", "--mp4", "--admin1", "--dpi"] {
        assert!(script.contains(flag), "no {flag} in the bash completions");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = run_in(dir.path(), &["completions", shell]);
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
    let o = run_in(dir.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bash"), "{}", stderr(&o));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn the_man_page_lists_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["manpage"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie") || page.contains(".TH controlmap"),
        "{page}"
    );
    assert!(page.contains(".SH NAME"), "{page}");
    for c in COMMANDS.iter().chain(&["completions", "manpage"]) {
        assert!(page.contains(c), "no {c} in the man page");
    }
}

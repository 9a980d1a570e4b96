//! Issue 12.8 (and 9.4): messages that help. clap's whole error survives, bad values name their
//! flag, a library usage error is named by its flag through the CLI's mapping.

mod common;

use common::*;

fn refused(args: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    for n in needles {
        assert!(
            stderr(&o).contains(n),
            "{args:?} lacks {n:?}: {}",
            stderr(&o)
        );
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "{args:?} wrote a file"
    );
}

#[test]
fn a_missing_required_flag_is_named() {
    refused(&["diff", "--from", "2012-01-01"], &["not provided", "--to"]);
}

#[test]
fn allowed_values_and_suggestions_survive() {
    refused(
        &["render", "--lang", "de"],
        &["possible values", "en", "fr"],
    );
    refused(&["render", "--sise", "1x1"], &["--size"]);
}

#[test]
fn negative_numbers_name_their_flag() {
    refused(&["render", "--size", "-1x5"], &["--size", "-1x5"]);
    refused(&["frames", "--hold", "-1"], &["--hold"]);
    refused(&["frames", "--transition", "-3"], &["--transition"]);
}

#[test]
fn a_missing_dataset_folder_exits_2_naming_dataset() {
    refused(
        &[
            "state",
            "--date",
            "2012-07-15",
            "--dataset",
            "no-such-folder",
        ],
        &["--dataset", "no-such-folder"],
    );
    refused(&["validate", "--dataset", "no-such-folder"], &["--dataset"]);
}

#[test]
fn a_bad_change_map_name_names_map() {
    refused(
        &[
            "diff",
            "--from",
            "2012-01-01",
            "--to",
            "2012-07-15",
            "--map",
            "x.gif",
        ],
        &["--map", ".gif"],
    );
}

#[test]
fn library_usage_errors_are_named_by_their_flag() {
    refused(
        &[
            "frames",
            "--from",
            "2013-01-01",
            "--to",
            "2012-01-01",
            "--gif",
            "none",
        ],
        &["--from: 2013-01-01 is after the end date 2012-01-01"],
    );
    refused(
        &["render", "--phase", "north-lsot"],
        &["--phase: unknown phase 'north-lsot'"],
    );
}

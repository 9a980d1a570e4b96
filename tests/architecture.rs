//! The data flows one way: dataset -> timeline -> analysis/project -> scene -> render -> write
//! -> frames -> commands -> cli. A module that imports one further down the chain fails here.

use std::path::Path;

const CHAIN: &[&str] = &[
    "dataset", "timeline", "analysis", "project", "scene", "render", "write", "frames", "commands",
    "cli",
];

/// Modules each layer must not use (everything after it in the chain, with the equal-rank pair
/// analysis/project allowed to ignore each other).
fn forbidden(module: &str) -> Vec<&'static str> {
    let pos = CHAIN.iter().position(|m| *m == module).unwrap();
    CHAIN[pos + 1..]
        .iter()
        .copied()
        .filter(|m| !(module == "analysis" && *m == "project"))
        .collect()
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_layer_reaches_back_up_the_chain() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for module in CHAIN {
        let dir = src.join(module);
        let mut files = Vec::new();
        if dir.is_dir() {
            sources(&dir, &mut files);
        } else {
            files.push(src.join(format!("{module}.rs")));
        }
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for bad in forbidden(module) {
                if text.contains(&format!("crate::{bad}::"))
                    || text.contains(&format!("crate::{bad};"))
                    || text.contains(&format!("crate::{bad}}}"))
                {
                    violations.push(format!("{} uses crate::{bad}", f.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn main_only_calls_the_cli() {
    let main =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs")).unwrap();
    let code: Vec<&str> = main
        .lines()
        .filter(|l| !l.trim_start().starts_with("//") && !l.trim().is_empty())
        .collect();
    assert!(code.len() <= 5, "main.rs grew: {code:?}");
    assert!(main.contains("controlmap::cli::"));
}

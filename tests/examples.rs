//! Issue 12.9: every command shown in README.md and in every `--help` example runs as written
//! in a fresh empty folder. Commands of one README block run in order in one folder (a block
//! may make what its next line reads); the only files put there first are the Natural Earth
//! inputs that `init` examples name, made small, and `tests/data/ruritania` where an example
//! names it.

mod common;

use std::path::Path;

use common::*;

/// The commands of the README's `sh` blocks, block by block, joined over `\` line ends and
/// without trailing `# comments`.
fn readme_blocks() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    let mut pending = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(b) => blocks.push(b),
                None if line.trim() == "```sh" => current = Some(Vec::new()),
                None => {}
            }
            continue;
        }
        let Some(block) = current.as_mut() else {
            continue;
        };
        let line = line.split(" # ").next().unwrap_or("").trim_end();
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        let full = format!("{pending}{}", line.trim_start());
        pending.clear();
        if full.starts_with("controlmap") {
            block.push(full.trim().to_string());
        }
    }
    blocks.into_iter().filter(|b| !b.is_empty()).collect()
}

/// The examples at the end of each command's `--help`.
fn help_examples() -> Vec<String> {
    let o = run_in(&root(), &["--help"]);
    let mut commands: Vec<String> = stdout(&o)
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    commands.dedup();
    let mut out = Vec::new();
    for c in commands {
        let o = run_in(&root(), &[&c, "--help"]);
        out.extend(
            stdout(&o)
                .lines()
                .skip_while(|l| !l.starts_with("Examples:"))
                .skip(1)
                .map(str::trim)
                .filter(|l| l.starts_with("controlmap "))
                .map(str::to_string),
        );
    }
    out
}

fn fixtures(dir: &Path) {
    let square = |x: f64, y: f64| {
        format!(
            "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
            x + 2.0,
            x + 2.0,
            y + 2.0,
            y + 2.0
        )
    };
    let admin1 = format!(
        r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"iso_3166_2":"BF-A","name":"Alpha","iso_a2":"BF","adm0_a3":"BFA","admin":"Burkina Faso"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
{{"type":"Feature","properties":{{"iso_3166_2":"BF-B","name":"Beta","iso_a2":"BF","adm0_a3":"BFA","admin":"Burkina Faso"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
{{"type":"Feature","properties":{{"iso_3166_2":"SD-A","name":"Gamma","iso_a2":"SD","adm0_a3":"SDN","admin":"Sudan"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}
]}}"#,
        square(-4.0, 11.0),
        square(-2.0, 11.0),
        square(30.0, 12.0)
    );
    let admin0 = format!(
        r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"ISO_A2":"ML","ADM0_A3":"MLI","NAME":"Mali"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
{{"type":"Feature","properties":{{"ISO_A2":"EG","ADM0_A3":"EGY","NAME":"Egypt"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}
]}}"#,
        square(-4.0, 13.0),
        square(30.0, 14.0)
    );
    for name in [
        "ne_10m_admin_1_states_provinces.geojson",
        "ne_10m_admin_1.geojson",
        "admin1.geojson",
    ] {
        std::fs::write(dir.join(name), &admin1).unwrap();
    }
    for name in ["ne_10m_admin_0_countries.geojson", "ne_10m_admin_0.geojson"] {
        std::fs::write(dir.join(name), &admin0).unwrap();
    }
    let rur = dir.join("tests/data/ruritania");
    std::fs::create_dir_all(&rur).unwrap();
    for e in std::fs::read_dir(ruritania()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), rur.join(e.file_name())).unwrap();
    }
}

fn has_ffmpeg() -> bool {
    std::process::Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Words as a shell splits them: on spaces, except inside double or single quotes.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

/// Runs one shell-like line: words split as a shell would, and `> FILE` sends stdout to FILE.
fn run_line(dir: &Path, line: &str) -> Result<(), String> {
    let (cmd, redirect) = match line.split_once(" > ") {
        Some((c, f)) => (c, Some(f.trim())),
        None => (line, None),
    };
    let words = shell_words(cmd);
    let words: Vec<&str> = words.iter().skip(1).map(String::as_str).collect();
    let o = run_in(dir, &words);
    if !o.status.success() {
        return Err(format!(
            "{line}: exit {:?}: {}",
            o.status.code(),
            stderr(&o)
        ));
    }
    if let Some(f) = redirect {
        std::fs::write(dir.join(f), &o.stdout).unwrap();
    }
    Ok(())
}

fn run_all(blocks: Vec<Vec<String>>) {
    let ffmpeg = has_ffmpeg();
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in blocks {
        let dir = tempfile::tempdir().unwrap();
        fixtures(dir.path());
        for line in block {
            if ["--mp4", "--webm", "--mov"]
                .iter()
                .any(|f| line.contains(f))
                && !ffmpeg
            {
                eprintln!("skipped without ffmpeg: {line}");
                continue;
            }
            ran += 1;
            if let Err(e) = run_line(dir.path(), &line) {
                failures.push(e);
            }
        }
    }
    assert!(ran > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_readme_command_runs_in_an_empty_folder() {
    let blocks = readme_blocks();
    assert!(blocks.iter().flatten().count() >= 20, "{blocks:?}");
    run_all(blocks);
}

#[test]
fn every_help_example_runs_in_an_empty_folder() {
    let examples = help_examples();
    assert!(examples.len() >= 20, "{examples:?}");
    // Each command's examples in one folder, in the order shown.
    let mut blocks: Vec<Vec<String>> = Vec::new();
    for e in examples {
        let cmd = e.split_whitespace().nth(1).unwrap_or("").to_string();
        match blocks.last_mut() {
            Some(b) if b[0].split_whitespace().nth(1) == Some(cmd.as_str()) => b.push(e),
            _ => blocks.push(vec![e]),
        }
    }
    run_all(blocks);
}

//! Issue 12.6: data that cannot silently vanish. Swallowed rows, lone-CR line numbers, manifest
//! errors at the exact line, and dataset files that must stay inside the dataset folder.

mod common;

use common::*;

fn validate(dir: &std::path::Path) -> (Option<i32>, String) {
    let o = run_in(dir, &["validate", "--dataset", dir.to_str().unwrap()]);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

fn edit(dir: &std::path::Path, file: &str, f: impl FnOnce(String) -> String) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(text)).unwrap();
}

#[test]
fn a_stray_quote_in_control_csv_is_an_error_at_its_line() {
    let d = copy_dataset(&ruritania());
    // Line 3's note opens a quote that only closes on line 5: three rows would become one.
    edit(d.path(), "control.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        lines[2] = lines[2].replace("all quiet", "\"all quiet");
        lines[4] = format!("{}\"", lines[4]);
        lines.join("\n") + "\n"
    });
    let (code, out) = validate(d.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("control.csv:3: a quote"), "{out}");
}

#[test]
fn a_duplicate_faction_is_reported_at_its_second_declaration() {
    let d = copy_dataset(&ruritania());
    edit(d.path(), "dataset.toml", |t| {
        t + "\n[[factions]]\nid = \"crown\"\nlabel = \"Again\"\ncolour = \"#000000\"\n"
    });
    let line = std::fs::read_to_string(d.path().join("dataset.toml"))
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "id = \"crown\"")
        .map(|(i, _)| i + 1)
        .last()
        .unwrap();
    let (code, out) = validate(d.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains(&format!(
            "dataset.toml:{line}: faction 'crown' is declared twice"
        )),
        "{out}"
    );
}

#[test]
fn a_bad_phase_start_is_reported_at_its_start_line() {
    let d = copy_dataset(&ruritania());
    edit(d.path(), "dataset.toml", |t| {
        t.replacen("start = \"2020-02-01\"", "start = \"2020-02-31\"", 1)
    });
    let text = std::fs::read_to_string(d.path().join("dataset.toml")).unwrap();
    let line = text.lines().position(|l| l.contains("2020-02-31")).unwrap() + 1;
    let (code, out) = validate(d.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains(&format!("dataset.toml:{line}: phase 'uprising'")),
        "{out}"
    );
}

#[test]
fn manifest_paths_must_stay_inside_the_dataset_folder() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.csv"), "date,caption,source\n").unwrap();
    let d = copy_dataset(&ruritania());
    let secret = outer.path().join("secret.csv");
    for name in ["../secret.csv".to_string(), secret.display().to_string()] {
        edit(d.path(), "dataset.toml", |t| {
            let start = t.find("events = ").unwrap();
            let end = start + t[start..].find('\n').unwrap();
            format!("{}events = \"{name}\"{}", &t[..start], &t[end..])
        });
        let (code, out) = validate(d.path());
        assert_eq!(code, Some(2), "{name}: {out}");
        assert!(out.contains("the dataset folder"), "{name}: {out}");
    }
    // A symlink inside the folder that leads out of it.
    edit(d.path(), "dataset.toml", |t| {
        let start = t.find("events = ").unwrap();
        let end = start + t[start..].find('\n').unwrap();
        format!("{}events = \"link.csv\"{}", &t[..start], &t[end..])
    });
    std::os::unix::fs::symlink(&secret, d.path().join("link.csv")).unwrap();
    let (code, out) = validate(d.path());
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("outside the dataset folder"), "{out}");
}

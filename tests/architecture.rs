//! The data flows one way: lang -> territory -> dataset -> timeline -> project -> compose ->
//! analysis -> scene -> render -> write -> frames -> commands -> cli. A module that reaches one further down the chain fails here,
//! whatever the form of the path: `use crate::x::{..}`, a multi-line use group, `crate::x::y`
//! in an expression, or a `super::` chain that climbs out of its module. And flag names
//! (`--out`) appear only in `src/cli/`: the library names a request field, the CLI its flag.

use std::path::{Path, PathBuf};

const CHAIN: &[&str] = &[
    "lang",
    "territory",
    "dataset",
    "timeline",
    "project",
    "compose",
    "analysis",
    "scene",
    "render",
    "write",
    "frames",
    "commands",
    "cli",
];

/// Modules each layer must not use: everything after it in the chain.
fn forbidden(module: &str) -> Vec<&'static str> {
    let pos = CHAIN.iter().position(|m| *m == module).unwrap();
    CHAIN[pos + 1..].to_vec()
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Source text split into code (comments and literals blanked) and the string literals.
struct Lexed {
    code: String,
    strings: Vec<String>,
}

fn lex(text: &str) -> Lexed {
    let b: Vec<char> = text.chars().collect();
    let (mut code, mut strings) = (String::new(), Vec::new());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            code.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                code.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let start = j;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    break;
                }
                j += 1;
            }
            strings.push(b[start..j.min(b.len())].iter().collect());
            i = j + 1 + hashes;
            code.push_str("\"\"");
        } else if c == '"' {
            let mut j = i + 1;
            let mut s = String::new();
            while j < b.len() && b[j] != '"' {
                if b[j] == '\\' {
                    j += 1;
                }
                if let Some(&ch) = b.get(j) {
                    s.push(ch);
                }
                j += 1;
            }
            strings.push(s);
            i = j + 1;
            code.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '"'); a lifetime ('a) has no closing quote.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                code.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                code.push_str("' '");
            } else {
                code.push(c);
                i += 1;
            }
        } else {
            code.push(c);
            i += 1;
        }
    }
    Lexed { code, strings }
}

fn ident_at(code: &[char], mut i: usize) -> (String, usize) {
    while i < code.len() && code[i].is_whitespace() {
        i += 1;
    }
    let start = i;
    while i < code.len() && (code[i].is_alphanumeric() || code[i] == '_') {
        i += 1;
    }
    (code[start..i].iter().collect(), i)
}

/// The names right after `::` at `i`: one ident, or each first ident of a `{..}` group.
fn names_after(code: &[char], i: usize) -> Vec<String> {
    let mut j = i;
    while j < code.len() && code[j].is_whitespace() {
        j += 1;
    }
    if code.get(j) != Some(&'{') {
        let (id, _) = ident_at(code, j);
        return vec![id];
    }
    let mut out = Vec::new();
    let (mut depth, mut at_start) = (0, true);
    j += 1;
    while j < code.len() {
        match code[j] {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => at_start = true,
            c if at_start && (c.is_alphanumeric() || c == '_') => {
                let (id, end) = ident_at(code, j);
                out.push(id);
                at_start = false;
                j = end;
                continue;
            }
            c if !c.is_whitespace() => at_start = false,
            _ => {}
        }
        j += 1;
    }
    out
}

/// The crate's top-level modules a file refers to, given the module path of the file
/// (`["frames", "plan"]` for `src/frames/plan.rs`).
fn top_modules_used(code: &str, module_path: &[String]) -> Vec<String> {
    let c: Vec<char> = code.chars().collect();
    let mut used = Vec::new();
    let is_word_start = |i: usize| i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_');
    let starts = |i: usize, w: &str| {
        w.chars()
            .enumerate()
            .all(|(k, ch)| c.get(i + k) == Some(&ch))
    };
    let mut i = 0;
    while i < c.len() {
        if is_word_start(i) && starts(i, "crate") && !starts(i, "crate_") {
            let mut j = i + 5;
            while j < c.len() && c[j].is_whitespace() {
                j += 1;
            }
            if starts(j, "::") {
                used.extend(names_after(&c, j + 2));
            }
            i = j;
            continue;
        }
        if is_word_start(i) && starts(i, "super") {
            // Count the whole chain super::super::…
            let mut ups = 0;
            let mut j = i;
            loop {
                if starts(j, "super") {
                    let mut k = j + 5;
                    while k < c.len() && c[k].is_whitespace() {
                        k += 1;
                    }
                    if starts(k, "::") {
                        ups += 1;
                        j = k + 2;
                        while j < c.len() && c[j].is_whitespace() {
                            j += 1;
                        }
                        continue;
                    }
                }
                break;
            }
            if ups > 0 && ups >= module_path.len() {
                // Climbed to the crate root: the next name is a top-level module.
                used.extend(names_after(&c, j));
            } else if ups > 0 && module_path.len() - ups == 1 {
                used.push(module_path[0].clone());
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    used
}

/// `src/frames/plan.rs` -> `["frames", "plan"]`; `src/frames/mod.rs` -> `["frames"]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn violations_of(module: &str, file: &str, text: &str, path: &[String]) -> Vec<String> {
    let lexed = lex(text);
    let used = top_modules_used(&lexed.code, path);
    forbidden(module)
        .into_iter()
        .filter(|bad| used.iter().any(|u| u == bad))
        .map(|bad| format!("{file} uses crate::{bad}"))
        .collect()
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
            violations.extend(violations_of(
                module,
                &f.display().to_string(),
                &text,
                &module_path(&src, &f),
            ));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_checker_sees_every_form_of_path() {
    let scene = |text: &str, path: &[&str]| {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        violations_of("scene", "f.rs", text, &path)
    };
    // Plain, grouped, nested and multi-line groups.
    assert_eq!(scene("use crate::frames::plan;", &["scene"]).len(), 1);
    assert_eq!(
        scene("use crate::{colour::Rgba, write::x};", &["scene"]).len(),
        1
    );
    assert_eq!(
        scene(
            "use crate::{\n    colour::Rgba,\n    frames::{\n a, b },\n};",
            &["scene"]
        )
        .len(),
        1
    );
    // In an expression, with spaces.
    assert_eq!(
        scene("let x = crate :: commands :: run();", &["scene"]).len(),
        1
    );
    // super:: chains that climb to the root, and ones that stay inside.
    assert_eq!(
        scene("use super::super::write::x;", &["scene", "layout"]).len(),
        1
    );
    assert!(scene("use super::layout::x;", &["scene", "grid"]).is_empty());
    assert_eq!(scene("use super::frames::x;", &["scene"]).len(), 1);
    // Comments and strings are not code.
    assert!(
        scene(
            "// crate::frames::x\n let s = \"crate::cli::y\";",
            &["scene"]
        )
        .is_empty()
    );
    assert!(
        scene(
            "/* crate::frames */ let c = '\"'; let d = crate::colour::x;",
            &["scene"]
        )
        .is_empty()
    );
}

fn flag_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for s in lex(text).strings {
        let c: Vec<char> = s.chars().collect();
        for i in 0..c.len().saturating_sub(2) {
            let before_ok = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '-');
            if before_ok && c[i] == '-' && c[i + 1] == '-' && c[i + 2].is_ascii_lowercase() {
                let name: String = c[i..]
                    .iter()
                    .take_while(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || **ch == '-')
                    .collect();
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn flag_names_appear_only_in_the_cli() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut found = Vec::new();
    for f in files {
        if f.starts_with(src.join("cli")) || f == src.join("main.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for name in flag_names(&text) {
            found.push(format!("{}: {name}", f.display()));
        }
    }
    assert!(
        found.is_empty(),
        "flag names outside src/cli:\n{}",
        found.join("\n")
    );
    // The check itself: a flag in a string is found; in a comment, or a single dash, it is not.
    assert_eq!(flag_names("Error::usage(\"--out: no\")"), ["--out"]);
    assert_eq!(flag_names("let m = r#\"see --from\"#;"), ["--from"]);
    assert!(flag_names("// --out\nlet a = \"-y\"; let b = \"a--b\";").is_empty());
}

#[test]
fn nothing_but_the_binary_uses_the_cli() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    for f in files {
        if f.starts_with(src.join("cli")) {
            continue;
        }
        let path = module_path(&src, &f);
        let used = top_modules_used(&lex(&std::fs::read_to_string(&f).unwrap()).code, &path);
        assert!(
            !used.iter().any(|u| u == "cli"),
            "{} uses crate::cli",
            f.display()
        );
    }
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

/// A crate declared for one platform only (`[target.'cfg(…)'.dependencies]`) is used only in
/// files that say which platform: a dependency the whole library needs, slipped under such a
/// header, would break every other platform's build while Linux CI stays green.
#[test]
fn platform_only_crates_are_used_only_behind_their_cfg() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let mut platform_only: Vec<(String, String)> = Vec::new();
    if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
        for (cfg, table) in targets {
            if let Some(deps) = table.get("dependencies").and_then(|d| d.as_table()) {
                for name in deps.keys() {
                    platform_only.push((name.replace('-', "_"), cfg.clone()));
                }
            }
        }
    }
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut wrong = Vec::new();
    for (name, cfg) in &platform_only {
        let condition = cfg.trim_start_matches("cfg(").trim_end_matches(')');
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            if text.contains(&format!("{name}::")) && !text.contains(&format!("cfg({condition})")) {
                wrong.push(format!(
                    "{} uses {name}, declared only for {cfg}",
                    f.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

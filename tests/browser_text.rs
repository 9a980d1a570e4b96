//! An SVG text is as wide in a browser as in the PNG: headless Chromium lays out the SVG of a
//! Mali map and reports each text's advance (`getComputedTextLength`), which must equal the
//! width the scene measured (and the PNG drew) within 2 %.
//!
//! Needs `chromium` and the DejaVu fonts (Debian's `chromium` and `fonts-dejavu-core`; `.ci/run`
//! installs them). Without chromium the test says so and passes.

use std::process::Command;

use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::render::svg::write_svg;
use controlmap::scene::text::text_width;
use controlmap::scene::{Item, MapLayout, MapOptions};
use controlmap::timeline::Timeline;

const TOLERANCE: f32 = 0.02;

fn chromium() -> Option<String> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        if let Some(path) = found.filter(|p| !p.is_empty()) {
            return Some(path);
        }
    }
    None
}

#[test]
fn svg_text_is_as_wide_in_chromium_as_in_the_png() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED svg_text_is_as_wide_in_chromium_as_in_the_png: no chromium on this machine \
             (install Debian's chromium and fonts-dejavu-core to run it)"
        );
        return;
    };
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(1280, 960)).unwrap();
    let scene = layout.scene(
        &t.state_at(parse_date("2012-07-15").unwrap()),
        Some("Islamist takeover"),
        "",
    );
    let expected: Vec<(String, f32)> = scene
        .layers()
        .flat_map(|l| &l.items)
        .filter_map(|i| match i {
            Item::Text {
                text, size, bold, ..
            } => Some((text.clone(), text_width(text, *size, *bold))),
            _ => None,
        })
        .collect();
    let page = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\">{}<pre id=\"widths\"></pre><script>\
         document.getElementById('widths').textContent = \
         Array.from(document.querySelectorAll('svg text')).map(t => \
         t.getComputedTextLength().toFixed(3)).join('\\n');\
         </script></body></html>",
        write_svg(&scene)
    );
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.html");
    std::fs::write(&html, page).unwrap();
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            &format!("file://{}", html.display()),
        ])
        .env("HOME", dir.path())
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let at = dom.find("<pre id=\"widths\">").unwrap_or_else(|| {
        panic!(
            "no widths in Chromium's DOM: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let body = &dom[at + "<pre id=\"widths\">".len()..];
    let body = &body[..body.find("</pre>").unwrap()];
    let measured: Vec<f32> = body.lines().map(|l| l.trim().parse().unwrap()).collect();
    assert_eq!(measured.len(), expected.len(), "one width per text");
    let mut worst = (0.0f32, String::new());
    for ((text, png), browser) in expected.iter().zip(&measured) {
        let off = (browser - png).abs() / png.max(1.0);
        if off > worst.0 {
            worst = (off, text.clone());
        }
        assert!(
            off <= TOLERANCE,
            "{text:?}: {browser:.2} px in Chromium, {png:.2} px in the PNG ({:.1} %)",
            off * 100.0
        );
    }
    eprintln!(
        "{} texts; largest difference {:.2} % ({:?})",
        expected.len(),
        worst.0 * 100.0,
        worst.1
    );
}

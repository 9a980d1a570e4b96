//! An SVG text is as wide in a browser as in the PNG: headless Chromium lays out the SVG of a
//! Mali map and reports each text's advance (`getComputedTextLength`), which must equal the
//! width the scene measured (and the PNG drew) within 2 %.
//!
//! The share chart's SVG is checked the same way.
//!
//! Needs `chromium` and the DejaVu fonts (Debian's `chromium` and `fonts-dejavu-core`; `.ci/run`
//! installs them). Without chromium the test says so and passes.

mod common;

use std::process::Command;

use common::chromium;

use controlmap::colour::Rgba;
use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::render::chart::{ShareChart, chart_svg};
use controlmap::render::svg::write_svg;
use controlmap::scene::text::{em, text_width};
use controlmap::scene::{Item, MapLayout, MapOptions};
use controlmap::timeline::Timeline;

const TOLERANCE: f32 = 0.02;

/// Lays `body` out in headless Chromium and returns, per `<text>` in document order, its text,
/// computed font size, whether it is bold, and its advance (`getComputedTextLength`).
fn chromium_text_widths(browser: &str, body: &str) -> Vec<(String, f32, bool, f32)> {
    let page = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\">{body}<pre id=\"widths\"></pre><script>\
         document.getElementById('widths').textContent = \
         Array.from(document.querySelectorAll('svg text')).map(t => [\
         t.getComputedTextLength().toFixed(3), parseFloat(getComputedStyle(t).fontSize), \
         getComputedStyle(t).fontWeight, encodeURIComponent(t.textContent)].join(' ')).join('\\n');\
         </script></body></html>"
    );
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.html");
    std::fs::write(&html, page).unwrap();
    let out = Command::new(browser)
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
    let rest = &dom[at + "<pre id=\"widths\">".len()..];
    rest[..rest.find("</pre>").unwrap()]
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let text = percent_decode(f[3]);
            (
                text,
                f[1].parse().unwrap(),
                f[2] == "700",
                f[0].parse().unwrap(),
            )
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn chart_svg_text_is_as_wide_in_chromium_as_in_the_png() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED chart_svg_text_is_as_wide_in_chromium_as_in_the_png: no chromium on this \
             machine (install Debian's chromium and fonts-dejavu-core to run it)"
        );
        return;
    };
    let days: Vec<_> = (1..=28)
        .map(|k| parse_date(&format!("2012-02-{k:02}")).unwrap())
        .collect();
    let chart = ShareChart {
        title: "Who held how much of the country".into(),
        subtitle: "Share of the area by controller".into(),
        credit: "Test credit.  Chart: controlmap.".into(),
        lang: controlmap::lang::Lang::En,
        values: days.iter().map(|_| vec![0.6, 0.4]).collect(),
        events: vec![
            (days[3], "Rebels take the north".into()),
            (days[20], "Ceasefire".into()),
        ],
        days,
        labels: vec![
            "Government of Mali and allies".into(),
            "MNLA (Tuareg separatists)".into(),
        ],
        colours: vec![Rgba::rgb(213, 94, 0), Rgba::rgb(240, 228, 66)],
        stripes: vec![],
    };
    let svg = chart_svg(&chart, 1200, 800).unwrap();
    let widths = chromium_text_widths(&browser, &svg);
    assert!(widths.len() > 10, "the chart's texts are laid out");
    for (text, font_size, bold, browser_w) in widths {
        // The PNG draws a text of full height `size`, whose em is text::em(size).
        let size = font_size / em(1.0, bold);
        let png = text_width(&text, size, bold);
        let off = (browser_w - png).abs() / png.max(1.0);
        assert!(
            off <= TOLERANCE,
            "{text:?}: {browser_w:.2} px in Chromium, {png:.2} px in the PNG ({:.1} %)",
            off * 100.0
        );
    }
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
    // The SVG writes a town's label inside its marker's group, so its texts come in another
    // order than the scene's: they are matched by text (any case: CSS sets the capitals) and
    // font size.
    let key = |text: &str, em_size: f32| (text.to_lowercase(), format!("{em_size:.2}"));
    let mut expected: std::collections::HashMap<(String, String), Vec<(String, f32)>> =
        std::collections::HashMap::new();
    for item in scene.layers().flat_map(|l| &l.items) {
        if let Item::Text {
            text, size, bold, ..
        } = item
        {
            expected
                .entry(key(text, em(*size, *bold)))
                .or_default()
                .push((text.clone(), text_width(text, *size, *bold)));
        }
    }
    let count: usize = expected.values().map(Vec::len).sum();
    let page = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\">{}<pre id=\"widths\"></pre><script>\
         document.getElementById('widths').textContent = \
         Array.from(document.querySelectorAll('svg text')).map(t => \
         t.getAttribute('font-size') + '\\t' + t.getComputedTextLength().toFixed(3) + '\\t' + \
         t.textContent).join('\\n');\
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
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    let mut pairs: Vec<((String, f32), f32)> = Vec::new();
    for line in body.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(size), Some(width), Some(text)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("bad line {line:?}");
        };
        let size: f32 = size.trim().parse().unwrap();
        let text = unescape(text);
        let list = expected
            .get_mut(&key(&text, size))
            .unwrap_or_else(|| panic!("{text:?} at {size} is not in the scene"));
        pairs.push((list.remove(0), width.trim().parse().unwrap()));
    }
    assert_eq!(pairs.len(), count, "one width per text");
    let expected: Vec<(String, f32)> = pairs.iter().map(|p| p.0.clone()).collect();
    let measured: Vec<f32> = pairs.iter().map(|p| p.1).collect();
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

#[test]
fn arabic_svg_text_is_as_wide_in_chromium_as_in_the_png() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED arabic_svg_text_is_as_wide_in_chromium_as_in_the_png: no chromium on this \
             machine (install Debian's chromium and fonts-dejavu-core to run it)"
        );
        return;
    };
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let d = Dataset::load(&Source::Dir(root.join("tests/data/ruritania-arabic"))).unwrap();
    let t = Timeline::new(&d);
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    // The heading makes a mixed line: "As of 15 March 2020 — حصار زندا".
    let scene = layout.scene(
        &t.state_at(parse_date("2020-03-15").unwrap()),
        Some("حصار زندا"),
        "",
    );
    let widths = chromium_text_widths(&browser, &write_svg(&scene));
    assert!(
        widths
            .iter()
            .any(|w| w.0.starts_with("As of") && w.0.ends_with("زندا"))
    );
    let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    assert!(widths.iter().filter(|w| arabic(&w.0)).count() >= 5);
    for (text, font_size, bold, browser_w) in widths {
        let png = text_width(&text, font_size / em(1.0, bold), bold);
        let off = (browser_w - png).abs() / png.max(1.0);
        assert!(
            off <= TOLERANCE,
            "{text:?}: {browser_w:.2} px in Chromium, {png:.2} px in the PNG ({:.1} %)",
            off * 100.0
        );
    }
}

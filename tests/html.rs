//! The interactive page: one self-contained file holding every change of the span, drawn from
//! the same scenes as the maps; and, in headless Chromium, the slider's keys, the URL
//! fragment, play/pause stopping at the end, tooltips with sources, reduced motion, and the
//! phone layout.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use common::*;
use controlmap::commands::html::{HtmlRequest, change_states, html_page};
use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::lang::Lang;
use controlmap::render::html::write_html;
use controlmap::timeline::Timeline;

fn mali() -> Dataset {
    Dataset::load(&Source::Embedded).unwrap()
}

fn page(lang: Lang) -> String {
    write_html(
        &html_page(
            &mali(),
            &HtmlRequest {
                lang,
                ..HtmlRequest::default()
            },
        )
        .unwrap(),
    )
}

/// The page's data (states, meanings, references).
fn page_data(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"cm-data\">";
    let at = html.find(open).unwrap() + open.len();
    let text = &html[at..at + html[at..].find("</script>").unwrap()];
    serde_json::from_str(&text.replace("<\\/", "</")).unwrap()
}

/// Every value of an attribute in the document, in order.
fn values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .map(|(i, _)| {
            let rest = &html[i + key.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn the_page_fetches_nothing() {
    let html = page(Lang::En);
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for banned in ["<script src", "<link", "@import", "url(", "<iframe", "<img"] {
        assert!(!html.contains(banned), "{banned}");
    }
    // Links are in-document references or links to the sources, which a reader follows (the
    // script builds the tooltips' links from the same references).
    let markup = &html[..html.find("<script").unwrap()];
    for href in values(markup, "href") {
        assert!(
            href.starts_with("#cm-p")
                || href.starts_with("#cm-e")
                || href.starts_with("https://")
                || href.starts_with("http://"),
            "{href}"
        );
    }
    assert!(values(&html, "src").is_empty(), "no src attribute at all");
}

#[test]
fn one_state_per_change_date_from_the_same_records_as_the_maps() {
    let d = mali();
    let html = page(Lang::En);
    let t = Timeline::new(&d);
    let seq = d.manifest.sequence.as_ref().unwrap();
    let states = change_states(&t, seq.from, seq.to);
    let shown: HashSet<&str> = values(&html, "data-state").into_iter().collect();
    assert_eq!(shown.len(), states.len());
    assert!(html.contains(&format!("max=\"{}\"", states.len() - 1)));
    let dates: Vec<String> = states.iter().map(|s| s.date.to_string()).collect();
    for day in ["2012-01-17", "2012-04-01", "2013-01-28", "2014-05-21"] {
        assert!(dates.iter().any(|d| d == day), "{day} in {dates:?}");
    }
    // The tooltips' table says what the timeline says, territory by territory and state by
    // state, and each state's group draws every region with a fill of its holder's class.
    let data = page_data(&html);
    let wide = &html[..html.find("class=\"cm-narrow\"").unwrap()];
    for (k, s) in states.iter().enumerate() {
        let table = &data["stateMeanings"][k];
        for (id, terr) in d.regions() {
            let want = s
                .control(id)
                .map_or("no-data".to_string(), |c| d.control_id(c).to_string());
            let m = &data["meanings"][table[&terr.id].as_u64().unwrap() as usize];
            assert_eq!(m["controller"], want.as_str(), "{} on {}", terr.id, s.date);
            assert_eq!(m["name"], terr.name(Lang::En));
        }
        let open = format!("<g class=\"cm-state\" data-state=\"{k}\"");
        let at = wide.find(&open).unwrap_or_else(|| panic!("state {k}"));
        let end = wide[at + 1..]
            .find("<g class=\"cm-state\"")
            .map_or(wide.len(), |e| at + 1 + e);
        let group = &wide[at..end];
        for (id, terr) in d.regions() {
            let Some(c) = s.control(id) else { continue };
            let key = format!("data-territory=\"{}\"", terr.id);
            let i = group
                .find(&key)
                .unwrap_or_else(|| panic!("{} on {}", terr.id, s.date));
            let e = &group[group[..i].rfind("#cm-e").unwrap() + 1..];
            let e = &e[..e.find('"').unwrap()];
            let def = &html[html.find(&format!("id=\"{e}\"")).unwrap()..];
            let def = &def[..def.find('>').unwrap()];
            assert!(
                def.contains(&format!("controller-{}", d.control_id(c))),
                "{} on {}: {def}",
                terr.id,
                s.date
            );
        }
    }
}

#[test]
fn ids_are_unique_and_every_shared_path_is_defined() {
    let html = page(Lang::En);
    let ids = values(&html, "id");
    let mut seen = HashSet::new();
    for id in &ids {
        assert!(seen.insert(*id), "duplicate id {id}");
    }
    for href in values(&html, "href").iter().filter(|h| h.starts_with('#')) {
        assert!(seen.contains(&href[1..]), "{href} is not defined");
    }
    // Coordinates are whole pixels.
    for d in values(&html, "d") {
        assert!(!d.contains('.'), "{}", &d[..d.len().min(80)]);
    }
}

#[test]
fn rivers_and_lakes_are_named_once_and_held_by_no_one() {
    let html = page(Lang::Fr);
    for (id, name) in [
        ("river-niger", "Niger"),
        ("river-bani", "Bani"),
        ("lake-debo", "Lac Débo"),
    ] {
        let at = html
            .find(&format!(" id=\"{id}\""))
            .unwrap_or_else(|| panic!("no {id}"));
        let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
        assert!(tag.contains(&format!("data-name=\"{name}\"")), "{tag}");
        assert!(!tag.contains("data-controller"), "{tag}");
        assert_eq!(html.matches(&format!(" id=\"{id}\"")).count(), 1, "{id}");
    }
    // Water is static: the states' tooltips never name it.
    let data = page_data(&html).to_string();
    assert!(!data.contains("Lac Débo") && !data.contains("\"Bani\""));
}

#[test]
fn the_page_speaks_french() {
    let html = page(Lang::Fr);
    assert!(html.contains("<html lang=\"fr\">"));
    for w in [
        "Lecture",
        "Changement suivant",
        "Qui contrôle le territoire",
        "Tombouctou",
    ] {
        assert!(html.contains(w), "{w}");
    }
}

#[test]
fn the_command_writes_one_file_and_refuses_another_extension() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "html",
            "--from",
            "2012-01-01",
            "--to",
            "2012-12-31",
            "--out",
            "sub/page.html",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.path().join("sub/page.html")).unwrap();
    assert!(text.contains("2012-04-01") && !text.contains("\"2013-01-28\""));
    let o = run_in(dir.path(), &["html", "--out", "map.png"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
    assert!(!dir.path().join("map.png").exists());
    let o = run_in(
        dir.path(),
        &["html", "--from", "2013-01-01", "--to", "2012-01-01"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Runs `script` in the page in headless Chromium (after the page's own script) and returns
/// what it wrote into `<pre id="probe">`.
fn probe(
    browser: &str,
    html: &str,
    fragment: &str,
    width: u32,
    extra: &[&str],
    script: &str,
) -> String {
    let dir = tempfile::tempdir().unwrap();
    let probed = html.replace(
        "</body>",
        &format!("<pre id=\"probe\"></pre><script>(function(){{var out=[];function log(x){{out.push(String(x));}}\n{script}\ndocument.getElementById('probe').textContent=out.join('\\n');}})();</script></body>"),
    );
    let path = dir.path().join("page.html");
    std::fs::write(&path, probed).unwrap();
    let url = format!("file://{}{fragment}", path.display());
    probe_text(&dump_dom(browser, dir.path(), &url, width, extra))
}

/// The page's DOM after its scripts ran, as headless Chromium dumps it.
fn dump_dom(browser: &str, home: &Path, url: &str, width: u32, extra: &[&str]) -> String {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        &format!("--window-size={width},1200"),
        "--virtual-time-budget=60000",
        "--dump-dom",
    ])
    .args(extra)
    .arg(url)
    .env("HOME", home);
    let out = cmd.output().expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).to_string();
    if !dom.contains("<pre id=\"probe\">") {
        panic!(
            "no probe in Chromium's DOM: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dom
}

/// What a probe wrote into `<pre id="probe">`.
fn probe_text(dom: &str) -> String {
    let at = dom.find("<pre id=\"probe\">").unwrap();
    let rest = &dom[at + "<pre id=\"probe\">".len()..];
    rest[..rest.find("</pre>").unwrap()]
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Issue 13.1: the page works inside an `<iframe>` of another page, as a CMS embeds it: the
/// fragment of the frame's address opens its date, the map is drawn at the frame's width (the
/// phone map in a narrow frame), and the keys move the slider. The page inside reports to the
/// host page by `postMessage`, the one channel between two `file://` documents.
#[test]
fn the_page_works_inside_an_iframe() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = page(Lang::En).replace(
        "</body>",
        r#"<script>(function(){
        var s = document.getElementById('cm-slider');
        var state = function () { return document.documentElement.getAttribute('data-state'); };
        var out = ['framed ' + (window.self !== window.top), 'open ' + state()];
        s.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));
        out.push('end ' + state());
        var narrow = document.querySelector('.cm-narrow-map');
        var wide = document.querySelector('.cm-wide-map');
        var seen = function (e) { return e && e.getBoundingClientRect().width > 0; };
        out.push('narrow ' + seen(narrow) + ' wide ' + seen(wide));
        parent.postMessage(out.join('\n'), '*');
        })();</script></body>"#,
    );
    std::fs::write(dir.path().join("mali.html"), html).unwrap();
    let host = r#"<!DOCTYPE html><html><body><p>An article about Mali.</p>
<iframe src="mali.html#2013-01-28" width="380" height="900" title="map"></iframe>
<pre id="probe">no message</pre>
<script>window.addEventListener('message', function (e) {
  document.getElementById('probe').textContent = e.data; });</script></body></html>"#;
    std::fs::write(dir.path().join("host.html"), host).unwrap();
    let url = format!("file://{}", dir.path().join("host.html").display());
    let out = probe_text(&dump_dom(&b, dir.path(), &url, 1280, &[]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.first(), Some(&"framed true"), "{out}");
    assert_eq!(lines[1], "open 2013-01-28", "{out}");
    assert!(lines[2].starts_with("end 2014-"), "{out}");
    assert_eq!(lines[3], "narrow true wide false", "{out}");
}

fn browser() -> Option<String> {
    chromium()
}

#[test]
fn the_slider_follows_the_aria_pattern_and_the_fragment() {
    let Some(b) = browser() else { return };
    let html = page(Lang::En);
    let out = probe(
        &b,
        &html,
        "#2013-01-28",
        1280,
        &[],
        r#"
        var s = document.getElementById('cm-slider');
        var key = function (k) { s.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true})); };
        var state = function () { return document.documentElement.getAttribute('data-state'); };
        log('open ' + state());
        key('ArrowRight'); log('right ' + state());
        key('ArrowLeft'); log('left ' + state());
        key('PageUp'); log('pageup ' + state());
        key('PageDown'); log('pagedown ' + state());
        var liveOpen = document.getElementById('cm-live').textContent;
        key('End'); log('end ' + state() + ' ' + location.hash);
        key('Home'); log('home ' + state());
        log('valuetext ' + s.getAttribute('aria-valuetext'));
        log('live ' + document.getElementById('cm-live').textContent);
        log('live changed ' + (liveOpen !== document.getElementById('cm-live').textContent));
        var shown = Array.prototype.filter.call(document.querySelectorAll('.cm-wide .cm-state'),
            function (g) { return g.style.display !== 'none'; }).length;
        log('shown ' + shown);
        "#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "open 2013-01-28", "{out}");
    let d = |l: &str| parse_date(l.split(' ').nth(1).unwrap()).unwrap();
    assert!(d(lines[1]) > d(lines[0]), "{out}");
    assert_eq!(lines[2], "left 2013-01-28", "{out}");
    // A month on: the last change on or before 28 Feb 2013; a month back from there: the last
    // change on or before that day a month earlier (each at least one change away).
    let mali = mali();
    let t = Timeline::new(&mali);
    let seq = mali.manifest.sequence.as_ref().unwrap();
    let dates: Vec<_> = change_states(&t, seq.from, seq.to)
        .iter()
        .map(|s| s.date)
        .collect();
    let last_on = |day: controlmap::date::Date| *dates.iter().filter(|x| **x <= day).max().unwrap();
    let up = d(lines[3]);
    assert_eq!(up, last_on(parse_date("2013-02-28").unwrap()), "{out}");
    assert!(
        up > last_on(parse_date("2013-02-08").unwrap()),
        "more than one step: {out}"
    );
    let month_back = up.checked_sub(jiff::Span::new().months(1)).unwrap();
    assert_eq!(
        d(lines[4]),
        last_on(month_back).min(dates[dates.iter().position(|x| *x == up).unwrap() - 1]),
        "{out}"
    );
    assert!(
        lines[5].starts_with("end 2014-") && lines[5].ends_with("#2014-05-21"),
        "{out}"
    );
    assert!(lines[6].starts_with("home 2012-01-0"), "{out}");
    assert!(
        lines[7].starts_with("valuetext 1 January 2012") || lines[7].contains("2012"),
        "{out}"
    );
    assert!(lines[8].len() > 40, "the description is announced: {out}");
    // Cross-fades may leave the previous state fading, never more.
    assert_eq!(lines[9], "live changed true", "{out}");
    let shown: usize = lines[10].split(' ').nth(1).unwrap().parse().unwrap();
    assert!((2..=4).contains(&shown), "{out}");
}

#[test]
fn play_stops_at_the_end_unless_looping() {
    let Some(b) = browser() else { return };
    let html = page(Lang::En);
    let out = probe(
        &b,
        &html,
        "#2014-05-01",
        1280,
        &[],
        r#"
        var play = document.getElementById('cm-play');
        document.getElementById('cm-speed').value = '4';
        log('label ' + play.getAttribute('aria-label'));
        play.click();
        log('playing ' + play.getAttribute('aria-label'));
        setTimeout(function () {
            log('after ' + document.documentElement.getAttribute('data-state') + ' ' + play.getAttribute('aria-label'));
            document.getElementById('probe').textContent = out.join('\n');
        }, 20000);
        "#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "label Play", "{out}");
    assert_eq!(lines[1], "playing Pause", "{out}");
    assert_eq!(lines[2], "after 2014-05-21 Play", "{out}");
}

#[test]
fn tooltips_say_who_since_when_and_on_whose_word() {
    let Some(b) = browser() else { return };
    let html = page(Lang::En);
    let out = probe(
        &b,
        &html,
        "#2013-01-20",
        1280,
        &[],
        r#"
        var t = document.querySelector('.cm-wide .cm-state[data-state] [data-territory="timbuktu"]');
        var visible = document.querySelector('.cm-wide .cm-state:not([style*="none"]) [data-territory="timbuktu"]');
        visible.focus();
        var tip = document.getElementById('cm-tip');
        log('hidden ' + tip.hidden);
        log('text ' + tip.textContent);
        log('links ' + tip.querySelectorAll('a[href^="http"]').length);
        log('tabindex ' + visible.getAttribute('tabindex'));
        "#,
    );
    assert!(out.contains("hidden false"), "{out}");
    assert!(
        out.contains("Timbuktu") && out.contains("Islamist"),
        "{out}"
    );
    assert!(out.contains("since 2012-"), "{out}");
    assert!(out.contains("Sources:"), "{out}");
    let links: usize = out
        .lines()
        .find_map(|l| l.strip_prefix("links "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(links >= 1, "{out}");
}

#[test]
fn reduced_motion_switches_at_once_and_phones_get_their_own_map() {
    let Some(b) = browser() else { return };
    let html = page(Lang::En);
    let out = probe(
        &b,
        &html,
        "#2013-01-28",
        375,
        &["--force-prefers-reduced-motion"],
        r#"
        var s = document.getElementById('cm-slider');
        s.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'}));
        var shown = Array.prototype.filter.call(document.querySelectorAll('.cm-narrow .cm-state'),
            function (g) { return g.style.display !== 'none'; }).length;
        log('shown ' + shown);
        log('wide ' + getComputedStyle(document.querySelector('.cm-wide')).display);
        log('narrow ' + getComputedStyle(document.querySelector('.cm-narrow')).display);
        log('legend ' + document.querySelector('.cm-narrow-legend').getBoundingClientRect().height);
        "#,
    );
    assert!(
        out.contains("shown 2"),
        "one state, control and annotations: {out}"
    );
    assert!(
        out.contains("wide none") && out.contains("narrow block"),
        "{out}"
    );
    let legend: f32 = out
        .lines()
        .find_map(|l| l.strip_prefix("legend "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(legend > 100.0, "the key sits under the phone map: {out}");
}

/// The page's desktop map as Chromium paints it, and as the PNG renderer draws the same scene:
/// at three dates, the two agree within the tolerance (Chromium's anti-aliasing and the page's
/// whole-pixel coordinates move edges by a pixel; colours and layout must not differ).
///
/// Tolerance: the mean absolute difference per channel is under 4 levels of 255, and 97 % of
/// pixels are within 48 levels on every channel.
#[test]
fn the_page_looks_like_the_png_of_the_same_date() {
    let Some(b) = browser() else { return };
    let d = mali();
    let page = html_page(&d, &HtmlRequest::default()).unwrap();
    let html = write_html(&page);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(&path, &html).unwrap();
    for day in ["2012-07-15", "2013-01-27", "2014-06-01"] {
        let k = page
            .states
            .iter()
            .rposition(|s| s.date <= parse_date(day).unwrap())
            .unwrap();
        let shot = dir.path().join(format!("{day}.png"));
        // The column is 1,200 px plus 8 px of padding each side.
        let out = Command::new(&b)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--force-prefers-reduced-motion",
                "--window-size=1216,1000",
                &format!("--screenshot={}", shot.display()),
                &format!("file://{}#{day}", path.display()),
            ])
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(shot.exists(), "{}", String::from_utf8_lossy(&out.stderr));
        let (sw, _, shot_rgb) = decode_png(&shot);
        let png = controlmap::render::png::draw(&page.wide[k]).unwrap();
        let (w, h) = (png.width() as usize, png.height() as usize);
        let (mut sum, mut close) = (0u64, 0usize);
        for y in 0..h {
            for x in 0..w {
                let p = png.pixel(x as u32, y as u32).unwrap().demultiply();
                let i = ((y + 8) * sw as usize + x + 8) * 3;
                let s = &shot_rgb[i..i + 3];
                let diffs = [
                    (i32::from(p.red()) - i32::from(s[0])).unsigned_abs(),
                    (i32::from(p.green()) - i32::from(s[1])).unsigned_abs(),
                    (i32::from(p.blue()) - i32::from(s[2])).unsigned_abs(),
                ];
                sum += u64::from(diffs.iter().sum::<u32>());
                close += usize::from(diffs.iter().all(|&x| x <= 48));
            }
        }
        let mean = sum as f64 / (w * h * 3) as f64;
        if std::env::var_os("CONTROLMAP_KEEP").is_some() {
            std::fs::copy(&shot, format!("/tmp/page-{day}.png")).unwrap();
            let bytes = controlmap::render::png::encode_png(&png).unwrap();
            std::fs::write(format!("/tmp/scene-{day}.png"), bytes).unwrap();
        }
        let share = close as f64 / (w * h) as f64;
        eprintln!("{day}: mean {mean:.2}, within 48: {share:.4}");
        assert!(
            mean < 4.0 && share > 0.97,
            "{day}: mean {mean:.2}, within 48: {share:.4}"
        );
    }
}

#[test]
fn nothing_is_requested_and_nothing_goes_wrong_in_the_browser() {
    let Some(b) = browser() else { return };
    // Listen from the very start, before the page's own script.
    let html = page(Lang::En).replacen(
        "<head>",
        "<head><script>window.__problems=[];\
         addEventListener('error',function(e){__problems.push('error '+e.message)});\
         document.addEventListener('securitypolicyviolation',function(e){__problems.push('blocked '+e.blockedURI)});\
         var __ce=console.error;console.error=function(){__problems.push('console '+[].join.call(arguments,' '));__ce.apply(console,arguments)};</script>",
        1,
    );
    let out = probe(
        &b,
        &html,
        "#2013-01-28",
        1280,
        &[],
        r#"
        var s = document.getElementById('cm-slider');
        ['ArrowRight', 'PageUp', 'End', 'Home'].forEach(function (k) {
            s.dispatchEvent(new KeyboardEvent('keydown', {key: k}));
        });
        document.getElementById('cm-play').click();
        document.getElementById('cm-play').click();
        log('problems ' + window.__problems.length + ' ' + window.__problems.join(' | '));
        log('resources ' + performance.getEntriesByType('resource').length);
        "#,
    );
    assert!(out.contains("problems 0 "), "{out}");
    assert!(out.contains("resources 0"), "{out}");
}

//! Many scenes to one interactive HTML page: a time slider over the states of a span, play and
//! step buttons, tooltips that say who held a place, since when and on whose word, and a
//! keyboard-accessible, screen-reader-announced timeline.
//!
//! The page is one self-contained file: its style, script, data and geometry are inline and a
//! Content-Security-Policy forbids every fetch, so it works from `file://`, offline and in an
//! `<iframe>`. It is drawn from scenes only (the same walk as the SVG writer, with the same
//! ids, classes and `data-*` attributes), never from the dataset: what the caller puts in
//! [`HtmlPage`] is all it knows.
//!
//! Size: the static layers (land, borders, labels, legend) are written once per map; each
//! state adds only its control layers, marks and annotations; coordinates are quantised to whole
//! pixels, and a path drawn more than once (a region that keeps its shape across states) is
//! written once in `<defs>` and referenced with `<use>`.

use std::collections::HashMap;
use std::fmt::Write;

use serde_json::json;

use super::svg::{escape, mark_attributes, opacity, write_text};
use super::walk::{Mark, SceneBackend, TextRun, id_scope, walk};
use crate::colour::Rgba;
use crate::date::Date;
use crate::lang::Lang;
use crate::scene::{Layer, Meta, Ring, Scene};

/// One state of the page: a date with its caption and its description.
#[derive(Debug, Clone)]
pub struct PageState {
    /// The day shown.
    pub date: Date,
    /// The date as a reader reads it ("15 July 2012").
    pub label: String,
    /// The latest event on or before the date, with its date, or nothing.
    pub caption: String,
    /// The map described in words (the text of `describe`).
    pub description: String,
}

/// A publication a tooltip can link to.
#[derive(Debug, Clone)]
pub struct PageReference {
    /// The id the scene's items cite.
    pub id: String,
    /// Publisher and date, as citations are written.
    pub short: String,
    /// Its title.
    pub title: String,
    /// Its address (or an archived copy's), when it has one.
    pub url: String,
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct HtmlPage {
    /// The language of the page's own words.
    pub lang: Lang,
    /// The title.
    pub title: String,
    /// The states in date order.
    pub states: Vec<PageState>,
    /// The desktop map of each state, in order, from one layout (so that the static layers
    /// are shared).
    pub wide: Vec<Scene>,
    /// The phone map of each state (a compact map), in order, from one layout.
    pub narrow: Vec<Scene>,
    /// The legend alone, drawn under the phone map.
    pub narrow_legend: Scene,
    /// Words for each controller id (`government` -> "Government of Mali and allies").
    pub holders: Vec<(String, String)>,
    /// The references the items cite.
    pub references: Vec<PageReference>,
    /// The credit line.
    pub credit: String,
}

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Paths shorter than this are written in place: a `<use>` would not save anything.
const SHARED_PATH_MIN: usize = 48;

/// Writes the page.
pub fn write_html(page: &HtmlPage) -> String {
    let lang = page.lang;
    let mut defs = Defs::default();
    let mut meanings = Meanings::default();
    let mut taken: Vec<String> = Vec::new();
    let initial = page.states.len().saturating_sub(1);
    let wide = map_svg(
        &page.wide,
        "cm-wide-map",
        initial,
        &mut defs,
        &mut meanings,
        &mut taken,
    );
    // The phone map shows the same states: its meanings are the desktop map's.
    let narrow = map_svg(
        &page.narrow,
        "cm-narrow-map",
        initial,
        &mut defs,
        &mut Meanings::default(),
        &mut taken,
    );
    let legend = map_svg(
        std::slice::from_ref(&page.narrow_legend),
        "cm-narrow-legend",
        0,
        &mut defs,
        &mut Meanings::default(),
        &mut taken,
    );
    let mut s = String::with_capacity(wide.len() + narrow.len() + defs.bytes + 16_384);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"controlmap\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <main class=\"cm\" id=\"cm\">\n<h1 class=\"cm-narrow-only\">{title}</h1>\n\
         <p class=\"cm-narrow-only cm-date\" id=\"cm-date\">{date}</p>\n<figure class=\"cm-figure\" id=\"cm-figure\">\n\
         <div class=\"cm-wide\">\n{wide}</div>\n<div class=\"cm-narrow\">\n{narrow}{legend}</div>\n\
         <figcaption id=\"cm-caption\" class=\"cm-narrow-only\">{caption}</figcaption>\n</figure>\n",
        code = lang.code(),
        title = escape(&page.title),
        date = escape(page.states.get(initial).map_or("", |x| &x.label)),
        caption = escape(page.states.get(initial).map_or("", |x| &x.caption)),
    );
    controls(&mut s, page, initial);
    sources(&mut s, page);
    let _ = write!(
        s,
        "<p class=\"cm-credit cm-narrow-only\">{}</p>\n</main>\n<svg class=\"cm-defs\" aria-hidden=\"true\" focusable=\"false\"><defs>\n{}</defs></svg>\n",
        escape(&page.credit),
        defs.out
    );
    let data = json!({
        "lang": lang.code(),
        "title": page.title,
        "states": page.states.iter().map(|x| json!({
            "date": x.date.to_string(),
            "label": x.label,
            "caption": x.caption,
            "description": x.description,
        })).collect::<Vec<_>>(),
        "holders": page.holders.iter().map(|(k, v)| (k.clone(), json!(v)))
            .collect::<serde_json::Map<_, _>>(),
        "references": page.references.iter().map(|r| (r.id.clone(), json!({"short": r.short, "url": r.url})))
            .collect::<serde_json::Map<_, _>>(),
        "words": words(lang),
        "meanings": meanings.list,
        "stateMeanings": meanings.states,
    });
    // `</` cannot appear inside a script element.
    let data = serde_json::to_string(&data)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    let _ = write!(
        s,
        "<script type=\"application/json\" id=\"cm-data\">{data}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    s
}

/// The page's own words, in its language.
fn words(lang: Lang) -> serde_json::Value {
    let w = |en: &str, fr: &str| lang.pick(en, fr).to_string();
    json!({
        "play": w("Play", "Lecture"),
        "pause": w("Pause", "Pause"),
        "since": w("since", "depuis le"),
        "contested": w("Contested between", "Disputé entre"),
        "and": w("and", "et"),
        "confidence": w("Confidence", "Fiabilité"),
        "confirmed": w("confirmed", "confirmé"),
        "approximate": w("approximate (date or holder uncertain)", "approximatif (date ou détenteur incertain)"),
        "sources": w("Sources", "Sources"),
        "noRecord": w("No record for this date", "Pas de données à cette date"),
    })
}

fn controls(s: &mut String, page: &HtmlPage, initial: usize) {
    let w = |en: &'static str, fr: &'static str| page.lang.pick(en, fr);
    let last = page.states.len().saturating_sub(1);
    let valuetext = page.states.get(initial).map_or(String::new(), valuetext);
    let _ = write!(
        s,
        "<div class=\"cm-controls\" role=\"group\" aria-label=\"{group}\">\n\
         <button type=\"button\" id=\"cm-prev\" aria-label=\"{prev}\" title=\"{prev}\">&#9664;&#9664;</button>\n\
         <button type=\"button\" id=\"cm-play\" aria-label=\"{play}\" title=\"{play}\">&#9654;</button>\n\
         <button type=\"button\" id=\"cm-next\" aria-label=\"{next}\" title=\"{next}\">&#9654;&#9654;</button>\n\
         <input type=\"range\" id=\"cm-slider\" min=\"0\" max=\"{last}\" step=\"1\" value=\"{initial}\" aria-label=\"{date}\" aria-valuetext=\"{valuetext}\">\n\
         <label class=\"cm-speed\">{speed} <select id=\"cm-speed\">\
         <option value=\"0.5\">0.5&#215;</option><option value=\"1\" selected>1&#215;</option>\
         <option value=\"2\">2&#215;</option><option value=\"4\">4&#215;</option></select></label>\n\
         <label class=\"cm-loop\"><input type=\"checkbox\" id=\"cm-loop\"> {loop_}</label>\n</div>\n\
         <p id=\"cm-live\" class=\"cm-sr\" aria-live=\"polite\"></p>\n\
         <div id=\"cm-tip\" class=\"cm-tip\" role=\"tooltip\" hidden></div>\n",
        group = w("Timeline", "Chronologie"),
        prev = w("Previous change", "Changement précédent"),
        play = w("Play", "Lecture"),
        next = w("Next change", "Changement suivant"),
        date = w("Date", "Date"),
        speed = w("Speed", "Vitesse"),
        loop_ = w("Loop", "En boucle"),
        valuetext = escape(&valuetext),
    );
}

/// What a screen reader says of a slider position: the date and the event caption.
fn valuetext(state: &PageState) -> String {
    if state.caption.is_empty() {
        state.label.clone()
    } else {
        format!("{}: {}", state.label, state.caption)
    }
}

fn sources(s: &mut String, page: &HtmlPage) {
    if page.references.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "<details class=\"cm-sources\"><summary>{}</summary><ol>",
        page.lang.pick("Sources", "Sources")
    );
    for r in &page.references {
        let short = escape(&r.short);
        let title = escape(&r.title);
        if is_web(&r.url) {
            let _ = writeln!(
                s,
                "<li id=\"ref-{}\"><a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{short}</a>: <cite>{title}</cite></li>",
                escape(&r.id),
                escape(&r.url)
            );
        } else {
            let _ = writeln!(
                s,
                "<li id=\"ref-{}\">{short}: <cite>{title}</cite></li>",
                escape(&r.id)
            );
        }
    }
    s.push_str("</ol></details>\n");
}

/// Only web addresses become links (a `javascript:` address in a dataset must not).
fn is_web(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

/// One `<svg>` for the scenes of one layout: the static layers once, and each state's
/// control layers and annotations in a group of their own (`data-state`); only `shown` is
/// displayed until the script takes over.
fn map_svg(
    scenes: &[Scene],
    class: &str,
    shown: usize,
    defs: &mut Defs,
    meanings: &mut Meanings,
    taken: &mut Vec<String>,
) -> String {
    let Some(first) = scenes.first() else {
        return String::new();
    };
    let (w, h) = (first.width, first.height);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"{class}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        escape(&first.title),
        first.background.hex()
    );
    // Each state's layers are named `map-K-…` so that the walk scopes their ids per state.
    let per_state = |k: usize, layers: &[Layer]| -> Vec<Layer> {
        layers
            .iter()
            .map(|l| Layer {
                name: format!("map-{}-{}", k + 1, l.name),
                ..l.clone()
            })
            .collect()
    };
    let control: Vec<Layer> = scenes
        .iter()
        .enumerate()
        .flat_map(|(k, s)| per_state(k, &s.control))
        .collect();
    let annotations: Vec<Layer> = scenes
        .iter()
        .enumerate()
        .flat_map(|(k, s)| {
            let mut layers = per_state(k, &s.marks);
            layers.extend(per_state(k, &s.annotations));
            layers
        })
        .collect();
    let layers = first
        .underlay
        .iter()
        .chain(&control)
        .chain(first.water.iter())
        .chain(first.overlay.iter())
        .chain(&annotations);
    let reserved: Vec<&str> = taken.iter().map(String::as_str).collect();
    let mut writer = PageWriter {
        out,
        defs,
        meanings,
        state: None,
        shown,
        ids: Vec::new(),
        grouped: false,
    };
    walk(&mut writer, layers, &reserved);
    writer.close_state();
    let PageWriter { mut out, ids, .. } = writer;
    taken.extend(ids);
    out.push_str("</svg>\n");
    out
}

/// Paths and whole elements written once and referenced by `<use>`.
#[derive(Default)]
struct Defs {
    paths: HashMap<String, usize>,
    elements: HashMap<String, usize>,
    out: String,
    bytes: usize,
}

impl Defs {
    fn id_of(&mut self, d: String) -> usize {
        let next = self.paths.len();
        let out = &mut self.out;
        let bytes = &mut self.bytes;
        *self.paths.entry(d).or_insert_with_key(|d| {
            let _ = writeln!(out, "<path id=\"cm-p{next}\" d=\"{d}\"/>");
            *bytes += d.len() + 24;
            next
        })
    }

    /// The id of an element (markup starting with its tag name, without an id), written into
    /// `<defs>` the first time it is seen.
    fn element(&mut self, markup: String) -> usize {
        let next = self.elements.len();
        let out = &mut self.out;
        let bytes = &mut self.bytes;
        *self.elements.entry(markup).or_insert_with_key(|m| {
            let tag = m.find([' ', '/', '>']).unwrap_or(m.len());
            let _ = writeln!(out, "{} id=\"cm-e{next}\"{}", &m[..tag], &m[tag..]);
            *bytes += m.len() + 16;
            next
        })
    }
}

/// What the territories of each state show, for the tooltips: each distinct meaning once,
/// and per state the meaning of each territory.
#[derive(Default)]
struct Meanings {
    index: HashMap<String, usize>,
    list: Vec<serde_json::Value>,
    states: Vec<std::collections::BTreeMap<String, usize>>,
}

impl Meanings {
    fn note(&mut self, state: usize, meta: &Meta) {
        if self.states.len() <= state {
            self.states.resize_with(state + 1, Default::default);
        }
        if self.states[state].contains_key(&meta.territory) {
            return;
        }
        let v = json!({
            "name": meta.name,
            "controller": meta.controller,
            "parties": meta.parties,
            "since": meta.since.map(|d| d.to_string()),
            "confidence": meta.confidence.map(|c| c.as_str()),
            "refs": meta.refs,
        });
        let key = v.to_string();
        let next = self.list.len();
        let k = *self.index.entry(key).or_insert(next);
        if k == next {
            self.list.push(v);
        }
        self.states[state].insert(meta.territory.clone(), k);
    }
}

struct PageWriter<'a> {
    out: String,
    defs: &'a mut Defs,
    meanings: &'a mut Meanings,
    /// The state whose group is open.
    state: Option<usize>,
    shown: usize,
    ids: Vec<String>,
    /// Inside a territory group of a state (the group carries the territory).
    grouped: bool,
}

impl PageWriter<'_> {
    fn close_state(&mut self) {
        if self.state.take().is_some() {
            self.out.push_str("</g>\n");
        }
    }

    /// A path element's markup (a `<use>` of a shared path when it is long).
    fn path_markup(&mut self, d: String, attributes: &str) -> String {
        if d.len() >= SHARED_PATH_MIN {
            let k = self.defs.id_of(d);
            format!("<use href=\"#cm-p{k}\"{attributes}/>")
        } else {
            format!("<path d=\"{d}\"{attributes}/>")
        }
    }

    /// Writes an item: in place in a static layer (with its id and meaning as in the SVG); in
    /// a state, as a `<use>` of the element written once in `<defs>`, carrying only its
    /// territory (the meaning goes to the tooltips' table).
    fn put(&mut self, mark: Mark, element: impl FnOnce(&mut Self, &str) -> String) {
        match self.state {
            None => {
                if let Some(id) = mark.id {
                    self.ids.push(id.to_string());
                }
                let markup = element(self, &mark_attributes(mark));
                self.out.push_str(&markup);
                self.out.push('\n');
            }
            Some(k) => {
                let class = mark.meta.map_or(String::new(), |m| {
                    format!(
                        " class=\"{}\"",
                        escape(&super::svg::classes(m, Some(m.part)))
                    )
                });
                let markup = element(self, &class);
                let e = self.defs.element(markup);
                match mark.meta {
                    Some(m) => {
                        self.meanings.note(k, m);
                        if self.grouped {
                            let _ = writeln!(self.out, "<use href=\"#cm-e{e}\"/>");
                        } else {
                            let _ = writeln!(
                                self.out,
                                "<use href=\"#cm-e{e}\" data-territory=\"{}\"/>",
                                escape(&m.territory)
                            );
                        }
                    }
                    None => {
                        let _ = writeln!(self.out, "<use href=\"#cm-e{e}\"/>");
                    }
                }
            }
        }
    }
}

/// Path data in whole pixels, relative after the first point of each ring (short numbers),
/// repeated points dropped.
fn quantised(rings: &[Ring], close: bool) -> String {
    let mut d = String::new();
    for ring in rings {
        let mut last: Option<(i32, i32)> = None;
        for p in ring {
            let q = (p[0].round() as i32, p[1].round() as i32);
            match last {
                Some(l) if l == q => continue,
                Some(l) => {
                    let (dx, dy) = (q.0 - l.0, q.1 - l.1);
                    // A minus sign separates numbers by itself.
                    if !d.ends_with(['M', 'l']) && dx >= 0 {
                        d.push(' ');
                    }
                    let _ = write!(d, "{dx}");
                    if dy >= 0 {
                        d.push(' ');
                    }
                    let _ = write!(d, "{dy}");
                }
                None => {
                    let _ = write!(d, "M{} {}l", q.0, q.1);
                }
            }
            last = Some(q);
        }
        if d.ends_with('l') {
            d.pop();
        }
        if close && last.is_some() {
            d.push('z');
        }
    }
    d
}

impl SceneBackend for PageWriter<'_> {
    /// The page leaves the relief out: it would be one full-size picture per state in a page
    /// meant to stay under a megabyte, and the page's maps are read for who holds what.
    fn raster(&mut self, _x: f32, _y: f32, _w: u32, _h: u32, _pixels: &[u8], _mark: Mark) {}

    fn begin_layer(&mut self, layer: &Layer, id: &str) {
        let scope = id_scope(&layer.name);
        let state = scope
            .strip_prefix("map-")
            .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
            .map(|k| k - 1);
        if state != self.state {
            self.close_state();
            if let Some(k) = state {
                let hidden = if k == self.shown {
                    ""
                } else {
                    " style=\"display:none\""
                };
                let _ = writeln!(
                    self.out,
                    "<g class=\"cm-state\" data-state=\"{k}\"{hidden}>"
                );
                self.state = Some(k);
            }
        }
        let name = layer.name.strip_prefix(scope).unwrap_or(&layer.name);
        let _ = writeln!(
            self.out,
            "<g id=\"{}\" class=\"cm-layer cm-layer-{}\">",
            escape(id),
            escape(name)
        );
        self.ids.push(id.to_string());
    }

    fn end_layer(&mut self) {
        self.out.push_str("</g>\n");
    }

    fn begin_group(&mut self, meta: &Meta, id: &str) {
        if let Some(k) = self.state {
            self.meanings.note(k, meta);
            self.grouped = true;
            let _ = writeln!(
                self.out,
                "<g data-territory=\"{}\">",
                escape(&meta.territory)
            );
            return;
        }
        let _ = writeln!(
            self.out,
            "<g id=\"{}\" class=\"{}\"{}>",
            escape(id),
            escape(&super::svg::classes(meta, None)),
            super::svg::data_attributes(meta)
        );
        self.ids.push(id.to_string());
    }

    fn end_group(&mut self) {
        self.grouped = false;
        self.out.push_str("</g>\n");
    }

    fn fill(&mut self, rings: &[Ring], colour: Rgba, mark: Mark) {
        let paint = format!(
            " fill=\"{}\"{} fill-rule=\"evenodd\"",
            colour.hex(),
            opacity(colour.a, "fill-opacity")
        );
        let d = quantised(rings, true);
        self.put(mark, |w, attributes| {
            w.path_markup(d, &format!("{attributes}{paint}"))
        });
    }

    fn stroke(&mut self, lines: &[Ring], closed: bool, colour: Rgba, width: f32, mark: Mark) {
        let paint = format!(
            " fill=\"none\" stroke=\"{}\"{} stroke-width=\"{:.2}\" stroke-linejoin=\"round\"",
            colour.hex(),
            opacity(colour.a, "stroke-opacity"),
            width
        );
        let d = quantised(lines, closed);
        self.put(mark, |w, attributes| {
            w.path_markup(d, &format!("{attributes}{paint}"))
        });
    }

    fn text(&mut self, run: TextRun, mark: Mark) {
        self.put(mark, |_, attributes| {
            let mut s = String::new();
            write_text(&mut s, attributes, run);
            s.trim_end().to_string()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_whole_pixels_without_repeats() {
        let ring = vec![[0.2, 0.4], [0.4, 0.1], [10.6, 0.0], [10.4, 9.6], [3.0, 2.0]];
        assert_eq!(quantised(&[ring], true), "M0 0l11 0-1 10-7-8z");
        assert_eq!(quantised(&[vec![[5.0, 5.0]]], false), "M5 5");
    }

    #[test]
    fn a_path_used_twice_is_written_once() {
        let mut defs = Defs::default();
        let a = defs.id_of("M0 0L100 0L100 100Z".repeat(4));
        let b = defs.id_of("M0 0L100 0L100 100Z".repeat(4));
        let c = defs.id_of("M1 1L2 2".into());
        assert_eq!((a, b, c), (0, 0, 1));
        assert_eq!(defs.out.matches("<path").count(), 2);
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(is_web("https://example.org/a"));
        assert!(!is_web("javascript:alert(1)"));
        assert!(!is_web(""));
    }
}

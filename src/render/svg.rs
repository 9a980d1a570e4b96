//! Scenes to SVG: one `<g>` per layer (also an Inkscape layer), real `<text>` so that the map
//! stays editable in Inkscape or Illustrator, and each item's meaning written as attributes so
//! that CSS and scripts can find it.
//!
//! An item that stands for a territory gets
//! - an `id` from its territory and part: `ML-8` (a region's fill), `ML-8-hatch`,
//!   `town-timbuktu-marker`; in a grid, the cell's layer prefix (`map-2-`) comes first, so ids
//!   stay unique in a scene that holds several maps;
//! - `class="controller-<id> kind-<kind> part-<part>"`;
//! - `data-territory`, `data-name`, `data-controller`, `data-parties` (space-separated faction
//!   ids), `data-since` (ISO date), `data-confidence` and `data-refs` (the record's references,
//!   `; `-separated as in `control.csv`) on the item, or on the `<g>` that groups the
//!   consecutive items of one territory in a layer (a town's marker parts, later its label):
//!   `element.closest('[data-territory]')` finds them either way.
//!
//! A label whose text is its territory's name in capitals is written in natural case with
//! `text-transform:uppercase`, so the text stays the name and the capitals are style.

use std::collections::HashSet;
use std::fmt::Write;

use crate::colour::Rgba;
use crate::scene::{Align, Item, Layer, Meta, Part, Scene};

/// Escapes text for XML content and attributes.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

/// A word fit for an id or a class token: whitespace and quotes become `-`.
fn token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '&') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

fn path_data(rings: &[crate::scene::Ring], close: bool) -> String {
    let mut d = String::new();
    for ring in rings {
        for (k, p) in ring.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1} {:.1}",
                if k == 0 { "M" } else { "L" },
                p[0],
                p[1]
            );
        }
        if close && !ring.is_empty() {
            d.push('Z');
        }
    }
    d
}

fn opacity(a: u8, attr: &str) -> String {
    if a == 255 {
        String::new()
    } else {
        format!(" {attr}=\"{:.3}\"", f32::from(a) / 255.0)
    }
}

/// The id prefix of a layer: `map-K-` for the layers of grid cell K (the grid names them
/// `map-K-<name>`), nothing otherwise.
pub fn id_scope(layer_name: &str) -> &str {
    let Some(rest) = layer_name.strip_prefix("map-") else {
        return "";
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && rest.as_bytes().get(digits) == Some(&b'-') {
        &layer_name[..4 + digits + 1]
    } else {
        ""
    }
}

/// The id of a territory's drawing, before its part: `ML-8` for a region, `town-gao` for a town,
/// `<kind>-<id>` for other kinds.
fn territory_base(meta: &Meta) -> String {
    if meta.kind == "region" {
        token(&meta.territory)
    } else {
        format!("{}-{}", token(meta.kind), token(&meta.territory))
    }
}

/// The attributes that say what a territory's drawing shows (all but id and class).
fn data_attributes(meta: &Meta) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        " data-territory=\"{}\" data-name=\"{}\" data-controller=\"{}\"",
        escape(&meta.territory),
        escape(&meta.name),
        escape(&meta.controller)
    );
    if !meta.parties.is_empty() {
        let _ = write!(s, " data-parties=\"{}\"", escape(&meta.parties.join(" ")));
    }
    if let Some(d) = meta.since {
        let _ = write!(s, " data-since=\"{d}\"");
    }
    if let Some(c) = meta.confidence {
        let _ = write!(s, " data-confidence=\"{}\"", c.as_str());
    }
    if !meta.refs.is_empty() {
        let _ = write!(s, " data-refs=\"{}\"", escape(&meta.refs.join("; ")));
    }
    s
}

fn classes(meta: &Meta, part: Option<Part>) -> String {
    let mut c = format!(
        "controller-{} kind-{}",
        token(&meta.controller),
        token(meta.kind)
    );
    if let Some(p) = part {
        c.push_str(" part-");
        c.push_str(p.as_str());
    }
    c
}

/// Writes a scene as an SVG document.
pub fn write_svg(scene: &Scene) -> String {
    let mut w = SvgWriter::new(scene);
    for layer in scene.layers() {
        w.layer(layer);
    }
    w.finish()
}

/// The layered SVG writer: it hands out unique ids and groups a territory's consecutive items.
struct SvgWriter {
    out: String,
    ids: HashSet<String>,
}

impl SvgWriter {
    fn new(scene: &Scene) -> SvgWriter {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"map-title map-desc\">",
            w = scene.width,
            h = scene.height
        );
        let _ = writeln!(
            s,
            "<title id=\"map-title\">{}</title>",
            escape(&scene.title)
        );
        let _ = writeln!(
            s,
            "<desc id=\"map-desc\">{}</desc>",
            escape(&scene.description)
        );
        let _ = writeln!(
            s,
            "<style>text{{font-family:'DejaVu Sans',Verdana,Arial,sans-serif}}</style>"
        );
        let _ = writeln!(
            s,
            "<rect id=\"background\" width=\"100%\" height=\"100%\" fill=\"{}\"/>",
            scene.background.hex()
        );
        let mut ids = HashSet::new();
        for fixed in ["map-title", "map-desc", "background"] {
            ids.insert(fixed.to_string());
        }
        SvgWriter { out: s, ids }
    }

    /// `wanted` if no element has it yet, else `wanted-2`, `wanted-3`…
    fn unique(&mut self, wanted: String) -> String {
        if self.ids.insert(wanted.clone()) {
            return wanted;
        }
        let mut k = 2;
        loop {
            let c = format!("{wanted}-{k}");
            if self.ids.insert(c.clone()) {
                return c;
            }
            k += 1;
        }
    }

    fn layer(&mut self, layer: &Layer) {
        let id = self.unique(token(&layer.name));
        let _ = writeln!(
            self.out,
            "<g id=\"{id}\" inkscape:groupmode=\"layer\" inkscape:label=\"{}\">",
            escape(&layer.name)
        );
        let scope = id_scope(&layer.name).to_string();
        let items = &layer.items;
        let mut k = 0;
        while k < items.len() {
            // The run of consecutive items of one territory.
            let mut end = k + 1;
            if let Some(m) = items[k].meta() {
                while end < items.len()
                    && items[end]
                        .meta()
                        .is_some_and(|n| n.territory == m.territory && n.kind == m.kind)
                {
                    end += 1;
                }
            }
            match items[k].meta() {
                Some(m) if end - k > 1 => {
                    let base = format!("{scope}{}", territory_base(m));
                    let gid = self.unique(base.clone());
                    let _ = writeln!(
                        self.out,
                        "<g id=\"{gid}\" class=\"{}\"{}>",
                        classes(m, None),
                        data_attributes(m)
                    );
                    for item in &items[k..end] {
                        let part = item.meta().map_or(Part::Fill, |m| m.part);
                        let id = self.unique(format!("{base}-{}", part.as_str()));
                        let attrs = format!(
                            " id=\"{id}\" class=\"{}\"",
                            classes(item.meta().unwrap_or(m), Some(part))
                        );
                        self.item(item, &attrs);
                    }
                    self.out.push_str("</g>\n");
                }
                Some(m) => {
                    let base = format!("{scope}{}", territory_base(m));
                    let wanted = match m.part {
                        Part::Fill => base,
                        p => format!("{base}-{}", p.as_str()),
                    };
                    let id = self.unique(wanted);
                    let attrs = format!(
                        " id=\"{id}\" class=\"{}\"{}",
                        classes(m, Some(m.part)),
                        data_attributes(m)
                    );
                    self.item(&items[k], &attrs);
                }
                None => {
                    let attrs = match &items[k] {
                        Item::Fill { id: Some(i), .. } => {
                            format!(" id=\"{}\"", self.unique(format!("{scope}{}", token(i))))
                        }
                        _ => String::new(),
                    };
                    self.item(&items[k], &attrs);
                }
            }
            k = end;
        }
        self.out.push_str("</g>\n");
    }

    /// Writes one item; `attrs` (id, class, data) go first.
    fn item(&mut self, item: &Item, attrs: &str) {
        let s = &mut self.out;
        match item {
            Item::Fill { rings, colour, .. } => {
                let _ = writeln!(
                    s,
                    "<path{attrs} d=\"{}\" fill=\"{}\"{} fill-rule=\"evenodd\"/>",
                    path_data(rings, true),
                    colour.hex(),
                    opacity(colour.a, "fill-opacity")
                );
            }
            Item::Stroke {
                lines,
                closed,
                colour,
                width,
                ..
            } => {
                let _ = writeln!(
                    s,
                    "<path{attrs} d=\"{}\" fill=\"none\" stroke=\"{}\"{} stroke-width=\"{:.2}\" stroke-linejoin=\"round\"/>",
                    path_data(lines, *closed),
                    colour.hex(),
                    opacity(colour.a, "stroke-opacity"),
                    width
                );
            }
            Item::Text {
                x,
                y,
                text,
                size,
                bold,
                colour,
                align,
                halo,
                meta,
            } => {
                write_text(
                    s,
                    attrs,
                    TextSpec {
                        x: *x,
                        y: *y,
                        text,
                        size: *size,
                        bold: *bold,
                        colour: *colour,
                        align: *align,
                        halo: *halo,
                    },
                    meta.as_deref(),
                );
            }
        }
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

struct TextSpec<'a> {
    x: f32,
    y: f32,
    text: &'a str,
    size: f32,
    bold: bool,
    colour: Rgba,
    align: Align,
    halo: Option<Rgba>,
}

fn write_text(s: &mut String, attrs: &str, t: TextSpec, meta: Option<&Meta>) {
    let anchor = match t.align {
        Align::Start => "start",
        Align::Middle => "middle",
        Align::End => "end",
    };
    let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
    let halo_attr = t.halo.map_or(String::new(), |h| {
        format!(
            " stroke=\"{}\"{} stroke-width=\"{:.1}\" paint-order=\"stroke\" stroke-linejoin=\"round\"",
            h.hex(),
            opacity(h.a, "stroke-opacity"),
            (t.size * 0.2).clamp(2.0, 6.0)
        )
    });
    // Capitals that are only style: write the name, and capitalise it with CSS.
    let (content, caps) = match meta {
        Some(m) if m.name != t.text && m.name.to_uppercase() == t.text => {
            (m.name.as_str(), " style=\"text-transform:uppercase\"")
        }
        _ => (t.text, ""),
    };
    let _ = writeln!(
        s,
        "<text{attrs} x=\"{:.1}\" y=\"{:.1}\" font-size=\"{:.2}\"{weight} text-anchor=\"{anchor}\" fill=\"{}\"{}{halo_attr}{caps}>{}</text>",
        t.x,
        t.y,
        // CSS sizes text by its em square; the scene by the face's full height.
        crate::scene::text::em(t.size, t.bold),
        t.colour.hex(),
        opacity(t.colour.a, "fill-opacity"),
        escape(content)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_cell_layers_scope_their_ids() {
        assert_eq!(id_scope("map-12-regions"), "map-12-");
        assert_eq!(id_scope("map-3-frame"), "map-3-");
        assert_eq!(id_scope("regions"), "");
        assert_eq!(id_scope("map-legend"), "");
        assert_eq!(id_scope("map-7"), "");
    }
}

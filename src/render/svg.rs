//! Scenes to SVG: one `<g>` per layer (also an Inkscape layer), real `<text>` so that the map
//! stays editable in Inkscape or Illustrator, and each item's meaning written as attributes so
//! that CSS and scripts can find it.
//!
//! An item that stands for a territory gets
//! - an `id` from its territory and part: `ML-8` (a region's fill), `ML-8-hatch` (a contest's
//!   two sets of lines: `ML-8-hatch` and `ML-8-hatch-2` in `ML-8-hatch-group`),
//!   `town-timbuktu-marker`; in a grid, the cell's layer prefix (`map-2-`) comes first, so ids
//!   stay unique in a scene that holds several maps;
//! - `class="controller-<id> kind-<kind> part-<part>"`;
//! - `data-territory`, `data-name`, `data-controller`, `data-parties` (space-separated faction
//!   ids), `data-since` (ISO date), `data-confidence` and `data-refs` (the record's references,
//!   `; `-separated as in `control.csv`) on the item, or on the `<g>` that groups the
//!   consecutive items of one territory in a layer (a town's marker parts, later its label):
//!   `element.closest('[data-territory]')` finds them either way.
//!
//! A label is written as drawn, a region's name in capitals too: Inkscape ignores CSS
//! `text-transform`, so capitals left to style came out in natural case and at another width
//! there. The name as written in the data stays in `data-name`.

use std::fmt::Write;

use super::walk::{Mark, SceneBackend, TextRun, token, walk};
use crate::colour::Rgba;
use crate::decimal::{fixed, push_fixed};
use crate::scene::{Align, Layer, Meta, Part, Ring, Scene};

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

fn path_data(rings: &[Ring], close: bool) -> String {
    let mut d = String::new();
    for ring in rings {
        for (k, p) in ring.iter().enumerate() {
            // A point a hair above or left of the image prints as 0.0, never -0.0.
            d.push(if k == 0 { 'M' } else { 'L' });
            push_fixed(&mut d, f64::from(p[0]), 1);
            d.push(' ');
            push_fixed(&mut d, f64::from(p[1]), 1);
        }
        if close && !ring.is_empty() {
            d.push('Z');
        }
    }
    d
}

pub(crate) fn opacity(a: u8, attr: &str) -> String {
    if a == 255 {
        String::new()
    } else {
        format!(" {attr}=\"{:.3}\"", f32::from(a) / 255.0)
    }
}

/// The attributes that say what a territory's drawing shows (all but id and class).
pub(crate) fn data_attributes(meta: &Meta) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        " data-territory=\"{}\" data-name=\"{}\"",
        escape(&meta.territory),
        escape(&meta.name),
    );
    // Water and other context is held by no one: it has no controller to write.
    if !meta.controller.is_empty() {
        let _ = write!(s, " data-controller=\"{}\"", escape(&meta.controller));
    }
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

pub(crate) fn classes(meta: &Meta, part: Option<Part>) -> String {
    let mut c = if meta.controller.is_empty() {
        format!("kind-{}", token(meta.kind))
    } else {
        format!(
            "controller-{} kind-{}",
            token(&meta.controller),
            token(meta.kind)
        )
    };
    if let Some(p) = part {
        c.push_str(" part-");
        c.push_str(p.as_str());
    }
    c
}

/// Writes a scene as an SVG document.
pub fn write_svg(scene: &Scene) -> String {
    let mut w = SvgWriter::new(scene);
    walk(
        &mut w,
        scene.layers(),
        &["map-title", "map-desc", "background"],
    );
    w.finish()
}

/// The layered SVG writer: a `<g>` per layer and per territory group, an element per item with
/// the id and meaning the walk hands it.
struct SvgWriter {
    out: String,
}

impl SvgWriter {
    fn new(scene: &Scene) -> SvgWriter {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xml:space=\"preserve\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"map-title map-desc\">",
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
            "<style>text{{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;white-space:pre}}</style>"
        );
        // A transparent background (frames to lay over footage) is no rectangle at all.
        if scene.background.a > 0 {
            let _ = writeln!(
                s,
                "<rect id=\"background\" width=\"100%\" height=\"100%\" fill=\"{}\"/>",
                scene.background.hex()
            );
        }
        SvgWriter { out: s }
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// id, class and (outside a group) data attributes of an item.
pub(crate) fn mark_attributes(mark: Mark) -> String {
    let mut s = String::new();
    if let Some(id) = mark.id {
        let _ = write!(s, " id=\"{}\"", escape(id));
    }
    if let Some(m) = mark.meta {
        let _ = write!(s, " class=\"{}\"", escape(&classes(m, Some(m.part))));
        if !mark.grouped {
            s.push_str(&data_attributes(m));
        }
    }
    s
}

impl SceneBackend for SvgWriter {
    fn begin_layer(&mut self, layer: &Layer, id: &str) {
        let _ = writeln!(
            self.out,
            "<g id=\"{}\" inkscape:groupmode=\"layer\" inkscape:label=\"{}\">",
            escape(id),
            escape(&layer.name)
        );
    }

    fn end_layer(&mut self) {
        self.out.push_str("</g>\n");
    }

    fn begin_group(&mut self, meta: &Meta, id: &str) {
        let _ = writeln!(
            self.out,
            "<g id=\"{}\" class=\"{}\"{}>",
            escape(id),
            escape(&classes(meta, None)),
            data_attributes(meta)
        );
    }

    fn end_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    fn fill(&mut self, rings: &[Ring], colour: Rgba, mark: Mark) {
        let _ = writeln!(
            self.out,
            "<path{} d=\"{}\" fill=\"{}\"{} fill-rule=\"evenodd\"/>",
            mark_attributes(mark),
            path_data(rings, true),
            colour.hex(),
            opacity(colour.a, "fill-opacity")
        );
    }

    fn stroke(&mut self, lines: &[Ring], closed: bool, colour: Rgba, width: f32, mark: Mark) {
        let _ = writeln!(
            self.out,
            "<path{} d=\"{}\" fill=\"none\" stroke=\"{}\"{} stroke-width=\"{:.2}\" stroke-linejoin=\"round\"/>",
            mark_attributes(mark),
            path_data(lines, closed),
            colour.hex(),
            opacity(colour.a, "stroke-opacity"),
            width
        );
    }

    fn text(&mut self, run: TextRun, mark: Mark) {
        write_text(&mut self.out, &mark_attributes(mark), run);
    }

    fn raster(&mut self, x: f32, y: f32, width: u32, height: u32, pixels: &[u8], mark: Mark) {
        let straight = super::png::unpremultiply(pixels.to_vec());
        // Encoding into memory cannot fail for a well-formed picture; a picture that cannot be
        // encoded is left out rather than written broken.
        let Ok(png) = super::png::encode_png_rgba(width, height, &straight) else {
            return;
        };
        // xlink:href (SVG 1.1) rather than SVG 2's bare href: Inkscape 1.2 draws only the former.
        let _ = writeln!(
            self.out,
            "<image{} x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,{}\"/>",
            mark_attributes(mark),
            base64(&png)
        );
    }
}

/// Standard base64 with padding (RFC 4648), for data URIs.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &b)| n | u32::from(b) << (16 - 8 * k));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn write_text(s: &mut String, attrs: &str, t: TextRun) {
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
            2.0 * crate::scene::text::halo_radius(t.size)
        )
    });
    let _ = writeln!(
        s,
        "<text{attrs} x=\"{}\" y=\"{}\" font-size=\"{:.2}\"{weight} text-anchor=\"{anchor}\" fill=\"{}\"{}{halo_attr}>{}</text>",
        fixed(f64::from(t.x), 1),
        fixed(f64::from(t.y), 1),
        // CSS sizes text by its em square; the scene by the face's full height.
        crate::scene::text::em(t.size, t.bold),
        t.colour.hex(),
        opacity(t.colour.a, "fill-opacity"),
        escape(t.text)
    );
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::scene::Item;

    fn meta(part: Part) -> Arc<Meta> {
        Arc::new(Meta {
            territory: "ML-8".into(),
            kind: "region",
            name: "Kidal".into(),
            controller: "islamist".into(),
            parties: vec![],
            since: None,
            confidence: None,
            refs: vec!["a <b>".into(), "c".into()],
            part,
        })
    }

    fn label(text: &str, m: Option<Arc<Meta>>) -> Item {
        Item::Text {
            x: 10.0,
            y: 20.0,
            text: text.into(),
            size: 14.0,
            bold: true,
            colour: Rgba::rgb(0, 0, 0),
            align: Align::Middle,
            halo: None,
            meta: m,
        }
    }

    fn scene(items: Vec<Item>) -> Scene {
        let mut layer = Layer::new("labels");
        layer.items = items;
        Scene {
            static_key: 0,
            width: 100,
            height: 100,
            background: Rgba::rgb(255, 255, 255),
            title: "t".into(),
            description: "d".into(),
            underlay: Arc::new(vec![]),
            control: vec![layer],
            water: Arc::new(vec![]),
            overlay: Arc::new(vec![]),
            marks: vec![],
            annotations: vec![],
        }
    }

    #[test]
    fn capitals_are_written_as_drawn_and_the_name_kept() {
        let svg = write_svg(&scene(vec![label("KIDAL", Some(meta(Part::Label)))]));
        assert!(svg.contains(">KIDAL</text>"), "{svg}");
        assert!(!svg.contains("text-transform"), "{svg}");
        assert!(svg.contains("data-name=\"Kidal\""), "{svg}");
        assert!(svg.contains("id=\"ML-8-label\""));
        assert!(svg.contains("data-refs=\"a &lt;b&gt;; c\""));
        // A text that is not its territory's name in capitals is written as it is.
        let svg = write_svg(&scene(vec![label("KIDAL REGION", Some(meta(Part::Label)))]));
        assert!(svg.contains(">KIDAL REGION</text>") && !svg.contains("text-transform"));
        let svg = write_svg(&scene(vec![label("KIDAL", None)]));
        assert!(svg.contains(">KIDAL</text>") && !svg.contains("text-transform"));
    }

    #[test]
    fn the_em_size_is_the_font_size() {
        let svg = write_svg(&scene(vec![label("Gao", None)]));
        let em = crate::scene::text::em(14.0, true);
        assert!(svg.contains(&format!("font-size=\"{em:.2}\"")), "{svg}");
        assert!((em - 12.03).abs() < 0.01);
    }
}

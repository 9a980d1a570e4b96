//! Scenes to SVG: one `<g>` per layer, region ids on their paths, real `<text>` so that the map
//! stays editable in Inkscape or Illustrator.

use std::collections::HashSet;
use std::fmt::Write;

use crate::scene::{Align, Item, Scene};

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

/// Writes a scene as an SVG document.
pub fn write_svg(scene: &Scene) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"map-title map-desc\">",
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
    let mut ids: HashSet<String> = HashSet::new();
    for layer in scene.layers() {
        let _ = writeln!(s, "<g id=\"{}\">", escape(&layer.name));
        for item in &layer.items {
            match item {
                Item::Fill {
                    id, rings, colour, ..
                } => {
                    let id_attr = match id {
                        Some(i) if ids.insert(i.clone()) => format!(" id=\"{}\"", escape(i)),
                        Some(i) => format!(" data-id=\"{}\"", escape(i)),
                        None => String::new(),
                    };
                    let _ = writeln!(
                        s,
                        "<path{id_attr} d=\"{}\" fill=\"{}\"{} fill-rule=\"evenodd\"/>",
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
                        "<path d=\"{}\" fill=\"none\" stroke=\"{}\"{} stroke-width=\"{:.2}\" stroke-linejoin=\"round\"/>",
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
                    ..
                } => {
                    let anchor = match align {
                        Align::Start => "start",
                        Align::Middle => "middle",
                        Align::End => "end",
                    };
                    let weight = if *bold { " font-weight=\"bold\"" } else { "" };
                    let halo_attr = halo.map_or(String::new(), |h| {
                        format!(
                            " stroke=\"{}\"{} stroke-width=\"{:.1}\" paint-order=\"stroke\" stroke-linejoin=\"round\"",
                            h.hex(),
                            opacity(h.a, "stroke-opacity"),
                            (size * 0.2).clamp(2.0, 6.0)
                        )
                    });
                    let _ = writeln!(
                        s,
                        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size:.1}\"{weight} text-anchor=\"{anchor}\" fill=\"{}\"{}{halo_attr}>{}</text>",
                        colour.hex(),
                        opacity(colour.a, "fill-opacity"),
                        escape(text)
                    );
                }
            }
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

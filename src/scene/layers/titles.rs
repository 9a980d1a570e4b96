//! The words around the map: the title, the date line with its caption, and the credit.

use super::super::style::{Style, colours};
use super::super::text::text_width;
use super::super::{Item, Layer, TextStyle};

/// Where the header's lines sit (anchors are (x, baseline)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    /// The title's anchor, when the map has one.
    pub title: Option<(f32, f32)>,
    /// The date line's anchor.
    pub subtitle: (f32, f32),
    /// The caption's anchor.
    pub caption: (f32, f32),
    /// The bottom of the header band.
    pub bottom: f32,
    /// A small map for small multiples: one short date line, no caption.
    pub compact: bool,
}

impl Header {
    /// The header of a map whose margin and sizes `style` gives.
    pub fn new(style: &Style, compact: bool) -> Header {
        let m = style.margin;
        if compact {
            let line = (
                m,
                m * 0.5 + super::super::text::cap_height(style.compact_subtitle),
            );
            return Header {
                title: None,
                subtitle: line,
                caption: line,
                bottom: line.1 + style.compact_header_gap,
                compact,
            };
        }
        let title = (m, m + super::super::text::cap_height(style.title));
        let subtitle = (m, title.1 + style.subtitle_gap);
        let caption = (m, subtitle.1 + style.caption_gap);
        Header {
            title: Some(title),
            subtitle,
            caption,
            bottom: caption.1 + style.header_gap,
            compact,
        }
    }
}

/// The title layer (empty on a compact map).
pub fn title(header: &Header, text: &str, style: &Style) -> Layer {
    let items = header.title.map_or_else(Vec::new, |(x, y)| {
        vec![Item::text(
            x,
            y,
            text,
            TextStyle::new(style.title, colours::INK).bold(),
        )]
    });
    Layer::with_items("title", items)
}

/// The date line (a heading) and, below it, a caption in soft ink.
pub fn subtitle(header: &Header, line: &str, caption: Option<&str>, style: &Style) -> Layer {
    let size = if header.compact {
        style.compact_subtitle
    } else {
        style.subtitle
    };
    let (x, y) = header.subtitle;
    let mut items = vec![Item::text(
        x,
        y,
        line,
        TextStyle::new(size, colours::INK).bold(),
    )];
    if let Some(c) = caption.filter(|_| !header.compact) {
        let (x, y) = header.caption;
        items.push(Item::text(
            x,
            y,
            c,
            TextStyle::new(style.caption, colours::SOFT_INK),
        ));
    }
    Layer::with_items("subtitle", items)
}

/// The credit line, shrunk to `max_width` rather than running off it.
pub fn credit(text: &str, x: f32, baseline: f32, size: f32, max_width: f32) -> Layer {
    let fitted = size.min(size * max_width / text_width(text, size, false).max(1.0));
    Layer::with_items(
        "credit",
        vec![Item::text(
            x,
            baseline,
            text,
            TextStyle::new(fitted, colours::SOFT_INK),
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_credit_shrinks_to_its_width() {
        let text = "Outlines: Natural Earth. ".repeat(10);
        let layer = credit(&text, 10.0, 700.0, 12.5, 600.0);
        let Some(Item::Text { size, .. }) = layer.items.first() else {
            panic!("no credit")
        };
        assert!(text_width(&text, *size, false) <= 600.5);
    }

    #[test]
    fn the_header_lines_go_down_the_page_and_compact_maps_have_no_title() {
        let style = Style::for_frame(1600, 1200);
        let h = Header::new(&style, false);
        let t = h.title.unwrap();
        assert!(t.1 < h.subtitle.1 && h.subtitle.1 < h.caption.1 && h.caption.1 < h.bottom);
        let c = Header::new(&style, true);
        assert!(c.title.is_none());
        assert!(title(&c, "T", &style).items.is_empty());
        let s = subtitle(&c, "15 July 2012", Some("caption"), &style);
        assert_eq!(s.items.len(), 1, "a compact map has no caption line");
    }
}

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
    /// Lines the caption may take: a long caption on a narrow frame wraps; none leaves it
    /// out.
    pub caption_lines: usize,
    /// Width the header's lines may take.
    pub width: f32,
}

/// The most lines a caption wraps onto; a longer one has its last line shrunk to the width.
pub const MAX_CAPTION_LINES: usize = 3;
/// A wrapped line's baseline distance, as a multiple of the text size.
pub const LINE_PITCH: f32 = 1.25;

/// `text` broken at spaces into lines no wider than `max_width` at this size (a word longer
/// than the width stands alone on its line).
///
/// ```
/// use controlmap::scene::layers::titles::wrap;
/// let lines = wrap("one two three four", 20.0, false, 120.0);
/// assert!(lines.len() > 1);
/// assert_eq!(lines.join(" "), "one two three four");
/// ```
pub fn wrap(text: &str, size: f32, bold: bool, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Shaping every longer candidate line costs a shaping per word of a long credit. Widths
    // add up word by word but for kerning at the spaces, far less than half an em: only a
    // candidate within that of the limit is shaped whole, so the breaks are the same.
    let space = text_width(" ", size, bold);
    let margin = size * 0.5;
    let mut line_w = 0.0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_w = text_width(word, size, bold);
        if line.is_empty() {
            line = word.to_string();
            line_w = word_w;
            continue;
        }
        let sum = line_w + space + word_w;
        let fits = if sum < max_width - margin {
            true
        } else if sum > max_width + margin {
            false
        } else {
            text_width(&format!("{line} {word}"), size, bold) <= max_width
        };
        if fits {
            line.push(' ');
            line.push_str(word);
            line_w = sum;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
            line_w = word_w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// At most `max` lines of `text` wrapped to `max_width`, each with its size: the last line
/// takes what is left and shrinks to the width.
pub fn wrap_at_most(
    text: &str,
    size: f32,
    bold: bool,
    max_width: f32,
    max: usize,
) -> Vec<(String, f32)> {
    let mut lines = wrap(text, size, bold, max_width);
    if lines.len() > max.max(1) {
        let rest = lines.split_off(max.max(1) - 1).join(" ");
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|l| {
            let fitted = shrunk(&l, size, bold, max_width);
            (l, fitted)
        })
        .collect()
}

/// The size at which `text` fits `max_width`: `size`, or smaller.
pub fn shrunk(text: &str, size: f32, bold: bool, max_width: f32) -> f32 {
    size.min(size * max_width / text_width(text, size, bold).max(1.0))
}

impl Header {
    /// The header of a map `width` pixels wide whose margin and sizes `style` gives, with room
    /// for a caption of `caption_lines` lines.
    pub fn new(style: &Style, compact: bool, width: f32, caption_lines: usize) -> Header {
        let (m, top) = (style.frame_x, style.frame_y);
        let width = (width - 2.0 * m).max(1.0);
        if compact {
            let line = (
                m,
                top * 0.5 + super::super::text::cap_height(style.compact_subtitle),
            );
            return Header {
                title: None,
                subtitle: line,
                caption: line,
                bottom: line.1 + style.compact_header_gap,
                compact,
                caption_lines: 0,
                width,
            };
        }
        let title = (m, top + super::super::text::cap_height(style.title));
        let subtitle = (m, title.1 + style.subtitle_gap);
        let caption = (m, subtitle.1 + style.caption_gap);
        let lines = caption_lines.min(MAX_CAPTION_LINES);
        let last = match lines {
            0 => subtitle.1,
            n => caption.1 + (n - 1) as f32 * style.caption * LINE_PITCH,
        };
        Header {
            title: Some(title),
            subtitle,
            caption,
            bottom: last + style.header_gap,
            compact,
            caption_lines: lines,
            width,
        }
    }
}

/// The title layer (empty on a compact map).
pub fn title(header: &Header, text: &str, style: &Style) -> Layer {
    let items = header.title.map_or_else(Vec::new, |(x, y)| {
        let size = shrunk(text, style.title, true, header.width);
        vec![Item::text(
            x,
            y,
            text,
            TextStyle::new(size, colours::INK).bold(),
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
    let size = shrunk(line, size, true, header.width);
    let mut items = vec![Item::text(
        x,
        y,
        line,
        TextStyle::new(size, colours::INK).bold(),
    )];
    if let Some(c) = caption.filter(|_| !header.compact && header.caption_lines > 0) {
        let (x, y) = header.caption;
        let pitch = style.caption * LINE_PITCH;
        let lines = wrap_at_most(c, style.caption, false, header.width, header.caption_lines);
        for (k, (text, size)) in lines.into_iter().enumerate() {
            items.push(Item::text(
                x,
                y + k as f32 * pitch,
                &text,
                TextStyle::new(size, colours::SOFT_INK),
            ));
        }
    }
    Layer::with_items("subtitle", items)
}

/// The credit in at most `max_lines` lines whose last baseline is `baseline`, the last line
/// shrunk to `max_width` rather than running off it.
pub fn credit(
    text: &str,
    x: f32,
    baseline: f32,
    size: f32,
    (max_width, max_lines): (f32, usize),
) -> Layer {
    let lines = wrap_at_most(text, size, false, max_width, max_lines);
    let pitch = size * LINE_PITCH;
    let first = baseline - (lines.len() - 1) as f32 * pitch;
    let items = lines
        .into_iter()
        .enumerate()
        .map(|(k, (line, fitted))| {
            Item::text(
                x,
                first + k as f32 * pitch,
                &line,
                TextStyle::new(fitted, colours::SOFT_INK),
            )
        })
        .collect();
    Layer::with_items("credit", items)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wrapping by shaping every candidate line whole, as wrap did before it added up words.
    fn wrap_by_shaping(text: &str, size: f32, bold: bool, max_width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && text_width(&candidate, size, bold) > max_width {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    #[test]
    fn wrapping_word_by_word_breaks_where_shaping_whole_lines_does() {
        let texts = [
            "Geography and relief: Natural Earth (public domain), GSHHG/WDBII by Wessel & Smith (LGPL). Towns: GeoNames (CC BY 4.0). Records: controlmap, from press, wire and analysts' reports. Sources: International Crisis Group, Wikipedia, Infogalactic, maliweb and 65 more. Map: controlmap.",
            "Latest: 6 Apr 2012 — MNLA proclaims an independent Azawad",
            "Dernier : 6 avr. 2012 — le MNLA proclame l'indépendance de l'Azawad",
            "حصار زندا — القوات الملكية تطوق المدينة AVAV Wa Ty",
        ];
        for text in texts {
            for bold in [false, true] {
                for size in [9.0, 12.5, 17.0, 31.0] {
                    for w in (60..900).step_by(7) {
                        let w = w as f32;
                        assert_eq!(
                            wrap(text, size, bold, w),
                            wrap_by_shaping(text, size, bold, w),
                            "{text:?} at {size} px in {w} px"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_long_credit_shrinks_to_its_width() {
        let text = "Outlines: Natural Earth. ".repeat(10);
        let layer = credit(&text, 10.0, 700.0, 12.5, (600.0, 1));
        let [
            Item::Text {
                size, text: line, ..
            },
        ] = layer.items.as_slice()
        else {
            panic!("not one credit line")
        };
        assert_eq!(line.as_str(), text.trim_end());
        assert!(text_width(line, *size, false) <= 600.5);
    }

    #[test]
    fn a_long_credit_wraps_onto_its_lines_ending_at_the_baseline() {
        let text = "Outlines: Natural Earth. ".repeat(10);
        let layer = credit(&text, 10.0, 700.0, 12.5, (600.0, 3));
        let lines: Vec<(f32, f32, &str)> = layer
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { y, size, text, .. } => Some((*y, *size, text.as_str())),
                _ => None,
            })
            .collect();
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.last().map(|l| l.0), Some(700.0));
        let words: Vec<&str> = lines.iter().map(|l| l.2).collect();
        assert_eq!(words.join(" "), text.trim_end());
        for (_, size, line) in &lines {
            assert!(text_width(line, *size, false) <= 600.5, "{line}");
        }
        // Lines the width could hold keep their size.
        assert_eq!(lines[0].1, 12.5);
    }

    #[test]
    fn a_caption_wraps_within_the_header_lines_it_was_given() {
        let style = Style::for_frame(800, 600);
        let header = Header::new(&style, false, 800.0, 2);
        let long = "Latest: 26 Jan 2013 — ".to_string() + &"troops retake the town ".repeat(12);
        let layer = subtitle(&header, "As of 27 January 2013", Some(&long), &style);
        let captions: Vec<f32> = layer.items[1..]
            .iter()
            .filter_map(|i| match i {
                Item::Text { y, .. } => Some(*y),
                _ => None,
            })
            .collect();
        assert_eq!(captions.len(), 2, "two lines, the last shrunk");
        assert!(captions[1] < header.bottom);
        for item in &layer.items {
            if let Item::Text {
                text, size, bold, ..
            } = item
            {
                assert!(
                    text_width(text, *size, *bold) <= header.width + 0.5,
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn the_header_lines_go_down_the_page_and_compact_maps_have_no_title() {
        let style = Style::for_frame(1600, 1200);
        let h = Header::new(&style, false, 1600.0, 1);
        let t = h.title.unwrap();
        assert!(t.1 < h.subtitle.1 && h.subtitle.1 < h.caption.1 && h.caption.1 < h.bottom);
        let c = Header::new(&style, true, 1600.0, 1);
        assert!(c.title.is_none());
        assert!(title(&c, "T", &style).items.is_empty());
        let s = subtitle(&c, "15 July 2012", Some("caption"), &style);
        assert_eq!(s.items.len(), 1, "a compact map has no caption line");
    }
}

//! The scale bar: a round length in kilometres (or metres), half black and half white.

use super::super::style::{SCALE_BAR_FRACTION, Style, colours};
use super::super::text::{cap_height, text_width};
use super::super::{Align, Bounds, Item, Layer, TextStyle};

/// A scale-bar label: kilometres, or metres below one kilometre.
pub fn distance(km: f32, unit: bool) -> String {
    let (v, u) = if km >= 1.0 {
        (km, "km")
    } else {
        (km * 1000.0, "m")
    };
    let v = if (v - v.round()).abs() < 1e-3 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    };
    if unit { format!("{v} {u}") } else { v }
}

/// The round length (1, 2, 2.5 or 5 times a power of ten, from a metre to 10,000 km) whose bar
/// comes nearest to `target_px`, so that a village-sized test region and a continent both get a
/// bar of sensible length.
pub fn round_length_km(px_per_km: f32, target_px: f32) -> f32 {
    round_lengths()
        .min_by(|a: &f32, b: &f32| {
            (a * px_per_km - target_px)
                .abs()
                .total_cmp(&(b * px_per_km - target_px).abs())
        })
        .unwrap_or(100.0)
}

/// The round lengths, shortest first.
fn round_lengths() -> impl Iterator<Item = f32> {
    (-3..=4).flat_map(|e| [1.0, 2.0, 2.5, 5.0].map(|m| m * 10f32.powi(e)))
}

/// The most of the frame's width a bar lengthened for its labels may take.
const MAX_BAR_FRACTION: f32 = 0.4;

/// The bar's length in kilometres, and whether it has room for its middle label: the round
/// length nearest to a fraction of the frame's width, lengthened (up to
/// [`MAX_BAR_FRACTION`] of the width) until its three labels (0, the half, the whole with its
/// unit) stand apart at the style's text size; past that, the longest allowed bar without
/// the middle label.
fn bar_km(px_per_km: f32, style: &Style, frame: &Bounds) -> (f32, bool) {
    let size = style.scale_text;
    let gap = style.text_px(6.0);
    let w = |t: &str| text_width(t, size, false);
    let fits = |km: f32| {
        let half = km * px_per_km / 2.0;
        let (zero, mid, end) = (
            w("0"),
            w(&distance(km / 2.0, false)),
            w(&distance(km, true)),
        );
        half >= (zero + mid) / 2.0 + gap && half >= (mid + end) / 2.0 + gap
    };
    let width = frame.x1 - frame.x0;
    let km = round_length_km(px_per_km, width * SCALE_BAR_FRACTION);
    let allowed = |l: &f32| *l >= km && *l * px_per_km <= width * MAX_BAR_FRACTION;
    if let Some(l) = round_lengths().filter(allowed).find(|l| fits(*l)) {
        return (l, true);
    }
    (round_lengths().filter(allowed).last().unwrap_or(km), false)
}

/// The scale bar in the bottom-right corner of `frame`, and the box it occupies.
pub fn scale_bar(px_per_km: f32, style: &Style, frame: Bounds) -> (Layer, Bounds) {
    let (km, middle) = bar_km(px_per_km, style, &frame);
    let len = km * px_per_km;
    let size = style.scale_text;
    let bar_h = style.scale_bar;
    let x1 = frame.x1 - style.scale_inset;
    let x0 = x1 - len;
    let y = frame.y1 - style.scale_inset - bar_h;
    let half = Bounds::xywh(x0, y, len / 2.0, bar_h);
    let other = Bounds::xywh(x0 + len / 2.0, y, len / 2.0, bar_h);
    let ty = y - style.text_px(5.0);
    let label = TextStyle::new(size, colours::INK)
        .aligned(Align::Middle)
        .halo(colours::HALO);
    let items = vec![
        Item::fill(vec![half.ring()], colours::INK),
        Item::fill(vec![other.ring()], colours::WHITE),
        Item::stroke(
            vec![Bounds::xywh(x0, y, len, bar_h).ring()],
            true,
            colours::INK,
            style.text_px(1.2),
        ),
        Item::text(x0, ty, "0", label),
        Item::text(x1, ty, &distance(km, true), label),
    ];
    let mut items = items;
    if middle {
        items.push(Item::text(
            x0 + len / 2.0,
            ty,
            &distance(km / 2.0, false),
            label,
        ));
    }
    let km_w = text_width(&distance(km, true), size, false);
    let b = Bounds {
        x0: x0 - size,
        y0: ty - cap_height(size) - 2.0,
        x1: x1 + km_w / 2.0,
        y1: y + bar_h,
    };
    (Layer::with_items("scale-bar", items), b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_round_and_labelled_in_sensible_units() {
        assert_eq!(round_length_km(1.0, 160.0), 200.0);
        assert_eq!(round_length_km(1000.0, 160.0), 0.2);
        assert_eq!(distance(0.2, true), "200 m");
        assert_eq!(distance(250.0, true), "250 km");
        assert_eq!(distance(2.5, false), "2.5");
    }

    #[test]
    fn its_box_holds_every_text_so_labels_can_avoid_it() {
        use super::super::labels::text_bounds;
        let style = Style::for_frame(1280, 720);
        let frame = Bounds::xywh(20.0, 100.0, 1240.0, 560.0);
        let (layer, b) = scale_bar(0.4, &style, frame);
        let mut texts = 0;
        for item in &layer.items {
            if let Item::Text {
                x,
                y,
                text,
                size,
                bold,
                align,
                ..
            } = item
            {
                texts += 1;
                let t = text_bounds(text, *size, *bold, *x, *y, *align);
                assert!(
                    t.grow(-0.5).inside(&b.grow(1.0)),
                    "{text}: {t:?} not in {b:?}"
                );
            }
        }
        assert_eq!(texts, 3);
        assert!(b.y1 <= frame.y1 && b.x0 >= frame.x0);
    }

    #[test]
    fn its_labels_stand_apart_at_phone_type_sizes() {
        use super::super::super::style::{Layout, Medium};
        use super::super::labels::text_bounds;
        let phone = Medium {
            layout: Layout::Vertical,
            ..Medium::default()
        };
        let style = Style::for_medium(1080, 1920, &phone);
        let frame = Bounds::xywh(30.0, 300.0, 1020.0, 900.0);
        // Mali's scale on such a frame: about 0.6 px per km.
        let (layer, _) = scale_bar(0.6, &style, frame);
        let boxes: Vec<Bounds> = layer
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text {
                    x,
                    y,
                    text,
                    size,
                    bold,
                    align,
                    ..
                } => Some(text_bounds(text, *size, *bold, *x, *y, *align)),
                _ => None,
            })
            .collect();
        assert_eq!(boxes.len(), 3);
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
    }
}

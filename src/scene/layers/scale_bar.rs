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
    (-3..=4)
        .flat_map(|e| [1.0, 2.0, 2.5, 5.0].map(|m| m * 10f32.powi(e)))
        .min_by(|a: &f32, b: &f32| {
            (a * px_per_km - target_px)
                .abs()
                .total_cmp(&(b * px_per_km - target_px).abs())
        })
        .unwrap_or(100.0)
}

/// The scale bar in the bottom-right corner of `frame`, and the box it occupies.
pub fn scale_bar(px_per_km: f32, style: &Style, frame: Bounds) -> (Layer, Bounds) {
    let km = round_length_km(px_per_km, (frame.x1 - frame.x0) * SCALE_BAR_FRACTION);
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
        Item::text(x0 + len / 2.0, ty, &distance(km / 2.0, false), label),
        Item::text(x1, ty, &distance(km, true), label),
    ];
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
}

//! The timeline strip under an animation's map: the span with year ticks and event dots
//! (static), and a cursor with the latest event's caption (per date).

use super::super::style::{Style, colours};
use super::super::text::text_width;
use super::super::{Bounds, Item, Layer, TextStyle, circle};
use crate::date::{Date, display_date};

/// Where the strip sits and which span it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strip {
    /// First day shown.
    pub from: Date,
    /// Last day shown.
    pub to: Date,
    /// Left end of the axis.
    pub x0: f32,
    /// Right end of the axis.
    pub x1: f32,
    /// The axis line's y.
    pub axis_y: f32,
}

impl Strip {
    /// The x of a day on the axis (clamped to the span).
    pub fn x_of(&self, d: Date) -> f32 {
        let span = (self.to - self.from).get_days().max(1) as f32;
        let t = ((d - self.from).get_days() as f32 / span).clamp(0.0, 1.0);
        self.x0 + (self.x1 - self.x0) * t
    }
}

/// The static strip: a band, the axis, a labelled tick at each 1 January and a dot per event.
pub fn strip(s: &Strip, event_dates: &[Date], style: &Style) -> Layer {
    let t = |v: f32| style.text_px(v);
    let band = Bounds {
        x0: 0.0,
        y0: s.axis_y - t(26.0),
        x1: s.x1 + s.x0,
        y1: s.axis_y + t(34.0),
    };
    let mut items = vec![
        Item::fill(vec![band.ring()], colours::PAPER.with_alpha(235)),
        Item::stroke(
            vec![vec![[s.x0, s.axis_y], [s.x1, s.axis_y]]],
            false,
            colours::TICK,
            t(1.5),
        ),
    ];
    let year_style = TextStyle::new(style.strip_text, colours::SOFT_INK).bold();
    for year in s.from.year()..=s.to.year() {
        let Ok(d) = Date::new(year, 1, 1) else {
            continue;
        };
        if d < s.from || d > s.to {
            continue;
        }
        let x = s.x_of(d);
        items.push(Item::stroke(
            vec![vec![[x, s.axis_y - t(8.0)], [x, s.axis_y + t(8.0)]]],
            false,
            colours::TICK,
            t(1.5),
        ));
        items.push(Item::text(
            x + t(4.0),
            s.axis_y - t(10.0),
            &year.to_string(),
            year_style,
        ));
    }
    for &d in event_dates {
        if d < s.from || d > s.to {
            continue;
        }
        items.push(Item::fill(
            vec![circle(s.x_of(d), s.axis_y, t(3.0))],
            colours::SOFT_INK,
        ));
    }
    Layer::with_items("timeline-strip", items)
}

/// The cursor on `date`: a red run from the start, a dot, and the latest event's caption.
pub fn cursor(s: &Strip, date: Date, latest: Option<(Date, &str)>, style: &Style) -> Layer {
    let x = s.x_of(date);
    let label = match latest {
        Some((d, caption)) => format!("{} — {caption}", display_date(d)),
        None => display_date(date),
    };
    // A caption longer than the axis shrinks to it rather than run off the frame.
    let size = super::titles::shrunk(&label, style.strip_cursor_text, false, s.x1 - s.x0);
    let tw = text_width(&label, size, false);
    let lx = (x - tw / 2.0).clamp(s.x0, (s.x1 - tw).max(s.x0));
    let items = vec![
        Item::stroke(
            vec![vec![[s.x0, s.axis_y], [x, s.axis_y]]],
            false,
            colours::CURSOR,
            style.px(3.0),
        ),
        Item::fill(vec![circle(x, s.axis_y, style.px(6.5))], colours::CURSOR),
        Item::text(
            lx,
            s.axis_y + style.text_px(24.0),
            &label,
            TextStyle::new(size, colours::INK),
        ),
    ];
    Layer::with_items("timeline-cursor", items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn sample() -> Strip {
        Strip {
            from: d("2012-01-01"),
            to: d("2014-12-31"),
            x0: 10.0,
            x1: 1010.0,
            axis_y: 600.0,
        }
    }

    #[test]
    fn one_labelled_tick_per_year_and_one_dot_per_event_in_the_span() {
        let style = Style::for_frame(1280, 720);
        let events = [d("2012-03-22"), d("2013-01-11"), d("2016-01-01")];
        let layer = strip(&sample(), &events, &style);
        let years: Vec<&str> = layer
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(years, ["2012", "2013", "2014"]);
        let dots = layer
            .items
            .iter()
            .filter(|i| matches!(i, Item::Fill { .. }))
            .count();
        assert_eq!(dots, 1 + 2, "the band and the two events inside the span");
    }

    #[test]
    fn the_cursor_caption_stays_on_the_axis() {
        let style = Style::for_frame(1280, 720);
        let s = sample();
        let layer = cursor(
            &s,
            d("2014-12-31"),
            Some((d("2014-05-21"), "a long caption")),
            &style,
        );
        let Some(Item::Text { x, text, size, .. }) = layer.items.last() else {
            panic!("no caption");
        };
        assert!(*x >= s.x0 && *x + text_width(text, *size, false) <= s.x1 + 0.01);
        assert!(text.starts_with("21 May 2014"));
        let long = "a caption far longer than the axis it sits on ".repeat(4);
        let layer = cursor(&s, d("2013-06-01"), Some((d("2013-05-01"), &long)), &style);
        let Some(Item::Text { x, text, size, .. }) = layer.items.last() else {
            panic!("no caption");
        };
        assert!(*x >= s.x0 && *x + text_width(text, *size, false) <= s.x1 + 0.01);
    }
}

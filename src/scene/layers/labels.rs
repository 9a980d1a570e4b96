//! One label placer for every name on the map: regions, towns, neighbours and change labels.
//! Each label offers candidate positions, best first; it takes the first whose box lies in its
//! frame and overlaps nothing already placed (other labels, markers, the legend, the scale bar).

use std::sync::Arc;

use super::super::text::{cap_height, text_width};
use super::super::{Align, Bounds, Item, Meta, TextStyle};

/// A label and where it may go.
#[derive(Debug, Clone)]
pub struct LabelRequest {
    /// The text.
    pub text: String,
    /// How it is set.
    pub style: TextStyle,
    /// Anchors (x, baseline, alignment), best first.
    pub candidates: Vec<(f32, f32, Align)>,
    /// The box it must lie inside, if any.
    pub frame: Option<Bounds>,
    /// Extra clearance from obstacles, in pixels.
    pub clearance: f32,
    /// Take the first candidate even when every one is blocked (rather than leave it out).
    pub always: bool,
    /// What it names.
    pub meta: Option<Arc<Meta>>,
}

/// Where a label went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Anchor x.
    pub x: f32,
    /// Baseline y.
    pub y: f32,
    /// Alignment against x.
    pub align: Align,
    /// The box the text occupies.
    pub bounds: Bounds,
}

/// The box a text occupies when anchored at (x, baseline).
pub fn text_bounds(
    text: &str,
    size: f32,
    bold: bool,
    x: f32,
    baseline: f32,
    align: Align,
) -> Bounds {
    let w = text_width(text, size, bold);
    let x0 = match align {
        Align::Start => x,
        Align::Middle => x - w / 2.0,
        Align::End => x - w,
    };
    Bounds {
        x0,
        y0: baseline - cap_height(size) - 1.0,
        x1: x0 + w,
        y1: baseline + size * 0.22,
    }
}

/// The eight positions around a marker of `radius` at `at`: right, left, above, below, then
/// the diagonals.
pub fn around(at: [f32; 2], radius: f32, size: f32) -> Vec<(f32, f32, Align)> {
    let gap = radius + size * 0.25;
    let cap = cap_height(size);
    let [ax, ay] = at;
    let mid = ay + cap / 2.0;
    let d = gap * 0.75;
    vec![
        (ax + gap, mid, Align::Start),
        (ax - gap, mid, Align::End),
        (ax, ay - gap - 1.0, Align::Middle),
        (ax, ay + gap + cap + 1.0, Align::Middle),
        (ax + d, ay - d, Align::Start),
        (ax + d, ay + d + cap, Align::Start),
        (ax - d, ay - d, Align::End),
        (ax - d, ay + d + cap, Align::End),
    ]
}

impl LabelRequest {
    /// The item this label becomes at a placement.
    pub fn item(&self, p: &Placed) -> Item {
        Item::text(
            p.x,
            p.y,
            &self.text,
            TextStyle {
                align: p.align,
                ..self.style
            },
        )
        .with_meta(self.meta.clone())
    }

    fn try_at(&self, (x, y, align): (f32, f32, Align), obstacles: &[Bounds]) -> Option<Placed> {
        let b = text_bounds(&self.text, self.style.size, self.style.bold, x, y, align);
        let probe = if self.clearance > 0.0 {
            b.grow(self.clearance)
        } else {
            b
        };
        let free = self.frame.is_none_or(|f| b.inside(&f))
            && !obstacles.iter().any(|o| o.overlaps(&probe));
        free.then_some(Placed {
            x,
            y,
            align,
            bounds: b,
        })
    }
}

/// Places labels in order (put the most important first). `obstacles` holds what labels must
/// not cover and grows with every label placed; a label with no free position is left out
/// unless it asks to be placed always.
pub fn place(requests: &[LabelRequest], obstacles: &mut Vec<Bounds>) -> Vec<Option<Placed>> {
    requests
        .iter()
        .map(|r| {
            let chosen = r
                .candidates
                .iter()
                .find_map(|&c| r.try_at(c, obstacles))
                .or_else(|| {
                    let &(x, y, align) = r.candidates.first().filter(|_| r.always)?;
                    let bounds = text_bounds(&r.text, r.style.size, r.style.bold, x, y, align);
                    Some(Placed {
                        x,
                        y,
                        align,
                        bounds,
                    })
                });
            if let Some(p) = chosen {
                obstacles.push(p.bounds);
            }
            chosen
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::Rgba;

    fn town(i: usize) -> LabelRequest {
        let at = [200.0 + (i % 3) as f32 * 8.0, 150.0 + (i / 3) as f32 * 8.0];
        LabelRequest {
            text: format!("Town number {i}"),
            style: TextStyle::new(14.0, Rgba::rgb(0, 0, 0)),
            candidates: around(at, 3.0, 14.0),
            frame: Some(Bounds::xywh(0.0, 0.0, 400.0, 300.0)),
            clearance: 1.0,
            always: false,
            meta: None,
        }
    }

    #[test]
    fn crowded_labels_never_overlap() {
        let requests: Vec<LabelRequest> = (0..12).map(town).collect();
        let mut obstacles = Vec::new();
        let placed: Vec<Placed> = place(&requests, &mut obstacles)
            .into_iter()
            .flatten()
            .collect();
        assert!(placed.len() >= 4, "only {} placed", placed.len());
        let frame = Bounds::xywh(0.0, 0.0, 400.0, 300.0);
        for (i, a) in placed.iter().enumerate() {
            assert!(a.bounds.inside(&frame));
            for b in &placed[i + 1..] {
                assert!(!a.bounds.overlaps(&b.bounds), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn a_blocked_label_is_left_out_unless_it_must_be_placed() {
        let mut obstacles = vec![Bounds::xywh(0.0, 0.0, 400.0, 300.0)];
        assert_eq!(place(&[town(0)], &mut obstacles), vec![None]);
        let forced = LabelRequest {
            always: true,
            ..town(0)
        };
        let placed = place(&[forced], &mut obstacles);
        assert!(placed[0].is_some());
    }
}

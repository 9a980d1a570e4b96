//! Town label placement: each label tries positions around its marker and takes the first one
//! that overlaps nothing already placed (other labels, markers, the legend, the frame's edge).

use super::text::{cap_height, text_width};
use super::{Align, Bounds};

/// A label to place next to a point.
#[derive(Debug, Clone)]
pub struct LabelRequest {
    /// The text.
    pub text: String,
    /// Font size in pixels.
    pub size: f32,
    /// Bold face.
    pub bold: bool,
    /// The marker centre the label belongs to.
    pub at: [f32; 2],
    /// The marker radius, kept clear.
    pub radius: f32,
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

/// Places labels in order (put the most important first). `obstacles` holds what labels must
/// not cover and grows with every label placed; a label with no free position is left out.
pub fn place_labels(
    requests: &[LabelRequest],
    obstacles: &mut Vec<Bounds>,
    frame: Bounds,
) -> Vec<Option<Placed>> {
    requests
        .iter()
        .map(|r| {
            let gap = r.radius + r.size * 0.25;
            let cap = cap_height(r.size);
            let [ax, ay] = r.at;
            let mid = ay + cap / 2.0;
            let d = gap * 0.75;
            let candidates = [
                (ax + gap, mid, Align::Start),
                (ax - gap, mid, Align::End),
                (ax, ay - gap - 1.0, Align::Middle),
                (ax, ay + gap + cap + 1.0, Align::Middle),
                (ax + d, ay - d, Align::Start),
                (ax + d, ay + d + cap, Align::Start),
                (ax - d, ay - d, Align::End),
                (ax - d, ay + d + cap, Align::End),
            ];
            let chosen = candidates.iter().find_map(|&(x, y, align)| {
                let b = text_bounds(&r.text, r.size, r.bold, x, y, align);
                let free = b.inside(&frame) && !obstacles.iter().any(|o| o.overlaps(&b.grow(1.0)));
                free.then_some(Placed {
                    x,
                    y,
                    align,
                    bounds: b,
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

    #[test]
    fn crowded_labels_never_overlap() {
        let frame = Bounds::xywh(0.0, 0.0, 400.0, 300.0);
        let requests: Vec<LabelRequest> = (0..12)
            .map(|i| LabelRequest {
                text: format!("Town number {i}"),
                size: 14.0,
                bold: false,
                at: [200.0 + (i % 3) as f32 * 8.0, 150.0 + (i / 3) as f32 * 8.0],
                radius: 3.0,
            })
            .collect();
        let mut obstacles = Vec::new();
        let placed: Vec<Placed> = place_labels(&requests, &mut obstacles, frame)
            .into_iter()
            .flatten()
            .collect();
        assert!(placed.len() >= 4, "only {} placed", placed.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(a.bounds.inside(&frame));
            for b in &placed[i + 1..] {
                assert!(!a.bounds.overlaps(&b.bounds), "{a:?} overlaps {b:?}");
            }
        }
    }
}

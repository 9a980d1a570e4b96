//! The change map: what changed hands between two dates in full colour with a heavy outline
//! and a "from → to" label, the rest faded, built from the same builders as every map.

use std::sync::Arc;

use super::layers::labels::{LabelRequest, place};
use super::layers::{Select, control, titles, towns};
use super::layout::MapLayout;
use super::style::colours;
use super::{Align, Bounds, Item, Layer, Part, Scene, TextStyle};
use crate::territory::TerritoryId;
use crate::timeline::State;

/// A change map's request: the earlier state and the territories that changed, each with its
/// "from → to" label.
#[derive(Debug, Clone, Copy)]
pub struct Changes<'a> {
    /// The earlier state.
    pub from: &'a State,
    /// The changed territories and their labels.
    pub changed: &'a [(TerritoryId, String)],
}

impl MapLayout {
    /// A change map: territories that changed hands in the new controller's colour with a heavy
    /// outline and a "from → to" label; the rest faded, built with the same builders.
    pub fn change_scene(
        &self,
        to: &State,
        changes: Changes<'_>,
        heading: &str,
        note: &str,
        description: &str,
    ) -> Scene {
        let is_changed = |t: TerritoryId| changes.changed.iter().any(|(c, _)| *c == t);
        let moved = |t: TerritoryId| changes.from.control(t) != to.control(t);
        let kept = |t: TerritoryId| !is_changed(t);
        let still = |t: TerritoryId| !moved(t);
        let (style, m) = (&self.style, &self.meanings);
        let fade_kept = Select {
            faded: Some(&kept),
            ..Select::ALL
        };
        let (mut fills, mut hatching) = (Layer::new("regions"), Layer::new("hatching"));
        let ground = self.pieces.of(to);
        control::control(&ground, to, m, fade_kept, &mut fills, &mut hatching);
        let mut markers = Layer::new("towns");
        let faint = Select::only(&still, colours::FADE_KEEP);
        towns::markers(&self.towns, to, m, style, faint, &mut markers);
        towns::markers(
            &self.towns,
            to,
            m,
            style,
            Select::only(&moved, 1.0),
            &mut markers,
        );
        let (outlines, labels) = self.change_marks(to, changes.changed);
        let subtitle = titles::subtitle(&self.header, heading, Some(note), style);
        let annotations = vec![outlines, markers, labels, subtitle];
        self.assemble(to, vec![fills, hatching], vec![], annotations, description)
    }

    /// The heavy outlines of changed areas and their "from → to" labels, placed by the one
    /// placer under each region's name and off the town markers.
    fn change_marks(&self, to: &State, changed: &[(TerritoryId, String)]) -> (Layer, Layer) {
        let style = &self.style;
        let (ink, halo) = style.change_outline;
        let mut outlines = Layer::new("changes");
        let mut requests = Vec::new();
        for (t, label) in changed {
            let Some(i) = self.areas.iter().position(|g| g.territory == *t) else {
                continue;
            };
            let g = &self.areas[i];
            let meta = Some(Arc::new(self.meanings.meta(*t, to, Part::Outline)));
            // White under ink, so the outline reads over dark and light fills alike.
            for (colour, width) in [(colours::WHITE, halo), (colours::INK, ink)] {
                outlines.items.push(Item::Stroke {
                    lines: g.rings.clone(),
                    closed: true,
                    colour,
                    width,
                    meta: meta.clone(),
                });
            }
            let Some([x, y]) = self.region_label_at.get(i).copied().flatten() else {
                continue;
            };
            let candidates = [20.0, 38.0, -22.0, 56.0]
                .iter()
                .map(|dy| (x, y + style.text_px(*dy), Align::Middle))
                .collect();
            requests.push(LabelRequest {
                text: label.clone(),
                style: TextStyle::new(style.change_label, colours::INK)
                    .bold()
                    .aligned(Align::Middle)
                    .halo(colours::HALO),
                candidates,
                frame: None,
                clearance: 0.0,
                always: true,
                meta: Some(Arc::new(self.meanings.meta(*t, to, Part::Label))),
            });
        }
        let r = style.marker_radius(true);
        let mut markers: Vec<Bounds> = self
            .towns
            .iter()
            .map(|p| Bounds::xywh(p.at[0] - r, p.at[1] - r, 2.0 * r, 2.0 * r))
            .collect();
        let mut labels = Layer::new("change-labels");
        for req in &requests {
            // Change labels avoid markers, not each other's boxes (they sit under distinct
            // region names); each is placed against the markers alone.
            let mut obstacles = markers.clone();
            if let Some(p) = place(std::slice::from_ref(req), &mut obstacles)[0] {
                labels.items.push(req.item(&p));
            }
        }
        markers.clear();
        (outlines, labels)
    }
}

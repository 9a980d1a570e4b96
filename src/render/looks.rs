//! The frame renderer's cache of looks: a state drawn below its annotations, shared by the
//! frames in flight that show it.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

use tiny_skia::Pixmap;

use super::bands::Band;
use crate::scene::{Item, Layer, Scene};

/// The drawn frames below the annotations (underlay, control, overlay, marks) of the last few
/// distinct control layers and marks, most recent first. An animation shows the same state for
/// many days in a row; its control fills, hatching, the overlay's blend and the town markers
/// are drawn once per state, not per frame.
///
/// At most `capacity` looks exist at once, cached or in use, whatever the number of threads:
/// a frame that needs a look not drawn yet, when all are in use, waits for one to be let go.
/// A look in use is never evicted, so frames on both sides of a change of state do not
/// evict each other's look in turn.
pub(super) struct Looks {
    capacity: usize,
    /// How many looks have been drawn (each miss), for tests and benchmarks.
    drawn: std::sync::atomic::AtomicUsize,
    entries: Mutex<Vec<(Look, Arc<OnceLock<Drawn>>)>>,
    /// Signalled when a look is let go.
    freed: Condvar,
}

/// A drawn look: its pixels (or, for a renderer of PNG frames only, the strips of rows its
/// annotations draw on), and their PNG bands once a frame is encoded from them.
pub(super) struct Drawn {
    pub pixmap: Option<Pixmap>,
    /// (first row, rows) kept when `pixmap` is not.
    pub strips: Vec<(u32, Pixmap)>,
    pub bands: OnceLock<Vec<Band>>,
}

impl Drawn {
    /// RGBA rows `top..top + count` of the look, when it keeps them.
    pub fn rows(&self, top: u32, count: u32) -> Option<&[u8]> {
        if let Some(p) = &self.pixmap {
            return rows_of(p, top, count);
        }
        self.strips
            .iter()
            .find(|(first, p)| top >= *first && top + count <= first + p.height())
            .and_then(|(first, p)| rows_of(p, top - first, count))
    }
}

/// RGBA rows `top..top + count` of a pixmap.
pub(super) fn rows_of(p: &Pixmap, top: u32, count: u32) -> Option<&[u8]> {
    let row = p.width() as usize * 4;
    let start = top as usize * row;
    p.data().get(start..start + count as usize * row)
}

/// A look in use: kept in the cache until let go.
pub(super) struct Held<'a> {
    looks: &'a Looks,
    slot: Option<Arc<OnceLock<Drawn>>>,
}

impl Held<'_> {
    /// The drawn look.
    pub fn drawn(&self) -> Option<&Drawn> {
        self.slot.as_deref().and_then(OnceLock::get)
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        // Let go under the lock, so a frame waiting for room cannot miss the signal.
        let _entries = self.looks.lock();
        self.slot = None;
        self.looks.freed.notify_all();
    }
}

impl Looks {
    /// An empty cache of at most `capacity` (at least 1) looks.
    pub fn new(capacity: usize) -> Looks {
        Looks {
            capacity: capacity.max(1),
            drawn: Default::default(),
            entries: Mutex::default(),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(Look, Arc<OnceLock<Drawn>>)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The look of `scene`, drawn by `draw` unless cached (or being drawn by another frame,
    /// which this one then waits for).
    pub fn hold(&self, scene: &Scene, draw: impl FnOnce() -> Drawn) -> Held<'_> {
        let slot = {
            let mut entries = self.lock();
            loop {
                if let Some(i) = entries.iter().position(|(c, _)| shows(c, scene)) {
                    let hit = entries.remove(i);
                    let slot = hit.1.clone();
                    entries.insert(0, hit);
                    break slot;
                }
                if entries.len() < self.capacity {
                    let slot = Arc::new(OnceLock::new());
                    let look = (scene.control.clone(), scene.marks.clone());
                    entries.insert(0, (look, slot.clone()));
                    break slot;
                }
                // The least recent look no frame is using makes room.
                match entries.iter().rposition(|(_, s)| Arc::strong_count(s) == 1) {
                    Some(i) => drop(entries.remove(i)),
                    None => {
                        entries = self
                            .freed
                            .wait(entries)
                            .unwrap_or_else(PoisonError::into_inner)
                    }
                }
            }
        };
        slot.get_or_init(|| {
            self.drawn
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            draw()
        });
        Held {
            looks: self,
            slot: Some(slot),
        }
    }

    /// How many looks have been drawn.
    pub fn drawn(&self) -> usize {
        self.drawn.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A scene's control layers and marks: what its look is drawn from.
type Look = (Vec<Layer>, Vec<Layer>);

/// Whether a scene's control layers and marks draw what a look's do.
fn shows(look: &Look, scene: &Scene) -> bool {
    draws_same(&look.0, &scene.control) && draws_same(&look.1, &scene.marks)
}

/// Whether two runs of layers put down the same pixels: the same items in the same order with
/// the same geometry, colours and text. What items mean (ids, meanings) and the layers' names
/// do not draw, so they are not compared; shared geometry is compared by pointer first.
fn draws_same(a: &[Layer], b: &[Layer]) -> bool {
    let rings_same = |x: &Arc<Vec<crate::scene::Ring>>, y: &Arc<Vec<crate::scene::Ring>>| {
        Arc::ptr_eq(x, y) || x == y
    };
    let item_same = |x: &Item, y: &Item| match (x, y) {
        (
            Item::Fill {
                rings: r1,
                colour: c1,
                ..
            },
            Item::Fill {
                rings: r2,
                colour: c2,
                ..
            },
        ) => c1 == c2 && rings_same(r1, r2),
        (
            Item::Stroke {
                lines: l1,
                closed: k1,
                colour: c1,
                width: w1,
                ..
            },
            Item::Stroke {
                lines: l2,
                closed: k2,
                colour: c2,
                width: w2,
                ..
            },
        ) => k1 == k2 && c1 == c2 && w1 == w2 && rings_same(l1, l2),
        (
            Item::Text {
                x: x1,
                y: y1,
                text: t1,
                size: s1,
                bold: b1,
                colour: c1,
                align: a1,
                halo: h1,
                ..
            },
            Item::Text {
                x: x2,
                y: y2,
                text: t2,
                size: s2,
                bold: b2,
                colour: c2,
                align: a2,
                halo: h2,
                ..
            },
        ) => (x1, y1, t1, s1, b1, c1, a1, h1) == (x2, y2, t2, s2, b2, c2, a2, h2),
        (
            Item::Raster {
                x: x1,
                y: y1,
                width: w1,
                height: h1,
                pixels: p1,
                ..
            },
            Item::Raster {
                x: x2,
                y: y2,
                width: w2,
                height: h2,
                pixels: p2,
                ..
            },
        ) => (x1, y1, w1, h1) == (x2, y2, w2, h2) && (Arc::ptr_eq(p1, p2) || p1 == p2),
        _ => false,
    };
    fn items(layers: &[Layer]) -> impl Iterator<Item = &Item> {
        layers.iter().flat_map(|l| &l.items)
    }
    items(a).count() == items(b).count() && items(a).zip(items(b)).all(|(x, y)| item_same(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::Rgba;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A scene whose control layer is one fill of shade `k`.
    fn scene(k: u8) -> Scene {
        let fill = Item::Fill {
            id: None,
            rings: Arc::new(vec![vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0]]]),
            colour: Rgba::rgb(k, 0, 0),
            meta: None,
        };
        Scene {
            width: 4,
            height: 4,
            background: Rgba::rgb(255, 255, 255),
            title: String::new(),
            description: String::new(),
            static_key: 1,
            underlay: Arc::default(),
            control: vec![Layer::with_items("control", vec![fill])],
            water: Arc::default(),
            overlay: Arc::default(),
            marks: Vec::new(),
            annotations: Vec::new(),
        }
    }

    fn drawn(k: u8) -> Drawn {
        let mut pixmap = Pixmap::new(1, 1).unwrap();
        pixmap.data_mut()[0] = k;
        Drawn {
            pixmap: Some(pixmap),
            strips: Vec::new(),
            bands: OnceLock::new(),
        }
    }

    /// Eight threads wanting eight different looks at once never have more looks than the
    /// capacity in use, all finish, and each gets its own.
    #[test]
    fn looks_in_use_never_exceed_the_capacity_whatever_the_threads() {
        let looks = Looks::new(2);
        let (in_use, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for k in 0..8u8 {
                let (looks, in_use, most) = (&looks, &in_use, &most);
                s.spawn(move || {
                    for _ in 0..3 {
                        let held = looks.hold(&scene(k), || drawn(k));
                        let now = in_use.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        assert_eq!(held.drawn().unwrap().rows(0, 1).unwrap()[0], k);
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        in_use.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 2, "{most:?} looks in use");
        assert!(looks.lock().len() <= 2);
    }

    /// Threads wanting the same look wait for one drawing rather than each drawing it.
    #[test]
    fn a_look_wanted_by_many_threads_is_drawn_once() {
        let looks = Looks::new(2);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    looks.hold(&scene(9), || {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        drawn(9)
                    });
                });
            }
        });
        assert_eq!(looks.drawn(), 1);
    }
}

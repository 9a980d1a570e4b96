//! The map's style in one value: named colours and named metrics.
//!
//! Every length is given at the reference frame (1600x1200, whose geometric-mean side is
//! [`REFERENCE_SIDE`] pixels) and scaled with the frame, so a 1280x720 frame and a 4K frame share
//! one set of proportions. Text has a floor ([`MIN_TEXT_SCALE`]) so that small maps stay legible
//! where geometry keeps shrinking.

use crate::colour::Rgba;

/// The geometric-mean side (√(w·h)) of the frame the metrics are written for: 1600x1200.
pub const REFERENCE_SIDE: f32 = 1386.0;
/// Geometry never shrinks below this fraction of the reference.
pub const MIN_GEOMETRY_SCALE: f32 = 0.6;
/// Text never shrinks below this fraction of the reference.
pub const MIN_TEXT_SCALE: f32 = 0.72;

/// The shaded relief's strength: black or white at 0.7 times the raster's departure from
/// flat grey, at most a quarter. The middle half of the Mali raster (grey 126 to 129) gets at
/// most 0.01, its 1st and 99th percentiles (91 and 173) about the cap: enough to show the Adrar des
/// Ifoghas on the MNLA yellow, and each faction's median colour stays within ΔE00 1 of its
/// swatch on the Mali maps (tests/relief.rs; the limit is 5). 0.45 left the Ifoghas flat on
/// yellow; 0.9 made the pale neighbouring land busy.
pub const RELIEF: super::layers::relief::Strength = super::layers::relief::Strength {
    gain: 0.7,
    cap: 0.25,
};

/// Neutral colours that are not a faction's.
pub mod colours {
    use crate::colour::Rgba;
    /// The paper behind everything.
    pub const PAPER: Rgba = Rgba::rgb(0xEE, 0xF2, 0xF5);
    /// Neighbouring land.
    pub const LAND: Rgba = Rgba::rgb(0xE3, 0xE1, 0xDC);
    /// Edges of neighbouring land.
    pub const LAND_EDGE: Rgba = Rgba::rgb(0xB4, 0xB0, 0xA8);
    /// Names of neighbouring countries.
    pub const LAND_TEXT: Rgba = Rgba::rgb(0x8A, 0x86, 0x7E);
    /// Ground with no record.
    pub const NO_DATA: Rgba = Rgba::rgb(0xF4, 0xF4, 0xF2);
    /// The fine lines over ground with no record.
    pub const NO_DATA_LINES: Rgba = Rgba::rgb(0xC4, 0xC4, 0xC0);
    /// A town with no record: mid grey, so it reads apart from white-rimmed dark markers.
    pub const NO_DATA_TOWN: Rgba = Rgba::rgb(0x96, 0x96, 0x96);
    /// The first set of lines of a contest whose parties are not named.
    pub const CONTESTED_A: Rgba = Rgba::rgb(0x6E, 0x6E, 0x6E);
    /// The second set of lines of a contest whose parties are not named.
    pub const CONTESTED_B: Rgba = Rgba::rgb(0xC8, 0xC8, 0xC8);
    /// The ground of a contest between sides drawn in `a` and `b`: their mean in sRGB, about
    /// half-way between them in lightness, so that each side's thin lines stand out from it
    /// by half the sides' contrast and the area reads calmly as both (see
    /// [`crate::scene::hatch::contest_lines`]).
    ///
    /// ```
    /// use controlmap::colour::Rgba;
    /// use controlmap::scene::style::colours::contest_ground;
    /// let (black, yellow) = (Rgba::rgb(0x1B, 0x1B, 0x1B), Rgba::rgb(0xF0, 0xE4, 0x42));
    /// let g = contest_ground(black, yellow);
    /// let half_way = (black.lab().l + yellow.lab().l) / 2.0;
    /// assert!((g.lab().l - half_way).abs() < 6.0);
    /// assert_eq!(g, contest_ground(yellow, black));
    /// ```
    pub fn contest_ground(a: Rgba, b: Rgba) -> Rgba {
        a.mix(b, 0.5)
    }

    /// Borders between regions.
    pub const INNER_BORDER: Rgba = Rgba::rgb(0xFF, 0xFF, 0xFF);
    /// The country's outline.
    pub const NATIONAL_BORDER: Rgba = Rgba::rgb(0x2B, 0x2B, 0x2B);
    /// Text and marker rims.
    pub const INK: Rgba = Rgba::rgb(0x1E, 0x1E, 0x1E);
    /// Secondary text.
    pub const SOFT_INK: Rgba = Rgba::rgb(0x55, 0x55, 0x55);
    /// White.
    pub const WHITE: Rgba = Rgba::rgb(0xFF, 0xFF, 0xFF);
    /// The halo behind labels over fills.
    pub const HALO: Rgba = Rgba {
        r: 0xFF,
        g: 0xFF,
        b: 0xFF,
        a: 0xE0,
    };
    /// The outline of a town's area: lighter than a region border.
    pub const TOWN_AREA_EDGE: Rgba = Rgba {
        r: 0xFF,
        g: 0xFF,
        b: 0xFF,
        a: 0x80,
    };
    /// The faint lines over ground whose record is approximate.
    pub const UNCERTAIN_LINES: Rgba = Rgba {
        r: 0xFF,
        g: 0xFF,
        b: 0xFF,
        a: 0x78,
    };
    /// Rivers and the lakes' edges: a blue quiet enough to sit under labels, dark enough to
    /// show on the palest fill.
    pub const WATER: Rgba = Rgba::rgb(0x4F, 0x8F, 0xC4);
    /// The lakes' fill: a little lighter than the rivers, dark enough to keep a small lake's
    /// shape without an edge.
    pub const LAKE: Rgba = Rgba::rgb(0x72, 0xA6, 0xD2);
    /// The legend's box.
    pub const LEGEND_BOX: Rgba = Rgba {
        r: 0xFF,
        g: 0xFF,
        b: 0xFF,
        a: 235,
    };
    /// The legend box's edge.
    pub const LEGEND_EDGE: Rgba = Rgba::rgb(0xBB, 0xBB, 0xBB);
    /// The edge of a legend swatch.
    pub const SWATCH_EDGE: Rgba = Rgba::rgb(0x88, 0x88, 0x88);
    /// Timeline ticks and axis.
    pub const TICK: Rgba = Rgba::rgb(0x77, 0x77, 0x77);
    /// The timeline cursor.
    pub const CURSOR: Rgba = Rgba::rgb(0xC0, 0x1B, 0x1B);
    /// A marker's fill is "dark" below this relative luminance and gets a white rim.
    pub const DARK_LUMINANCE: f32 = 0.08;
    /// How much of a faded colour is kept on the change map.
    pub const FADE_KEEP: f32 = 0.35;
}

/// Lengths at the reference frame, in pixels.
mod reference {
    pub const MARGIN: f32 = 24.0;
    pub const TITLE: f32 = 38.0;
    pub const SUBTITLE: f32 = 21.0;
    pub const COMPACT_SUBTITLE: f32 = 17.0;
    pub const CAPTION: f32 = 17.0;
    pub const SUBTITLE_GAP: f32 = 34.0;
    pub const CAPTION_GAP: f32 = 28.0;
    pub const HEADER_GAP: f32 = 12.0;
    pub const COMPACT_HEADER_GAP: f32 = 8.0;
    pub const CREDIT: f32 = 12.5;
    pub const FOOTER_GAP: f32 = 6.0;
    pub const STRIP_HEIGHT: f32 = 64.0;
    pub const STRIPE: f32 = 5.0;
    pub const MARKER: f32 = 5.5;
    pub const REGION_LABEL: f32 = 15.0;
    pub const NEIGHBOUR_LABEL: f32 = 15.0;
    pub const CAPITAL_LABEL: f32 = 16.5;
    pub const REGIONAL_CAPITAL_LABEL: f32 = 14.5;
    pub const TOWN_LABEL: f32 = 13.0;
    pub const CHANGE_LABEL: f32 = 14.0;
    pub const LAND_EDGE: f32 = 1.0;
    pub const INNER_BORDER: f32 = 1.3;
    pub const NATIONAL_BORDER: f32 = 2.4;
    pub const TOWN_AREA_BORDER: f32 = 0.8;
    pub const MARKER_RIM: f32 = 1.3;
    pub const CHANGE_OUTLINE: f32 = 3.0;
    pub const CHANGE_OUTLINE_HALO: f32 = 6.0;
    pub const OBSTACLE_PAD: f32 = 4.0;
    pub const LEGEND_TEXT: f32 = 14.5;
    pub const LEGEND_ROW: f32 = 27.0;
    pub const LEGEND_SWATCH_W: f32 = 30.0;
    pub const LEGEND_SWATCH_H: f32 = 18.0;
    pub const LEGEND_PAD: f32 = 12.0;
    pub const LEGEND_GAP: f32 = 10.0;
    pub const LEGEND_COLUMN_GAP: f32 = 12.0;
    pub const SCALE_TEXT: f32 = 13.0;
    pub const SCALE_BAR: f32 = 7.0;
    pub const SCALE_INSET: f32 = 14.0;
    pub const STRIP_TEXT: f32 = 12.5;
    pub const STRIP_CURSOR_TEXT: f32 = 14.0;
    pub const RIVER: [f32; 3] = [2.6, 1.7, 1.1];
    pub const LOCATOR_SIDE: f32 = 150.0;
    pub const LOCATOR_PAD: f32 = 6.0;
    pub const LOCATOR_EDGE: f32 = 0.5;
}

/// A capital's marker is this much larger than a town's.
pub const CAPITAL_MARKER_SCALE: f32 = 1.6;
/// The scale bar takes about this fraction of the map frame's width.
pub const SCALE_BAR_FRACTION: f32 = 0.16;
/// The fitted map keeps this fraction of the frame's height free on each side.
pub const FIT_PAD_FRACTION: f64 = 0.03;
/// A corner over more than this fraction of the mapped land is not free for the legend.
pub const LEGEND_MAX_COVER: f32 = 0.02;
/// The locator inset is left out rather than hide more than this fraction of the mapped land.
pub const LOCATOR_MAX_COVER: f32 = 0.02;

/// The resolution of a map for screens: twice the CSS pixel's 72 dpi, as a 2x (retina)
/// image is.
pub const SCREEN_DPI: u32 = 144;
/// The width, in CSS pixels, of the phone screen a mobile, vertical or square map is read on.
pub const PHONE_WIDTH: f32 = 375.0;
/// The smallest label on a map read on a phone, in CSS pixels (em size) at [`PHONE_WIDTH`].
pub const PHONE_MIN_LABEL: f32 = 11.0;
/// The smallest label of a print map, in points (em size): the small end of newspaper map type.
pub const PRINT_MIN_LABEL_PT: f32 = 7.0;
/// The smallest label of a landscape video frame, as a fraction of the frame's height (em size):
/// 18 px on 1080 lines, legible on a television across a room and on a phone held sideways.
pub const VIDEO_MIN_LABEL: f32 = 1.0 / 60.0;
/// The title-safe area of a video frame leaves this fraction of each side free (EBU R 95's
/// graphics-safe area: 90 % of the width and height).
pub const TITLE_SAFE: f32 = 0.05;
/// On a video frame the date line is this much larger than on a map: a date stamp a viewer
/// reads at a glance.
pub const DATE_STAMP_SCALE: f32 = 2.0;
/// The date stamp of a square video frame, against a map's date line.
pub const SQUARE_DATE_STAMP_SCALE: f32 = 1.6;
/// On layouts read on a phone, the title is this fraction of its size at the labels' scale, so
/// raising the labels to a legible size does not make the title shout.
pub const PHONE_TITLE_SCALE: f32 = 0.75;

/// On layouts read on a phone, the key's row pitch as a multiple of its text size.
pub const PHONE_KEY_ROW: f32 = 1.5;

/// Where the map will be read: sets the type scale, the margins and where the key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A map in an article read on a desktop screen: the key in a free corner of the map.
    #[default]
    Article,
    /// A map in an article read on a phone: the key under the map, type legible at
    /// [`PHONE_WIDTH`] CSS pixels.
    Mobile,
    /// A square for social posts, read on a phone: the key beside the map.
    Square,
    /// A 9:16 frame for stories and vertical video: the key and the timeline under the map.
    Vertical,
    /// A map for print: type sized in points at the image's resolution.
    Print,
}

impl Layout {
    /// The image size a map of this layout gets when none is asked for; a print map is
    /// 170 mm x 127.5 mm (a two-column newspaper graphic) at `dpi`.
    ///
    /// ```
    /// use controlmap::scene::style::Layout;
    /// assert_eq!(Layout::Article.default_size(144), (1600, 1200));
    /// assert_eq!(Layout::Print.default_size(300), (2008, 1506));
    /// ```
    pub fn default_size(self, dpi: u32) -> (u32, u32) {
        match self {
            Layout::Article => (1600, 1200),
            Layout::Mobile => (750, 1125),
            Layout::Square => (1080, 1080),
            Layout::Vertical => (1080, 1920),
            Layout::Print => {
                let px = |mm: f32| (mm / 25.4 * dpi.max(1) as f32).round() as u32;
                (px(170.0), px(127.5))
            }
        }
    }

    /// Whether the key goes under the map rather than into a corner of it.
    pub fn key_below(self) -> bool {
        matches!(self, Layout::Mobile | Layout::Vertical)
    }

    /// Whether the key stands in a column beside the map: a square has neither a corner the
    /// map leaves free nor the height for a key underneath.
    pub fn key_beside(self) -> bool {
        self == Layout::Square
    }

    /// The most lines the caption under the date may wrap onto: on a square video frame
    /// none, as its large date stamp and key leave no height for it.
    pub fn caption_lines(self, video: bool) -> usize {
        match (self, video) {
            (Layout::Square, true) => 0,
            (Layout::Square, false) => 1,
            _ => 3,
        }
    }

    /// The most lines the credit may wrap onto.
    pub fn credit_lines(self) -> usize {
        if self == Layout::Square { 4 } else { 5 }
    }

    /// Whether the map is read on a phone screen [`PHONE_WIDTH`] CSS pixels wide.
    pub fn on_phone(self) -> bool {
        matches!(self, Layout::Mobile | Layout::Square | Layout::Vertical)
    }
}

/// What sets a map's metrics besides its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Medium {
    /// Where the map is read.
    pub layout: Layout,
    /// The image's resolution in dots per inch (sizes a print map's type in points).
    pub dpi: u32,
    /// A video frame: title-safe margins and a large date stamp.
    pub video: bool,
}

impl Default for Medium {
    fn default() -> Medium {
        Medium {
            layout: Layout::Article,
            dpi: SCREEN_DPI,
            video: false,
        }
    }
}

impl Medium {
    /// The smallest label's em size in pixels on a `width` x `height` image of this medium
    /// (0 where the layout sets none and the frame's scale alone decides).
    pub fn min_label_em(&self, width: u32, height: u32) -> f32 {
        let phone = match self.layout {
            Layout::Print => PRINT_MIN_LABEL_PT * self.dpi.max(1) as f32 / 72.0,
            l if l.on_phone() => PHONE_MIN_LABEL * width as f32 / PHONE_WIDTH,
            _ => 0.0,
        };
        let video = if self.video {
            VIDEO_MIN_LABEL * width.min(height) as f32
        } else {
            0.0
        };
        phone.max(video)
    }
}

/// The named metrics of one frame size, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// How strongly the shaded relief modulates the colours under it.
    pub relief: super::layers::relief::Strength,
    /// Scale of geometry against the reference frame.
    pub unit: f32,
    /// Scale of text against the reference frame (never below [`MIN_TEXT_SCALE`]).
    pub text_unit: f32,
    /// Margin around the map and the header.
    pub margin: f32,
    /// Distance of the header, the map and the credit from the frame's left and right edges.
    pub frame_x: f32,
    /// Distance of the header from the frame's top edge.
    pub frame_y: f32,
    /// Distance of the credit's baseline from the frame's bottom edge.
    pub frame_bottom: f32,
    /// The key says each class in short words (a key read on a phone).
    pub short_key: bool,
    /// Title size.
    pub title: f32,
    /// Date line size.
    pub subtitle: f32,
    /// Date line size on a compact map.
    pub compact_subtitle: f32,
    /// Caption (latest event) size.
    pub caption: f32,
    /// Title baseline to date line baseline.
    pub subtitle_gap: f32,
    /// Date line baseline to caption baseline.
    pub caption_gap: f32,
    /// Caption baseline to the map frame.
    pub header_gap: f32,
    /// Date line baseline to the map frame on a compact map.
    pub compact_header_gap: f32,
    /// Credit line size.
    pub credit: f32,
    /// Gap above the credit line.
    pub footer_gap: f32,
    /// Height of the timeline strip.
    pub strip_height: f32,
    /// Width of one hatching stripe.
    pub stripe: f32,
    /// Town marker radius.
    pub marker: f32,
    /// Region label size.
    pub region_label: f32,
    /// Neighbour label size.
    pub neighbour_label: f32,
    /// Label sizes of the capital, a regional capital and a town.
    pub town_labels: [f32; 3],
    /// Change-map label size.
    pub change_label: f32,
    /// Pen widths: neighbour edges, region borders, the national border, marker rims.
    pub land_edge: f32,
    /// Region border width.
    pub inner_border: f32,
    /// National border width.
    pub national_border: f32,
    /// Town-area outline width.
    pub town_area_border: f32,
    /// Marker rim width.
    pub marker_rim: f32,
    /// Change-map outline and its white halo.
    pub change_outline: (f32, f32),
    /// Space kept clear around the legend and scale bar.
    pub obstacle_pad: f32,
    /// Legend text size.
    pub legend_text: f32,
    /// Legend row pitch.
    pub legend_row: f32,
    /// Legend swatch width and height.
    pub legend_swatch: (f32, f32),
    /// Legend inner padding.
    pub legend_pad: f32,
    /// Gap between a swatch and its text.
    pub legend_gap: f32,
    /// Gap between the legend column and the map when the map moves aside.
    pub legend_column_gap: f32,
    /// Scale-bar text size.
    pub scale_text: f32,
    /// Scale-bar height.
    pub scale_bar: f32,
    /// Scale bar's inset from the map frame.
    pub scale_inset: f32,
    /// Year labels on the timeline strip.
    pub strip_text: f32,
    /// The cursor's caption on the timeline strip.
    pub strip_cursor_text: f32,
    /// River widths by rank (1 to 3).
    pub rivers: [f32; 3],
    /// The locator inset's longer side, without its padding.
    pub locator_side: f32,
    /// Padding inside the locator inset's box.
    pub locator_pad: f32,
    /// Width of the country edges in the locator inset.
    pub locator_edge: f32,
}

impl Style {
    /// The metrics of a `width` x `height` frame.
    ///
    /// ```
    /// use controlmap::scene::style::Style;
    /// let s = Style::for_frame(1600, 1200);
    /// assert!((s.unit - 1.0).abs() < 0.01);
    /// assert!(Style::for_frame(400, 300).text_unit >= 0.72);
    /// ```
    pub fn for_frame(width: u32, height: u32) -> Style {
        let side = (width as f32 * height as f32).sqrt();
        Style::with_scale(side / REFERENCE_SIDE)
    }

    /// The metrics at a given scale of the reference frame.
    pub fn with_scale(scale: f32) -> Style {
        let u = scale.max(MIN_GEOMETRY_SCALE);
        Style::with_units(u, u.max(MIN_TEXT_SCALE))
    }

    /// The metrics of a `width` x `height` image for a medium: text raised to the medium's
    /// smallest legible label, a smaller title on a phone, and on video title-safe margins and
    /// a large date stamp.
    ///
    /// ```
    /// use controlmap::scene::style::{Layout, Medium, Style};
    /// let phone = Medium { layout: Layout::Mobile, ..Medium::default() };
    /// let s = Style::for_medium(750, 1125, &phone);
    /// // The smallest label (a town's) is at least 11 CSS px when 750 px show as 375.
    /// let em = controlmap::scene::text::em(s.town_labels[2], false);
    /// assert!(em * 375.0 / 750.0 >= 10.99);
    /// ```
    pub fn for_medium(width: u32, height: u32, medium: &Medium) -> Style {
        let side = (width as f32 * height as f32).sqrt();
        let u = (side / REFERENCE_SIDE).max(MIN_GEOMETRY_SCALE);
        let smallest = super::text::em(reference::TOWN_LABEL, false);
        let tu = u
            .max(MIN_TEXT_SCALE)
            .max(medium.min_label_em(width, height) / smallest);
        let mut s = Style::with_units(u, tu);
        if medium.layout.on_phone() {
            s.title *= PHONE_TITLE_SCALE;
            // A key under the map, at the labels' size and in short words, leaves the map the
            // height it needs.
            let k = s.town_labels[2] / s.legend_text;
            s.legend_text = s.town_labels[2];
            s.legend_row = s.legend_text * PHONE_KEY_ROW;
            s.legend_swatch = (s.legend_swatch.0 * k, s.legend_swatch.1 * k);
            s.legend_pad *= k;
            s.short_key = true;
        }
        if medium.video {
            // A square has the least height to spare: its stamp is a little smaller.
            let stamp = if medium.layout == Layout::Square {
                SQUARE_DATE_STAMP_SCALE
            } else {
                DATE_STAMP_SCALE
            };
            let grow = s.subtitle * (stamp - 1.0);
            s.subtitle *= stamp;
            s.subtitle_gap += grow;
            // Inside the title-safe area, half the usual margin more, so that ascenders and
            // descenders stay inside it too.
            let inset = s.margin * 0.5;
            s.frame_x = (TITLE_SAFE * width as f32).round() + inset;
            s.frame_y = (TITLE_SAFE * height as f32).round() + inset;
            s.frame_bottom = s.frame_y;
        }
        s
    }

    /// The metrics with geometry at scale `u` and text at scale `tu` of the reference frame.
    fn with_units(u: f32, tu: f32) -> Style {
        use reference as r;
        let margin = (r::MARGIN * u).round();
        Style {
            relief: RELIEF,
            unit: u,
            text_unit: tu,
            margin,
            frame_x: margin,
            frame_y: margin,
            frame_bottom: margin * 0.6,
            short_key: false,
            title: r::TITLE * tu,
            subtitle: r::SUBTITLE * tu,
            compact_subtitle: r::COMPACT_SUBTITLE * tu,
            caption: r::CAPTION * tu,
            subtitle_gap: r::SUBTITLE_GAP * tu,
            caption_gap: r::CAPTION_GAP * tu,
            header_gap: r::HEADER_GAP * tu,
            compact_header_gap: r::COMPACT_HEADER_GAP * tu,
            credit: r::CREDIT * tu,
            footer_gap: r::FOOTER_GAP * u,
            strip_height: r::STRIP_HEIGHT * tu,
            stripe: (r::STRIPE * u).max(2.0),
            marker: r::MARKER * u,
            region_label: r::REGION_LABEL * tu,
            neighbour_label: r::NEIGHBOUR_LABEL * tu,
            town_labels: [
                r::CAPITAL_LABEL * tu,
                r::REGIONAL_CAPITAL_LABEL * tu,
                r::TOWN_LABEL * tu,
            ],
            change_label: r::CHANGE_LABEL * tu,
            land_edge: r::LAND_EDGE * u,
            inner_border: r::INNER_BORDER * u,
            national_border: r::NATIONAL_BORDER * u,
            town_area_border: r::TOWN_AREA_BORDER * u,
            marker_rim: r::MARKER_RIM * u,
            change_outline: (r::CHANGE_OUTLINE * u, r::CHANGE_OUTLINE_HALO * u),
            obstacle_pad: r::OBSTACLE_PAD * u,
            legend_text: r::LEGEND_TEXT * tu,
            legend_row: r::LEGEND_ROW * tu,
            legend_swatch: (r::LEGEND_SWATCH_W * tu, r::LEGEND_SWATCH_H * tu),
            legend_pad: r::LEGEND_PAD * tu,
            legend_gap: r::LEGEND_GAP * tu,
            legend_column_gap: r::LEGEND_COLUMN_GAP * u,
            scale_text: r::SCALE_TEXT * tu,
            scale_bar: r::SCALE_BAR * tu,
            scale_inset: r::SCALE_INSET * tu,
            strip_text: r::STRIP_TEXT * tu,
            strip_cursor_text: r::STRIP_CURSOR_TEXT * tu,
            rivers: r::RIVER.map(|w| w * u),
            locator_side: r::LOCATOR_SIDE * u,
            locator_pad: r::LOCATOR_PAD * u,
            locator_edge: r::LOCATOR_EDGE * u,
        }
    }

    /// A length at the reference frame, scaled like geometry.
    pub fn px(&self, reference_px: f32) -> f32 {
        reference_px * self.unit
    }

    /// A length at the reference frame, scaled like text.
    pub fn text_px(&self, reference_px: f32) -> f32 {
        reference_px * self.text_unit
    }

    /// The width of a river of this rank (1 widest; ranks beyond the table get the thinnest).
    pub fn river_width(&self, rank: u8) -> f32 {
        let k = usize::from(rank.max(1)) - 1;
        self.rivers[k.min(self.rivers.len() - 1)]
    }

    /// The marker radius of a town of this rank.
    pub fn marker_radius(&self, capital: bool) -> f32 {
        if capital {
            self.marker * CAPITAL_MARKER_SCALE
        } else {
            self.marker
        }
    }
}

/// A colour at a fraction of its opacity (cross-fades and faded change maps).
pub fn at_alpha(c: Rgba, alpha: f32) -> Rgba {
    c.with_alpha((f32::from(c.a) * alpha).round() as u8)
}

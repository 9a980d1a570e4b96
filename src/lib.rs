//! controlmap draws territorial-control maps: GeoJSON outlines joined to dated control records,
//! rendered as PNG and SVG maps, animation frames, and numbers for analysts.
//!
//! The data flows one way; no module reaches back up the chain:
//!
//! ```text
//! dataset  ->  timeline  ->  analysis / project  ->  scene  ->  render  ->  write
//! (files)      (state as     (numbers, text;         (styled,    (PNG, SVG)  (atomic files,
//!              of a date)     lon/lat -> pixels)      projected              frames, GIF)
//!                                                     layers)
//! ```
//!
//! The `commands` module strings them together into what the command line offers.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod analysis;
pub mod cli;
pub mod colour;
pub mod commands;
pub mod compose;
pub mod dataset;
pub mod date;
pub mod decimal;
pub mod error;
pub mod frames;
pub mod lang;
pub mod project;
pub mod render;
pub mod scene;
pub mod suggest;
pub mod territory;
pub mod timeline;
pub mod write;

pub use error::{Error, Field, Result};

//! What lies behind a dataset's regions: the neighbours, the rivers, lakes and locator, and
//! the shaded relief, read on their own threads while the regions are.

use super::manifest::Manifest;
use super::problem::Problems;
use super::{Source, outlines, relief, water};
use crate::error::{Error, Result};

/// The neighbours, the rivers, lakes and locator, and the relief: what lies behind the regions.
pub(super) fn read_backdrop(
    source: &Source,
    manifest: &Manifest,
    problems: &mut Problems,
) -> Result<(
    Vec<outlines::Outline>,
    water::Context,
    Option<relief::Relief>,
)> {
    let files = &manifest.files;
    let mut later = Problems::default();
    let (neighbours, rest) = rayon::join(
        || -> Result<Vec<outlines::Outline>> {
            Ok(match &files.neighbours {
                Some(name) => outlines::parse_outlines(
                    &source.read(name)?,
                    &source.display_name(name),
                    &outlines::Properties {
                        strict: false,
                        ..Default::default()
                    },
                    problems,
                ),
                None => Vec::new(),
            })
        },
        || -> Result<(water::Context, Option<relief::Relief>)> {
            let context = water::read_context(source, files, &mut later)?;
            Ok((context, read_relief(source, manifest, &mut later)?))
        },
    );
    // In the order they were read one after another: the neighbours' failure first.
    let neighbours = neighbours?;
    let (context, relief) = rest?;
    problems.extend(later);
    Ok((neighbours, context, relief))
}

/// Reads the relief raster the manifest names. A missing file is a problem of the dataset (the
/// manifest names it), not a failure to read.
fn read_relief(
    source: &Source,
    manifest: &Manifest,
    problems: &mut Problems,
) -> Result<Option<relief::Relief>> {
    let (Some(name), Some((bounds, _))) = (&manifest.files.relief, manifest.relief_bounds) else {
        return Ok(None);
    };
    let file = source.display_name(name);
    let bytes = match source.read_bytes(name) {
        Ok(b) => b,
        Err(Error::Io { source: e, .. }) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.error(
                &file,
                None,
                "no such file ([files] relief in the manifest names it)",
            );
            return Ok(None);
        }
        Err(Error::Data { message, .. }) => {
            problems.error(&file, None, message);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    Ok(relief::parse_relief(&bytes, bounds, &file, problems))
}

//! What the regions' thread of [`Dataset::check`] reads once the regions are read, while the
//! other thread reads the neighbours, rivers, lakes and relief: the places, zones, records,
//! events, references and snapshots.

use super::*;

/// The regions as read, for [`Dataset::read_ground`].
pub(super) struct Regions<'a> {
    pub(super) outlines: Vec<outlines::Outline>,
    pub(super) file: &'a str,
}

/// What [`Dataset::read_ground`] reads.
pub(super) struct Ground {
    pub(super) territories: Vec<Territory>,
    pub(super) records: Vec<Record>,
    pub(super) events: Vec<Event>,
    pub(super) references: Vec<Reference>,
    pub(super) control_file: String,
}

impl Dataset {
    /// What the regions' thread reads after the regions: the places, zones, records, events,
    /// references and snapshots, with the projection checked on the territories.
    pub(super) fn read_ground(
        source: &Source,
        manifest: &Manifest,
        manifest_text: &str,
        regions: Regions<'_>,
        problems: &mut Problems,
    ) -> Result<Ground> {
        let files = &manifest.files;
        let manifest_file = source.display_name(MANIFEST);
        let places = match &files.places {
            Some(name) => {
                places::parse_places(&source.read(name)?, &source.display_name(name), problems)
            }
            None => Vec::new(),
        };
        // Records naming regions cannot be checked without regions: the regions file's own error
        // says why, not one error per record.
        let regions_readable = !regions.outlines.is_empty();
        let mut territories: Vec<Territory> = regions
            .outlines
            .into_iter()
            .map(|r| Territory {
                id: r.id,
                kind: Kind::Region,
                names: r.names,
                shape: Shape::Area(r.geometry),
                label_at: r.label_at,
                file: regions.file.to_string(),
                line: r.line,
                radius_km: None,
            })
            .collect();
        for p in &places {
            if territories.iter().any(|r| r.id == p.id) {
                problems.error(
                    &source.display_name(files.places.as_deref().unwrap_or("")),
                    Some(p.line),
                    format!("place id '{}' is also a region id", p.id),
                );
            }
        }
        territories.extend(places);
        let country = if files.zones.is_some() || manifest.snapshots.is_some() {
            zones::country(&territories)
        } else {
            geo::MultiPolygon::new(vec![])
        };
        if let Some(name) = &files.zones {
            let zones = zones::parse_zones(
                &source.read(name)?,
                &source.display_name(name),
                &territories,
                &country,
                problems,
            );
            territories.extend(zones);
        }
        let control_file = source.display_name(&files.control);
        let mut records = records::parse_records(
            &source.read(&files.control)?,
            &control_file,
            manifest,
            &territories,
            regions_readable,
            problems,
        );
        let mut events = match &files.events {
            Some(name) => {
                events::parse_events(&source.read(name)?, &source.display_name(name), problems)
            }
            None => Vec::new(),
        };
        let references = match &files.references {
            Some(name) => {
                let file = source.display_name(name);
                let refs = references::parse_references(&source.read(name)?, &file, problems);
                references::cite(
                    &mut records,
                    &mut events,
                    &refs,
                    &control_file,
                    &source.display_name(files.events.as_deref().unwrap_or("events.csv")),
                    &file,
                    problems,
                );
                refs
            }
            None => Vec::new(),
        };
        projection::check_projection(
            &manifest.projection,
            &territories,
            manifest_text,
            &manifest_file,
            problems,
        );
        let mut references = references;
        if let Some(spec) = &manifest.snapshots {
            let folder = spec.folder.clone();
            match source.list(&folder)? {
                None => problems.error(
                    &manifest_file,
                    Some(spec.line),
                    format!("[snapshots] folder '{folder}' does not exist in the dataset folder"),
                ),
                Some(names) => {
                    let mut files = Vec::with_capacity(names.len());
                    for name in names {
                        let inner = format!("{folder}/{name}");
                        // One unreadable file is one problem; validate goes on to list the
                        // others.
                        match source.read(&inner) {
                            Ok(text) => files.push(snapshots::File {
                                text,
                                display: source.display_name(&inner),
                                name,
                            }),
                            Err(Error::Data { message, .. }) => {
                                problems.error(&source.display_name(&inner), None, message)
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    let layers = snapshots::parse_snapshots(
                        &files,
                        manifest,
                        &manifest_file,
                        &country,
                        territories.len(),
                        references.len(),
                        problems,
                    );
                    territories.extend(layers.territories);
                    records.extend(layers.records);
                    references.extend(layers.references);
                }
            }
        }
        Ok(Ground {
            territories,
            records,
            events,
            references,
            control_file,
        })
    }
}

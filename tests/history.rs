//! The Mali story as the embedded records tell it, checked on the scene that gets drawn.

use controlmap::colour::Rgba;
use controlmap::dataset::{Control, Dataset, Source};
use controlmap::date::parse_date;
use controlmap::scene::{MapLayout, MapOptions};
use controlmap::territory::TerritoryId;
use controlmap::timeline::Timeline;

fn mali() -> (Dataset, Timeline) {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    (d, t)
}

fn region(d: &Dataset, id: &str) -> TerritoryId {
    d.regions().find(|(_, r)| r.id == id).unwrap().0
}

fn place(d: &Dataset, id: &str) -> TerritoryId {
    d.towns().find(|(_, p)| p.id == id).unwrap().0
}

fn faction(d: &Dataset, id: &str) -> Control {
    Control::Faction(d.manifest.faction_index(id).unwrap())
}

fn control(_d: &Dataset, t: &Timeline, target: TerritoryId, date: &str) -> Option<Control> {
    t.held(target, parse_date(date).unwrap()).map(|h| h.control)
}

fn colour(d: &Dataset, id: &str) -> Rgba {
    d.manifest.factions[d.manifest.faction_index(id).unwrap()].colour
}

#[test]
fn north_is_islamist_in_mid_july_2012_and_drawn_so() {
    let (d, t) = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let scene = layout.scene(&t.state_at(parse_date("2012-07-15").unwrap()), None, "");
    for id in ["ML-6", "ML-7", "ML-8"] {
        assert_eq!(
            control(&d, &t, region(&d, id), "2012-07-15"),
            Some(faction(&d, "islamist")),
            "{id}"
        );
        assert_eq!(
            scene.fill_of("regions", id),
            Some(colour(&d, "islamist")),
            "{id}"
        );
    }
    for id in ["ML-1", "ML-2", "ML-3", "ML-4", "ML-BKO"] {
        assert_eq!(
            scene.fill_of("regions", id),
            Some(colour(&d, "government")),
            "{id}"
        );
    }
}

#[test]
fn kidal_is_contested_or_mnla_in_mid_february_2013_and_the_rest_of_the_north_retaken() {
    let (d, t) = mali();
    let k = control(&d, &t, region(&d, "ML-8"), "2013-02-15");
    assert!(
        matches!(k, Some(Control::Contested(_))) || k == Some(faction(&d, "mnla")),
        "{k:?}"
    );
    for id in ["ML-6", "ML-7"] {
        assert_eq!(
            control(&d, &t, region(&d, id), "2013-02-15"),
            Some(faction(&d, "government")),
            "{id}"
        );
    }
}

#[test]
fn kidal_is_mnla_after_may_2014_rout() {
    let (d, t) = mali();
    assert_eq!(
        control(&d, &t, region(&d, "ML-8"), "2014-06-01"),
        Some(faction(&d, "mnla"))
    );
    assert_eq!(
        control(&d, &t, place(&d, "kidal"), "2014-06-01"),
        Some(faction(&d, "mnla"))
    );
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let scene = layout.scene(&t.state_at(parse_date("2014-06-01").unwrap()), None, "");
    assert_eq!(scene.fill_of("regions", "ML-8"), Some(colour(&d, "mnla")));
}

#[test]
fn contested_regions_are_hatched_in_both_parties_colours() {
    let (d, t) = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let state = t.state_at(parse_date("2014-06-01").unwrap());
    let scene = layout.scene(&state, None, "");
    let Some(Control::Contested(Some((a, b)))) = control(&d, &t, region(&d, "ML-7"), "2014-06-01")
    else {
        panic!("Gao should be contested between two named parties in June 2014");
    };
    let (ca, cb) = (d.manifest.factions[a].colour, d.manifest.factions[b].colour);
    // Thin lines of each side over the two blended.
    assert_eq!(
        scene.fill_of("regions", "ML-7"),
        Some(controlmap::scene::style::colours::contest_ground(ca, cb))
    );
    assert_eq!(scene.fill_of("hatching", "ML-7-hatch"), Some(ca));
    assert_eq!(scene.fill_of("hatching", "ML-7-hatch-b"), Some(cb));
}

#[test]
fn a_record_counts_from_its_own_day_and_nothing_holds_before_the_first() {
    let (d, t) = mali();
    let timbuktu = place(&d, "timbuktu");
    assert_eq!(
        control(&d, &t, timbuktu, "2011-12-31"),
        None,
        "no data before the first record"
    );
    assert_eq!(
        control(&d, &t, timbuktu, "2012-04-01"),
        Some(faction(&d, "mnla"))
    );
    assert_eq!(
        control(&d, &t, timbuktu, "2012-04-02"),
        Some(faction(&d, "islamist")),
        "Ansar Dine takes Timbuktu on 2 April"
    );
    assert_eq!(
        control(&d, &t, region(&d, "ML-6"), "2012-03-29")
            .map(|c| matches!(c, Control::Contested(_))),
        Some(true)
    );
}

#[test]
fn no_data_regions_are_drawn_with_the_neutral_pattern() {
    let (d, t) = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let scene = layout.scene(&t.state_at(parse_date("2011-06-01").unwrap()), None, "");
    let fill = scene.fill_of("regions", "ML-8").unwrap();
    assert!(d.manifest.factions.iter().all(|f| f.colour != fill));
    assert!(scene.fill_of("hatching", "ML-8-hatch").is_some());
}

#[test]
fn every_record_has_a_source_and_regions_cover_2012_to_2014() {
    let (d, t) = mali();
    assert!(d.records.iter().all(|r| !r.source.is_empty()));
    for date in ["2012-01-01", "2013-06-30", "2014-12-31"] {
        let s = t.state_at(parse_date(date).unwrap());
        assert!(
            d.regions().all(|(i, _)| s.get(i).is_some()),
            "a region has no data on {date}"
        );
    }
}

#[test]
fn an_unknown_record_ends_what_was_known() {
    let (d, t) = mali();
    let bourem = place(&d, "bourem");
    assert_eq!(
        control(&d, &t, bourem, "2012-06-26"),
        Some(faction(&d, "mnla"))
    );
    assert_eq!(
        control(&d, &t, bourem, "2012-06-27"),
        None,
        "undocumented from MUJAO's takeover of Gao"
    );
    assert_eq!(control(&d, &t, bourem, "2013-06-01"), None);
    // The state's return is undated: no record claims it on the day the north was lost.
    assert_eq!(control(&d, &t, bourem, "2014-06-01"), None);
    // Hombori: government, undocumented, government again.
    let hombori = place(&d, "hombori");
    let since = t
        .held(hombori, parse_date("2013-06-01").unwrap())
        .unwrap()
        .since;
    assert_eq!(
        since.to_string(),
        "2013-01-31",
        "a run after an unknown stretch starts afresh"
    );
}

/// The colour of the area drawn around a town (its piece in the control fills).
fn town_area_colour(scene: &controlmap::scene::Scene, id: &str) -> Option<Rgba> {
    scene.layer("regions")?.items.iter().find_map(|i| match i {
        controlmap::scene::Item::Fill { colour, meta, .. }
            if meta
                .as_ref()
                .is_some_and(|m| m.territory == id && m.kind == "town") =>
        {
            Some(*colour)
        }
        _ => None,
    })
}

#[test]
fn timbuktu_area_stays_islamist_until_28_jan_2013_while_the_region_follows_its_own_record() {
    let (d, t) = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let state = t.state_at(parse_date("2013-01-27").unwrap());
    let scene = layout.scene(&state, None, "");
    assert_eq!(
        town_area_colour(&scene, "timbuktu"),
        Some(colour(&d, "islamist"))
    );
    // The rest of Tombouctou region is drawn as its own record says.
    let region = match state.control(region(&d, "ML-6")) {
        Some(Control::Faction(f)) => Some(d.manifest.factions[f].colour),
        _ => None,
    };
    assert!(region.is_some());
    assert_eq!(scene.fill_of("regions", "ML-6"), region);
    let scene = layout.scene(&t.state_at(parse_date("2013-01-28").unwrap()), None, "");
    assert_eq!(
        town_area_colour(&scene, "timbuktu"),
        Some(colour(&d, "government"))
    );
}

#[test]
fn in_june_2014_timbuktu_and_gao_areas_are_government_and_kidal_mnla() {
    let (d, t) = mali();
    let layout = MapLayout::new(&d, &MapOptions::new(800, 600)).unwrap();
    let scene = layout.scene(&t.state_at(parse_date("2014-06-01").unwrap()), None, "");
    for town in ["timbuktu", "gao"] {
        assert_eq!(
            town_area_colour(&scene, town),
            Some(colour(&d, "government")),
            "{town}"
        );
    }
    assert_eq!(town_area_colour(&scene, "kidal"), Some(colour(&d, "mnla")));
}

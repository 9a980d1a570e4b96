use controlmap::{dataset::*, timeline::Timeline, scene::*, render, date::parse_date};
#[test]
fn look() {
    let d = Dataset::load(&Source::Embedded).unwrap();
    let t = Timeline::new(&d);
    let l = MapLayout::new(&d, &MapOptions::new(1600, 1200)).unwrap();
    for date in ["2012-07-15", "2013-02-15", "2014-06-01"] {
        let s = l.scene(&t.state_at(parse_date(date).unwrap()), Some("Test phase"), "desc");
        std::fs::write(format!("/tmp/look-{date}.png"), render::encode(&s, render::Format::Png).unwrap()).unwrap();
        std::fs::write(format!("/tmp/look-{date}.svg"), render::encode(&s, render::Format::Svg).unwrap()).unwrap();
    }
}

//! Criterion benchmarks: one map drawn and encoded, and one animation frame with the static
//! layers cached. Figures and commands are in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use controlmap::dataset::{Dataset, Source};
use controlmap::date::parse_date;
use controlmap::render::png::{FrameRenderer, draw, encode_png};
use controlmap::render::svg::write_svg;
use controlmap::scene::{MapLayout, MapOptions};
use controlmap::timeline::Timeline;

fn benches(c: &mut Criterion) {
    let d = Dataset::load(&Source::Embedded).expect("embedded dataset");
    let t = Timeline::new(&d);
    let date = parse_date("2012-07-15").expect("date");
    let state = t.state_at(date);
    let layout = MapLayout::new(&d, &MapOptions::new(1280, 720)).expect("layout");
    let scene = layout.scene(&state, Some("Islamists take over"), "");
    c.bench_function("map_1280x720_draw_and_encode_png", |b| {
        b.iter(|| encode_png(&draw(black_box(&scene)).expect("draw")).expect("encode"))
    });
    c.bench_function("map_1280x720_draw_only", |b| {
        b.iter(|| draw(black_box(&scene)).expect("draw"))
    });
    let pixmap = draw(&scene).expect("draw");
    c.bench_function("png_encode_1280x720", |b| {
        b.iter(|| encode_png(black_box(&pixmap)).expect("encode"))
    });
    c.bench_function("map_svg_write", |b| b.iter(|| write_svg(black_box(&scene))));
    let strip = MapOptions {
        strip: Some((
            parse_date("2012-01-01").expect("d"),
            parse_date("2014-12-31").expect("d"),
        )),
        ..MapOptions::new(1280, 720)
    };
    let frame_layout = MapLayout::new(&d, &strip).expect("layout");
    let first = frame_layout.scene(&state, None, "");
    let renderer = FrameRenderer::new(&first).expect("renderer");
    c.bench_function("frame_1280x720_cached_draw_and_encode", |b| {
        b.iter(|| {
            let s = frame_layout.scene(&t.state_at(black_box(date)), None, "");
            encode_png(&renderer.draw(&s).expect("draw")).expect("encode")
        })
    });
    c.bench_function("state_at", |b| b.iter(|| t.state_at(black_box(date))));
    c.bench_function("layout_1280x720", |b| {
        b.iter(|| MapLayout::new(black_box(&d), &MapOptions::new(1280, 720)).expect("layout"))
    });
    c.bench_function("dataset_load_embedded", |b| {
        b.iter(|| Dataset::load(black_box(&Source::Embedded)).expect("load"))
    });
}

criterion_group! {
    name = map;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(map);

//! The roofline: each PE-array layer's achieved MACs per cycle against its operational
//! intensity (MACs per byte of off-chip traffic), under the roof
//! `min(peak, intensity × off-chip bytes per cycle)`. A point near the sloped part is
//! bandwidth-bound (more reuse would help), near the flat part compute-bound (only more PEs
//! would); the vertical gap to the roof is what the mapping leaves on the table.

use plotters::prelude::*;

use super::{FONT, LABEL_SIZE, layer_label, render};
use crate::format::{factor, short};
use crate::schedule::{ArchSummary, LayerSchedule, Schedule};

const SIZE: (u32, u32) = (900, 640);

/// How far right of every finite intensity a layer without off-chip traffic is drawn.
const CLAMP_FACTOR: f64 = 10.0;

/// One drawable layer: where it sits and whether its intensity was clamped.
#[derive(Debug, PartialEq)]
struct Point {
    index: usize,
    intensity: f64,
    achieved: f64,
    clamped: bool,
}

/// The roof as (ridge intensity, peak, bytes per cycle), when the architecture defines one.
fn roof(arch: &ArchSummary) -> Option<(f64, f64, f64)> {
    let peak = arch.peak_macs_per_cycle;
    let bytes = arch.offchip_bits_per_cycle / 8.0;
    (peak > 0.0 && peak.is_finite() && bytes > 0.0 && bytes.is_finite()).then(|| (peak / bytes, peak, bytes))
}

/// The PE-array layers that can sit on log axes, and notes on everything that cannot: vector
/// work is not MACs (it has no place under a MAC roof), and a layer with no work or no
/// latency has no finite positive coordinate. Layers without off-chip traffic have infinite
/// intensity; they are clamped to [`CLAMP_FACTOR`] × the largest finite intensity (or ridge).
fn points(s: &Schedule) -> (Vec<Point>, Vec<String>) {
    let pe: Vec<&LayerSchedule> = s.layers.iter().filter(|l| l.unit == "pe_array").collect();
    let vector = s.layers.len() - pe.len();
    let mut notes = Vec::new();
    if vector > 0 {
        notes.push(format!("{vector} vector-unit layer(s) not shown"));
    }
    if pe.is_empty() {
        notes.push("no PE-array layers".to_string());
    }
    let mut drawn: Vec<Point> = Vec::new();
    let mut undrawable = 0;
    for l in pe {
        let achieved = l.work as f64 / l.cost.latency_cycles;
        if l.work == 0 || !(achieved.is_finite() && achieved > 0.0) || l.offchip_bits.is_nan() || l.offchip_bits < 0.0 {
            undrawable += 1;
            continue;
        }
        let intensity = l.work as f64 / (l.offchip_bits / 8.0);
        drawn.push(Point { index: l.index, intensity, achieved, clamped: !intensity.is_finite() });
    }
    if undrawable > 0 {
        notes.push(format!("{undrawable} layer(s) with zero work or latency (or invalid traffic) not shown"));
    }
    let clamped = drawn.iter().filter(|p| p.clamped).count();
    if clamped > 0 {
        let right = drawn
            .iter()
            .filter(|p| !p.clamped)
            .map(|p| p.intensity)
            .chain(roof(&s.arch).map(|r| r.0))
            .fold(1.0, f64::max);
        for p in drawn.iter_mut().filter(|p| p.clamped) {
            p.intensity = right * CLAMP_FACTOR;
        }
        notes.push(format!("{clamped} layer(s) without off-chip traffic (infinite intensity) clamped to the right"));
    }
    if roof(&s.arch).is_none() {
        notes.push("no peak or off-chip bandwidth: roof not drawn".to_string());
    }
    (drawn, notes)
}

/// A log axis range covering `values` with a factor-2 margin and at least two decades (so a
/// lone point or roof still has context); `[1, 1000]` when there is nothing to show.
fn log_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if hi == 0.0 {
        return 1.0..1000.0;
    }
    let (lo, hi) = (lo / 2.0, hi * 2.0);
    if hi / lo >= 100.0 {
        return lo..hi;
    }
    let centre = (lo * hi).sqrt();
    centre / 10.0..centre * 10.0
}

/// The roofline of `s`'s PE-array layers, each a point labelled `L<index>`; layers without
/// off-chip traffic are hollow points at the right edge.
pub fn roofline_svg(s: &Schedule) -> Result<String, String> {
    let (points, notes) = points(s);
    let roof = roof(&s.arch);
    let x = log_range(points.iter().map(|p| p.intensity).chain(roof.map(|r| r.0)));
    let y = log_range(points.iter().map(|p| p.achieved).chain(roof.map(|r| r.1)));
    let title = format!("roofline: {} on {}", s.model, s.arch.name);
    render(SIZE, &title, &notes, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(x.clone().log_scale(), y.clone().log_scale())?;
        chart
            .configure_mesh()
            .x_desc("operational intensity (MACs per off-chip byte)")
            .y_desc("achieved MACs per cycle")
            .x_label_formatter(&|v| short(*v))
            .y_label_formatter(&|v| short(*v))
            .label_style((FONT, LABEL_SIZE))
            .draw()?;
        if let Some((ridge, peak, bytes)) = roof {
            // Enter where the slope crosses the bottom of the plot so nothing is drawn outside.
            let start = x.start.max(y.start / bytes);
            let line: Vec<(f64, f64)> =
                [start, ridge, x.end].into_iter().filter(|&v| v >= start).map(|v| (v, (v * bytes).min(peak))).collect();
            chart
                .draw_series(LineSeries::new(line, RED.stroke_width(2)))?
                .label(format!("roof: {} MACs/cycle, {} B/cycle off-chip", factor(peak), factor(bytes)))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
        }
        if !points.is_empty() {
            let style = |p: &Point| if p.clamped { BLUE.stroke_width(2) } else { BLUE.filled() };
            chart
                .draw_series(points.iter().map(|p| {
                    EmptyElement::at((p.intensity, p.achieved))
                        + Circle::new((0, 0), 4, style(p))
                        + Text::new(layer_label(p.index), (6, -14), (FONT, LABEL_SIZE))
                }))?
                .label("PE-array layer (hollow: intensity clamped)")
                .legend(|(x, y)| Circle::new((x + 10, y), 4, BLUE.filled()));
        }
        if roof.is_some() || !points.is_empty() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font((FONT, LABEL_SIZE))
                .draw()?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::sample;

    #[test]
    fn points_are_macs_per_byte_against_macs_per_cycle() {
        let s = sample();
        let (points, notes) = points(&s);
        // Layer 0: 5 419 008 MACs over 4e6 bits = 500 000 bytes, in 40 000 cycles.
        let expected =
            Point { index: 0, intensity: 5_419_008.0 / 500_000.0, achieved: 5_419_008.0 / 40_000.0, clamped: false };
        assert_eq!(points[0], expected);
        assert_eq!(points.iter().map(|p| p.index).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(notes, ["1 vector-unit layer(s) not shown"]);
        assert_eq!(roof(&s.arch), Some((64.0, 1024.0, 16.0)));
    }

    #[test]
    fn layers_without_offchip_traffic_are_clamped_and_noted() {
        let mut s = sample();
        s.layers[2].offchip_bits = 0.0;
        let (points, notes) = points(&s);
        // The ridge (64 MACs/byte) is right of layer 0's 10.8, so the clamp is 640.
        assert_eq!(points[1].intensity, 640.0);
        assert!(points[1].clamped);
        assert!(notes.iter().any(|n| n.contains("clamped")), "{notes:?}");
        let svg = roofline_svg(&s).unwrap();
        assert!(svg.contains("clamped to the right"));
    }

    #[test]
    fn log_ranges_pad_and_default() {
        assert_eq!(log_range([2.0, 800.0].into_iter()), 1.0..1600.0);
        assert_eq!(log_range([10.0].into_iter()), 1.0..100.0);
        assert_eq!(log_range([f64::INFINITY, 0.0].into_iter()), 1.0..1000.0);
    }
}

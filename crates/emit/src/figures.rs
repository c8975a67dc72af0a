//! Figures of a schedule as SVG, drawn with plotters' SVG backend (no font or image libraries:
//! text is left to the SVG viewer). Three views answer three questions:
//!
//! * [`roofline_svg`] — how close each PE-array layer gets to what the hardware allows at its
//!   off-chip traffic (is it compute- or bandwidth-bound, and how far below the roof);
//! * [`energy_breakdown_svg`] — where each layer's energy goes (MACs vs each memory level);
//! * [`timeline_svg`] — where the time goes: layers back to back, fused groups overlapping.
//!
//! Output is a pure function of the schedule (no timestamps, random ids or hash-map order), so
//! figures can be checked in and diffed. Degenerate schedules (no layers, zero latency, no
//! off-chip traffic) still draw, with the caveat in the title; `Err` is only a backend failure.

mod energy;
mod roofline;
mod timeline;

pub use energy::energy_breakdown_svg;
pub use roofline::roofline_svg;
pub use timeline::timeline_svg;

use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

const FONT: &str = "sans-serif";
const TITLE_SIZE: u32 = 18;
const NOTE_SIZE: u32 = 13;
const LABEL_SIZE: u32 = 12;

/// Largest figure side in pixels: figures grow with the layer count so labels stay legible,
/// up to this; beyond it axis labels are thinned instead.
const MAX_SIDE: u32 = 6000;

/// How a layer is named in every figure: its schedule index, as in the report's `#` column.
pub(crate) fn layer_label(index: usize) -> String {
    format!("L{index}")
}

/// Draws onto a white `size` canvas and returns the SVG text. `draw` gets the area below the
/// title and, when `notes` is not empty, a second line saying what was left out or clamped.
fn render(
    size: (u32, u32),
    title: &str,
    notes: &[String],
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let run = || -> Drawn {
            root.fill(&WHITE)?;
            let mut area = root.titled(title, (FONT, TITLE_SIZE))?;
            if !notes.is_empty() {
                area = area.titled(&notes.join("; "), (FONT, NOTE_SIZE).into_font().color(&RGBColor(150, 40, 40)))?;
            }
            draw(&area)?;
            root.present()
        };
        run().map_err(|e| format!("drawing the figure: {e}"))?;
    }
    Ok(svg)
}

/// A side length for `count` items of `per_item` pixels plus `fixed`, between `min` and
/// [`MAX_SIDE`].
fn side(count: usize, per_item: u32, fixed: u32, min: u32) -> u32 {
    let n = u32::try_from(count).unwrap_or(u32::MAX);
    n.saturating_mul(per_item).saturating_add(fixed).clamp(min, MAX_SIDE)
}

/// Width of one layer's slot on a categorical axis. Slots are integer ranges
/// `[SLOT·i, SLOT·(i + 1))` so bars can be inset within them and ticks placed at their centres
/// (plotters formats tick labels of custom key points only on integer axes).
const SLOT: i64 = 100;

/// The axis range of `count` slots (at least one, so an empty figure still has an axis).
fn slot_range(count: usize) -> std::ops::Range<i64> {
    0..SLOT * count.max(1) as i64
}

/// Where to put tick labels for `count` slots: their centres, thinned to at most one per `px`
/// pixels of a `length`-pixel axis. Placing ticks ourselves puts every label on its bar
/// (plotters' automatic ticks would pick round numbers).
fn slot_ticks(count: usize, length: u32, px: u32) -> Vec<i64> {
    let fit = ((length / px.max(1)) as usize).max(1);
    let step = count.div_ceil(fit).max(1);
    (0..count).step_by(step).map(|i| SLOT * i as i64 + SLOT / 2).collect()
}

/// The label of the slot holding `v`, from `labels` (one per slot); empty off the ends.
fn slot_label(labels: &[String], v: i64) -> String {
    usize::try_from(v.div_euclid(SLOT)).ok().and_then(|i| labels.get(i)).cloned().unwrap_or_default()
}

/// The contents of every `<text>` element of `svg`, trimmed (plotters puts them on their own
/// line).
#[cfg(test)]
fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text").skip(1).filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::sample;
    use crate::schedule::Schedule;

    type Figure = fn(&Schedule) -> Result<String, String>;
    const FIGURES: [(&str, Figure); 3] =
        [("roofline", roofline_svg), ("energy", energy_breakdown_svg), ("timeline", timeline_svg)];

    #[test]
    fn every_figure_is_svg_and_labels_each_pe_array_layer() {
        let s = sample();
        for (name, figure) in FIGURES {
            let svg = figure(&s).unwrap();
            assert!(svg.starts_with("<svg"), "{name}: {}", &svg[..svg.len().min(80)]);
            assert!(svg.trim_end().ends_with("</svg>"), "{name}");
            let texts = svg_texts(&svg);
            for l in s.layers.iter().filter(|l| l.unit == "pe_array") {
                assert!(texts.contains(&layer_label(l.index).as_str()), "{name}: no label for layer {}", l.index);
            }
        }
    }

    #[test]
    fn figures_are_deterministic() {
        let s = sample();
        for (name, figure) in FIGURES {
            assert_eq!(figure(&s).unwrap(), figure(&s.clone()).unwrap(), "{name}");
        }
    }

    /// Degenerate schedules draw (with a note) instead of panicking or failing.
    #[test]
    fn degenerate_schedules_still_draw() {
        let mut empty = sample();
        empty.layers.clear();
        empty.groups.clear();
        empty.totals.latency_cycles = 0.0;

        let mut zero = sample();
        for l in &mut zero.layers {
            l.cost.latency_cycles = 0.0;
            l.cost.energy_pj = 0.0;
            l.cost.mac_energy_pj = 0.0;
            l.energy_by_level.clear();
            l.offchip_bits = 0.0;
            l.work = 0;
        }
        zero.groups[0].latency_cycles = 0.0;
        zero.groups[0].starts = vec![];
        zero.arch.offchip_bits_per_cycle = 0.0;
        zero.arch.peak_macs_per_cycle = 0.0;

        let mut odd = sample();
        odd.groups[0].layers.push(99); // not a layer
        odd.layers[2].cost.latency_cycles = f64::NAN;
        odd.layers[0].energy_by_level[0].energy_pj = -1.0;

        for s in [empty, zero, odd] {
            for (name, figure) in FIGURES {
                let svg = figure(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(svg.starts_with("<svg"), "{name}");
            }
        }
    }

    #[test]
    fn sides_and_ticks_follow_the_layer_count() {
        assert_eq!(side(0, 30, 100, 640), 640);
        assert_eq!(side(30, 30, 100, 640), 1000);
        assert_eq!(side(100_000, 30, 100, 640), MAX_SIDE);
        assert_eq!(slot_ticks(3, 1000, 30), [50, 150, 250]);
        assert_eq!(slot_ticks(100, 600, 30).len(), 20);
        assert!(slot_ticks(0, 600, 30).is_empty());
        assert_eq!(slot_range(0), 0..100);
        let labels = ["L0".to_string(), "L1".to_string()];
        assert_eq!(slot_label(&labels, 150), "L1");
        assert_eq!(slot_label(&labels, 250), "");
        assert_eq!(slot_label(&labels, -50), "");
    }
}

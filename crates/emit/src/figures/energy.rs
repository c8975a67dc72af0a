//! Energy breakdown: one stacked bar per layer — MAC energy at the bottom, then each memory
//! level summed over operands — so it shows at a glance which layers dominate and whether they
//! pay for arithmetic or for data movement (and at which level).

use plotters::prelude::*;

use super::{FONT, LABEL_SIZE, SLOT, layer_label, render, side, slot_label, slot_range, slot_ticks};
use crate::format::short;
use crate::schedule::{LayerSchedule, Schedule};

const HEIGHT: u32 = 600;
const PX_PER_LAYER: u32 = 30;
/// Room right of the plot for the legend, so it never hides the bars of the last layers.
const LEGEND_WIDTH: u32 = 170;

/// Energy not covered by the MAC and per-level figures (vector-unit layers have no per-level
/// breakdown) is stacked on top under this name, so every bar is as tall as the layer's energy.
const OTHER: &str = "other (no breakdown)";

/// The stack's segment names bottom-up: `MAC`, the memories in order of first appearance,
/// then [`OTHER`] if any layer needs it; and per layer the energy of each segment (pJ, ≥ 0).
fn stacks(layers: &[LayerSchedule]) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut names = vec!["MAC".to_string()];
    for e in layers.iter().flat_map(|l| &l.energy_by_level) {
        if !names[1..].contains(&e.memory) {
            names.push(e.memory.clone());
        }
    }
    let other = names.len();
    names.push(OTHER.to_string());
    let clean = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    let mut rows: Vec<Vec<f64>> = layers
        .iter()
        .map(|l| {
            let mut row = vec![0.0; names.len()];
            row[0] = clean(l.cost.mac_energy_pj);
            for e in &l.energy_by_level {
                let at = names[1..other].iter().position(|n| *n == e.memory).map_or(other, |i| i + 1);
                row[at] += clean(e.energy_pj);
            }
            let known: f64 = row.iter().sum();
            // Ignore rounding noise: only a real gap (over 0.1 % of the layer) is "other".
            let gap = clean(l.cost.energy_pj) - known;
            if gap > 1e-3 * clean(l.cost.energy_pj) {
                row[other] = gap;
            }
            row
        })
        .collect();
    if rows.iter().all(|r| r[other] == 0.0) {
        names.pop();
        rows.iter_mut().for_each(|r| {
            r.pop();
        });
    }
    (names, rows)
}

/// Stacked energy bars per layer (x: `L<index>`, y: pJ) with a legend of the segments.
pub fn energy_breakdown_svg(s: &Schedule) -> Result<String, String> {
    let (names, rows) = stacks(&s.layers);
    let n = s.layers.len();
    let width = side(n, PX_PER_LAYER, 260 + LEGEND_WIDTH, 720);
    let top = rows.iter().map(|r| r.iter().sum::<f64>()).fold(0.0, f64::max);
    let mut notes = Vec::new();
    if n == 0 {
        notes.push("no layers".to_string());
    } else if top == 0.0 {
        notes.push("every layer has zero energy".to_string());
    }
    let y_max = if top > 0.0 { top * 1.08 } else { 1.0 };
    let title = format!("energy by memory level (pJ): {} on {}", s.model, s.arch.name);
    let labels: Vec<String> = s.layers.iter().map(|l| layer_label(l.index)).collect();
    render((width, HEIGHT), &title, &notes, |area| {
        let (plot, legend) = area.split_horizontally(width - LEGEND_WIDTH);
        let mut chart =
            ChartBuilder::on(&plot).margin(12).x_label_area_size(40).y_label_area_size(70).build_cartesian_2d(
                slot_range(n).with_key_points(slot_ticks(n, width - 200 - LEGEND_WIDTH, 26)),
                0.0..y_max,
            )?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|v| slot_label(&labels, *v))
            .y_label_formatter(&|v| short(*v))
            .x_desc("layer")
            .y_desc("energy (pJ)")
            .label_style((FONT, LABEL_SIZE))
            .draw()?;
        let mut bottoms = vec![0.0; n];
        for k in 0..names.len() {
            let color = segment_color(k, &names);
            // Layer i's bar fills the middle 80 % of its slot.
            let bars: Vec<Rectangle<(i64, f64)>> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r[k] > 0.0)
                .map(|(i, r)| {
                    let x = SLOT * i as i64;
                    let (left, right) = (x + SLOT / 10, x + SLOT - SLOT / 10);
                    Rectangle::new([(left, bottoms[i]), (right, bottoms[i] + r[k])], color.filled())
                })
                .collect();
            for (i, r) in rows.iter().enumerate() {
                bottoms[i] += r[k];
            }
            chart.draw_series(bars)?;
        }
        // The legend lists segments top of the stack first, as they appear in the bars.
        let listed = if rows.is_empty() { 0 } else { names.len() };
        for (row, (k, name)) in names.iter().enumerate().take(listed).rev().enumerate() {
            let y = 20 + 20 * row as i32;
            legend.draw(&Rectangle::new([(4, y), (16, y + 12)], segment_color(k, &names).filled()))?;
            legend.draw(&Text::new(name.as_str(), (22, y), (FONT, LABEL_SIZE)))?;
        }
        Ok(())
    })
}

/// MAC dark grey, memories from plotters' fixed palette, "other" light grey: stable across
/// figures of the same architecture because memories keep their order of appearance.
fn segment_color(k: usize, names: &[String]) -> RGBAColor {
    if k == 0 {
        RGBColor(90, 90, 90).to_rgba()
    } else if names[k] == OTHER {
        RGBColor(200, 200, 200).to_rgba()
    } else {
        Palette99::pick(k - 1).to_rgba()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::sample;

    #[test]
    fn stacks_sum_memories_over_operands_and_fill_the_gap() {
        let s = sample();
        let (names, rows) = stacks(&s.layers);
        assert_eq!(names, ["MAC", "rf", "sram", "dram", OTHER]);
        // Conv: MAC 1.1e7, rf 2e6 + 1e6, sram 9e6 + 4e6, dram 1.5e7 = 4.2e7 exactly.
        assert_eq!(rows[0], [1.1e7, 3.0e6, 1.3e7, 1.5e7, 0.0]);
        // ReLU (vector unit): MAC 1e5 and 2e5 with no breakdown.
        assert_eq!(rows[1], [1.0e5, 0.0, 0.0, 0.0, 2.0e5]);
        // GEMM: MAC 1e6, sram 5e5, dram 8e6 = 9.5e6.
        assert_eq!(rows[2], [1.0e6, 0.0, 5.0e5, 8.0e6, 0.0]);
    }

    #[test]
    fn other_is_left_out_when_every_layer_is_covered() {
        let mut s = sample();
        s.layers.remove(1);
        let (names, rows) = stacks(&s.layers);
        assert_eq!(names, ["MAC", "rf", "sram", "dram"]);
        assert!(rows.iter().all(|r| r.len() == 4));
        let svg = energy_breakdown_svg(&s).unwrap();
        let texts = super::super::svg_texts(&svg);
        assert!(texts.contains(&"sram") && !texts.contains(&OTHER), "{texts:?}");
    }
}

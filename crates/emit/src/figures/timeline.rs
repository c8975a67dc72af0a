//! The timeline: a Gantt chart with one row per layer. Layers run back to back, each for its
//! latency; a fused group occupies its own latency once, shaded across its members' rows, with
//! each member drawn from its `starts` offset — so the figure shows both where the time goes
//! and how much fusion overlaps.

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::{FONT, LABEL_SIZE, SLOT, layer_label, render, side, slot_label, slot_range, slot_ticks};
use crate::format::{eng, short};
use crate::schedule::Schedule;

const WIDTH: u32 = 1000;
const PX_PER_ROW: u32 = 22;

/// When each layer runs (by position in `layers`) and where each group's span is.
#[derive(Debug, PartialEq)]
struct Placement {
    /// Per layer: (start, end) cycle.
    bars: Vec<(f64, f64)>,
    /// Per drawn group: (start, end) cycle and the first and last row its members occupy.
    groups: Vec<(f64, f64, usize, usize)>,
    /// The end of the last layer or group.
    end: f64,
}

/// Non-negative finite cycles; anything else (a NaN the model could not bound) counts as 0.
fn cycles(v: f64) -> f64 {
    if v.is_finite() { v.max(0.0) } else { 0.0 }
}

/// Lays the schedule out in program order. A group starts when its first member in program
/// order is reached; every member is placed at the group's start plus its `starts` entry
/// (0 when missing), ends at its `ends` entry when that is later than its latency allows (work
/// spread over a producer's steps), and the clock moves past the group's latency. A layer listed by two groups
/// belongs to the first; indices naming no layer are ignored.
fn place(s: &Schedule) -> Placement {
    let row_of: BTreeMap<usize, usize> = s.layers.iter().enumerate().map(|(row, l)| (l.index, row)).collect();
    let mut group_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (g, group) in s.groups.iter().enumerate() {
        for &index in &group.layers {
            if let Some(&row) = row_of.get(&index) {
                group_of.entry(row).or_insert(g);
            }
        }
    }
    let mut bars = vec![(0.0, 0.0); s.layers.len()];
    let mut groups = Vec::new();
    let mut placed = vec![false; s.layers.len()];
    let mut clock = 0.0f64;
    let mut end = 0.0f64;
    for row in 0..s.layers.len() {
        if placed[row] {
            continue;
        }
        match group_of.get(&row) {
            None => {
                let done = clock + cycles(s.layers[row].cost.latency_cycles);
                bars[row] = (clock, done);
                placed[row] = true;
                clock = done;
            }
            Some(&g) => {
                let group = &s.groups[g];
                let (mut first, mut last) = (row, row);
                for (k, index) in group.layers.iter().enumerate() {
                    let Some(&member) = row_of.get(index) else { continue };
                    if placed[member] || group_of.get(&member) != Some(&g) {
                        continue;
                    }
                    let start = clock + cycles(group.starts.get(k).copied().unwrap_or(0.0));
                    let busy = start + cycles(s.layers[member].cost.latency_cycles);
                    let finish = group.ends.get(k).map_or(busy, |&e| busy.max(clock + cycles(e)));
                    bars[member] = (start, finish);
                    placed[member] = true;
                    end = end.max(bars[member].1);
                    (first, last) = (first.min(member), last.max(member));
                }
                let done = clock + cycles(group.latency_cycles);
                groups.push((clock, done, first, last));
                clock = done;
            }
        }
        end = end.max(clock);
    }
    Placement { bars, groups, end }
}

/// The Gantt chart of `s`: one row per layer (labelled `L<index>`, first layer on top), time
/// in cycles along x, fused groups shaded.
pub fn timeline_svg(s: &Schedule) -> Result<String, String> {
    let p = place(s);
    let n = s.layers.len();
    let height = side(n, PX_PER_ROW, 180, 360);
    let mut notes = Vec::new();
    if n == 0 {
        notes.push("no layers".to_string());
    } else if p.end == 0.0 {
        notes.push("zero total latency".to_string());
    }
    let x_max = if p.end > 0.0 { p.end * 1.02 } else { 1.0 };
    let title = format!("timeline (cycles): {} on {}, {} cycles", s.model, s.arch.name, eng(p.end));
    // Layer r in program order sits in slot n - 1 - r, which starts at `bottom(r)`: the first
    // layer on top. Ticks are thinned from the top so the first layer is always labelled.
    let bottom = move |row: usize| SLOT * (n - 1 - row) as i64;
    let bottom_up: Vec<String> = s.layers.iter().rev().map(|l| layer_label(l.index)).collect();
    let ticks: Vec<i64> = slot_ticks(n, height - 120, 14).into_iter().map(|c| SLOT * n as i64 - c).collect();
    render((WIDTH, height), &title, &notes, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_max, slot_range(n).with_key_points(ticks))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_label_formatter(&|v| slot_label(&bottom_up, *v))
            .x_label_formatter(&|v| short(*v))
            .x_desc("cycle")
            .label_style((FONT, LABEL_SIZE))
            .draw()?;
        // Only series with something in them get a legend entry.
        let shade = RGBColor(120, 190, 120).mix(0.3);
        if !p.groups.is_empty() {
            chart
                .draw_series(p.groups.iter().map(|&(start, end, first, last)| {
                    Rectangle::new([(start, bottom(last)), (end, bottom(first) + SLOT)], shade.filled())
                }))?
                .label("fused group")
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], shade.filled()));
        }
        // A bar longer than its layer's latency is work spread over that span (a vector layer
        // taking its producer's output step by step): drawn lighter, as a series of its own.
        let spread = |r: usize| {
            let (start, end) = p.bars[r];
            end - start > cycles(s.layers[r].cost.latency_cycles) * (1.0 + 1e-9)
        };
        let orange = RGBColor(230, 140, 40);
        for (unit, is_spread, name, color) in [
            ("pe_array", false, "PE-array layer", RGBColor(60, 110, 190).mix(1.0)),
            ("vector_unit", false, "vector-unit layer", orange.mix(1.0)),
            ("vector_unit", true, "vector-unit layer, beside its producer", orange.mix(0.4)),
        ] {
            let rows: Vec<usize> = (0..n).filter(|&r| s.layers[r].unit == unit && spread(r) == is_spread).collect();
            if rows.is_empty() {
                continue;
            }
            chart
                .draw_series(rows.into_iter().map(|row| {
                    let (start, end) = p.bars[row];
                    let (low, high) = (bottom(row) + SLOT * 15 / 100, bottom(row) + SLOT * 85 / 100);
                    Rectangle::new([(start, low), (end, high)], color.filled())
                }))?
                .label(name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled()));
        }
        if n > 0 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
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
    fn groups_place_members_at_their_starts_and_hold_the_clock() {
        let p = place(&sample());
        // Conv and ReLU fused (latency 42 000; ReLU starts 10 000 in), then the GEMM.
        assert_eq!(p.bars, [(0.0, 40_000.0), (10_000.0, 16_272.0), (42_000.0, 82_000.0)]);
        assert_eq!(p.groups, [(0.0, 42_000.0, 0, 1)]);
        assert_eq!(p.end, 82_000.0);
    }

    #[test]
    fn a_member_spread_over_its_producer_s_steps_ends_at_its_end() {
        let mut s = sample();
        s.groups[0].ends[1] = 41_000.0;
        let p = place(&s);
        assert_eq!(p.bars[1], (10_000.0, 41_000.0));
        // An end before the member's latency allows is not believed.
        s.groups[0].ends[1] = 11_000.0;
        assert_eq!(place(&s).bars[1], (10_000.0, 16_272.0));
    }

    #[test]
    fn layers_without_groups_run_back_to_back() {
        let mut s = sample();
        s.groups.clear();
        let p = place(&s);
        assert_eq!(p.bars, [(0.0, 40_000.0), (40_000.0, 46_272.0), (46_272.0, 86_272.0)]);
        assert!(p.groups.is_empty());
    }

    #[test]
    fn a_member_outlasting_its_group_still_counts_toward_the_end() {
        let mut s = sample();
        s.layers.truncate(2);
        s.groups[0].latency_cycles = 1_000.0;
        let p = place(&s);
        assert_eq!(p.end, 40_000.0);
        let svg = timeline_svg(&s).unwrap();
        assert!(svg.contains("40.0e3 cycles"));
    }
}

//! `--emit=report`: the schedule as text for a terminal — one row per layer, the fused groups,
//! then the totals. Meant to be read, not parsed (use the JSON for that); it is still a pure
//! function of the schedule, so reports of two runs can be diffed.

use crate::format::{eng, factor, percent};
use crate::schedule::{GroupSchedule, LayerSchedule, Schedule};
use crate::table::{Align, Table};

/// Temporal loops shown per layer before the rest are summarised as `+n`: enough to see the
/// innermost reuse, short enough to keep the row on one screen line.
const MAX_LOOPS: usize = 6;

/// The whole report: a header line, the layer table, the fused groups and the totals.
pub fn report_text(s: &Schedule) -> String {
    let a = &s.arch;
    let mut out = format!(
        "{} on {} ({} PEs, {} MHz), objective {}, seed {}\n\n",
        s.model, a.name, a.pes, a.clock_mhz, s.objective, s.seed
    );
    out.push_str(&layer_table(&s.layers));
    out.push('\n');
    out.push_str(&group_table(&s.groups));
    out.push('\n');
    out.push_str(&totals(s));
    out
}

fn layer_table(layers: &[LayerSchedule]) -> String {
    use Align::{Left, Right};
    let mut t = Table::new(&[
        ("#", Right),
        ("name", Left),
        ("kind", Left),
        ("unit", Left),
        ("mapping", Left),
        ("work", Right),
        ("energy pJ", Right),
        ("latency cyc", Right),
        ("util %", Right),
        ("bound", Left),
        ("roof %", Right),
        ("top level", Left),
    ]);
    for l in layers {
        t.row(vec![
            l.index.to_string(),
            l.name.clone(),
            l.kind.clone(),
            l.unit.clone(),
            mapping_summary(l),
            eng(l.work as f64),
            eng(l.cost.energy_pj),
            eng(l.cost.latency_cycles),
            percent(l.cost.utilization),
            l.cost.bound.clone(),
            percent(l.cost.roofline_fraction),
            top_level(l),
        ]);
    }
    let mut out = format!("layers ({})\n", layers.len());
    out.push_str(&t.render("  "));
    out.push_str(
        "  mapping: spatial unrolls / temporal loops, innermost first; work: MACs, or points for vector work\n",
    );
    out.push_str("  roof %: share of the roofline bound achieved; top level: the memory spending the most energy, with its share\n");
    out
}

/// `K32 C3 / R3 S3 Q56 P56 K2`: the spatial unrolls, then the temporal loops innermost first
/// (trip count 1 dropped, at most [`MAX_LOOPS`] shown). `-` for layers without a mapping.
fn mapping_summary(l: &LayerSchedule) -> String {
    let Some(m) = &l.mapping else { return "-".to_string() };
    let spatial: Vec<String> = m.spatial.iter().map(|(_, dim, f)| dim_factor(dim, *f)).collect();
    let loops: Vec<String> = m.loops.iter().filter(|(_, n)| *n != 1.0).map(|(dim, n)| dim_factor(dim, *n)).collect();
    let mut shown = loops.iter().take(MAX_LOOPS).cloned().collect::<Vec<_>>().join(" ");
    if loops.len() > MAX_LOOPS {
        shown.push_str(&format!(" +{}", loops.len() - MAX_LOOPS));
    }
    let spatial = if spatial.is_empty() { "-".to_string() } else { spatial.join(" ") };
    let shown = if shown.is_empty() { "-".to_string() } else { shown };
    format!("{spatial} / {shown}")
}

/// `K32`; a colon when the dimension's name ends in a digit (`B0:2`, not `B02`).
fn dim_factor(dim: &str, f: f64) -> String {
    let sep = if dim.ends_with(|c: char| c.is_ascii_digit()) { ":" } else { "" };
    format!("{dim}{sep}{}", factor(f))
}

/// The memory with the most energy summed over operands, with its share of the layer's energy
/// (`dram 55%`); ties go to the memory listed first. `-` when there is no breakdown.
fn top_level(l: &LayerSchedule) -> String {
    let mut by_memory: Vec<(&str, f64)> = Vec::new();
    for e in &l.energy_by_level {
        match by_memory.iter_mut().find(|(m, _)| *m == e.memory) {
            Some((_, sum)) => *sum += e.energy_pj,
            None => by_memory.push((&e.memory, e.energy_pj)),
        }
    }
    let Some((memory, energy)) = by_memory.into_iter().reduce(|best, x| if x.1 > best.1 { x } else { best }) else {
        return "-".to_string();
    };
    if l.cost.energy_pj > 0.0 {
        format!("{memory} {:.0}%", 100.0 * energy / l.cost.energy_pj)
    } else {
        memory.to_string()
    }
}

fn group_table(groups: &[GroupSchedule]) -> String {
    if groups.is_empty() {
        return "fused groups: none\n".to_string();
    }
    use Align::{Left, Right};
    let mut t = Table::new(&[
        ("#", Right),
        ("layers", Left),
        ("tiles", Right),
        ("DRAM bits saved", Right),
        ("energy pJ", Right),
        ("latency cyc", Right),
        ("on chip", Left),
    ]);
    for (i, g) in groups.iter().enumerate() {
        let members: Vec<String> = g.layers.iter().map(usize::to_string).collect();
        let on_chip: Vec<String> = g.on_chip.iter().map(|(p, c, mem)| format!("{p}->{c} in {mem}")).collect();
        t.row(vec![
            i.to_string(),
            members.join(" "),
            g.tiles.to_string(),
            eng(g.dram_bits_saved),
            eng(g.energy_pj),
            eng(g.latency_cycles),
            if on_chip.is_empty() { "-".to_string() } else { on_chip.join(", ") },
        ]);
    }
    format!("fused groups ({})\n{}", groups.len(), t.render("  "))
}

/// The totals line, the off-chip traffic against its compulsory floor, and what scheduling
/// cost. The ratio says how much traffic the schedule adds over moving every weight, input
/// and output once.
fn totals(s: &Schedule) -> String {
    let t = &s.totals;
    let mut out = format!(
        "total: energy {} pJ, latency {} cycles, EDP {} pJ*cycles, {} MACs",
        eng(t.energy_pj),
        eng(t.latency_cycles),
        eng(t.edp),
        t.macs
    );
    if t.latency_cycles > 0.0 && s.arch.peak_macs_per_cycle > 0.0 {
        let achieved = t.macs as f64 / t.latency_cycles;
        out.push_str(&format!(
            ", {} MACs/cycle ({}% of peak {})",
            eng(achieved),
            percent(achieved / s.arch.peak_macs_per_cycle),
            eng(s.arch.peak_macs_per_cycle)
        ));
    }
    out.push('\n');
    if t.latency_cycles > 0.0 && t.energy_pj > 0.0 {
        out.push_str(&format!(
            "layer by layer: energy {} pJ, latency {} cycles (fusion gain: latency {:.2}x, energy {:.2}x)\n",
            eng(t.layerwise_energy_pj),
            eng(t.layerwise_latency_cycles),
            t.layerwise_latency_cycles / t.latency_cycles,
            t.layerwise_energy_pj / t.energy_pj
        ));
    }
    out.push_str(&format!(
        "off-chip: {} bits vs compulsory minimum {} bits",
        eng(t.offchip_bits),
        eng(t.compulsory_offchip_bits)
    ));
    if t.compulsory_offchip_bits > 0.0 {
        out.push_str(&format!(" (ratio {:.2})\n", t.offchip_bits / t.compulsory_offchip_bits));
    } else {
        out.push_str(" (ratio undefined)\n");
    }
    out.push_str(&format!("scheduling: {} searches\n", t.searches));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::sample;

    #[test]
    fn lists_every_layer_the_groups_and_the_totals() {
        let s = sample();
        let text = report_text(&s);
        for l in &s.layers {
            assert!(text.contains(&l.name), "{} missing:\n{text}", l.name);
        }
        assert!(text.lines().any(|l| l.starts_with("total: energy 48.5e6 pJ, latency 82.0e3 cycles")), "{text}");
        assert!(text.contains("off-chip: 8.10e6 bits vs compulsory minimum 4.40e6 bits (ratio 1.84)"), "{text}");
        assert!(text.contains("0->1 in sram"), "{text}");
    }

    #[test]
    fn rows_hold_the_short_mapping_and_top_level() {
        let s = sample();
        assert_eq!(mapping_summary(&s.layers[0]), "K32 C3 / R3 S3 Q56 P56 K2");
        assert_eq!(mapping_summary(&s.layers[1]), "-");
        assert_eq!(mapping_summary(&s.layers[2]), "N31.25 K32 / K16 N32");
        // sram: 9e6 + 4e6 = 13e6 of 42e6; dram 15e6 is the largest.
        assert_eq!(top_level(&s.layers[0]), "dram 36%");
        assert_eq!(top_level(&s.layers[1]), "-");
    }

    #[test]
    fn columns_line_up_and_output_is_deterministic() {
        let s = sample();
        let text = report_text(&s);
        assert_eq!(text, report_text(&s.clone()));
        let rows: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("layers")).skip(1).take(4).collect();
        // The `name` column starts at the same offset in the header and every row.
        let at: Vec<usize> = rows.iter().map(|r| r.find(['n', '/']).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] == w[1]), "{rows:#?}");
        assert!(text.lines().all(|l| l == l.trim_end()), "trailing spaces:\n{text}");
    }

    #[test]
    fn long_loop_nests_are_cut_and_empty_schedules_still_report() {
        let mut s = sample();
        let m = s.layers[0].mapping.as_mut().unwrap();
        m.loops = (0..9).map(|i| (format!("D{i}"), 2.0)).collect();
        assert_eq!(mapping_summary(&s.layers[0]), "K32 C3 / D0:2 D1:2 D2:2 D3:2 D4:2 D5:2 +3");

        s.layers.clear();
        s.groups.clear();
        s.totals.latency_cycles = 0.0;
        s.totals.compulsory_offchip_bits = 0.0;
        let text = report_text(&s);
        assert!(text.contains("layers (0)") && text.contains("fused groups: none"), "{text}");
        assert!(text.contains("(ratio undefined)"), "{text}");
    }
}

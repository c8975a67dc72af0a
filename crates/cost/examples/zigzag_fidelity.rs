//! Compares dnnc's layer model with ZigZag, mapping by mapping.
//!
//! Reads the records `bench/zigzag/gen_records.py` writes (one JSON object per line: a layer,
//! the accelerator, the spatial mapping and ZigZag's own allocation of the temporal loops to
//! memory levels, and ZigZag's energy and latency), gives dnnc exactly that mapping, and
//! prints the error distribution. Last line: `key=value` pairs.
//!
//! With `--reallocate`, dnnc recomputes ZigZag's allocation of the loop order itself
//! (`dnnc_cost::zigzag_cuts`) instead of reading it from the record — a check of the allocator.
//!
//! Usage: zigzag_fidelity --records FILE --hw DIR [--worst N] [--reallocate]

use std::collections::BTreeMap;
use std::process::ExitCode;

use dnnc_arch::{Accelerator, Operand, Precision};
use dnnc_cost::{Access, Cost, Layer, Loop, Mapping, Unroll, Window, evaluate};
use serde_json::Value;

struct Args {
    records: String,
    hw: String,
    worst: usize,
    reallocate: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { records: String::new(), hw: String::new(), worst: 5, reallocate: false };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--records" => args.records = value()?,
            "--hw" => args.hw = value()?,
            "--worst" => args.worst = value()?.parse().map_err(|e| format!("--worst: {e}"))?,
            "--reallocate" => args.reallocate = true,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    if args.records.is_empty() || args.hw.is_empty() {
        return Err("usage: zigzag_fidelity --records FILE --hw DIR [--worst N]".into());
    }
    Ok(args)
}

/// Our operand for a ZigZag memory operand.
fn operand(memory_operand: &str) -> Result<Operand, String> {
    match memory_operand {
        "I1" => Ok(Operand::I),
        "I2" => Ok(Operand::W),
        "O" => Ok(Operand::O),
        other => Err(format!("unknown memory operand {other}")),
    }
}

fn str_of(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| format!("expected a string, found {v}"))
}

fn num(v: &Value) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| format!("expected a number, found {v}"))
}

fn obj(v: &Value) -> Result<&serde_json::Map<String, Value>, String> {
    v.as_object().ok_or_else(|| format!("expected an object, found {v}"))
}

fn arr(v: &Value) -> Result<&Vec<Value>, String> {
    v.as_array().ok_or_else(|| format!("expected an array, found {v}"))
}

/// The layer and mapping a record describes.
fn convert(rec: &Value, arch: &Accelerator) -> Result<(Layer, Mapping<f64>), String> {
    let dims: Vec<(String, u64)> =
        obj(&rec["dims"])?.iter().map(|(k, v)| Ok((k.clone(), num(v)? as u64))).collect::<Result<_, String>>()?;
    let dim = |name: &str| dims.iter().position(|d| d.0 == name).ok_or(format!("unknown dim {name}"));
    let links = obj(&rec["memory_operand"])?;
    let ours = |layer_op: &str| -> Result<Operand, String> { operand(str_of(&links[layer_op])?) };
    let mut access: [Access; 3] = Default::default();
    for (layer_op, rel) in obj(&rec["relevant"])? {
        let a = &mut access[dnnc_cost::problem::op_index(ours(layer_op)?)];
        for d in arr(rel)? {
            a.relevant |= 1 << dim(str_of(d)?)?;
        }
    }
    if let Some(pr) = rec.get("pr").and_then(Value::as_object) {
        for (layer_op, windows) in pr {
            let a = &mut access[dnnc_cost::problem::op_index(ours(layer_op)?)];
            for (pr_dim, w) in obj(windows)? {
                let w = arr(w)?;
                let extent = num(&rec["pr_sizes"][pr_dim])? as u64;
                a.windows.push(Window {
                    outer: dim(str_of(&w[0])?)?,
                    outer_stride: num(&w[1])? as u64,
                    inner: dim(str_of(&w[2])?)?,
                    inner_stride: num(&w[3])? as u64,
                    extent,
                });
            }
        }
    }
    let order_v = arr(&rec["operands"])?;
    let order: Vec<Operand> = order_v.iter().map(|o| ours(str_of(o)?)).collect::<Result<_, _>>()?;
    let order: [Operand; 3] = order.try_into().map_err(|_| "expected three operands".to_string())?;
    let prec = &rec["precision"];
    let layer_of = |mem_op: &str| links.iter().find(|(_, v)| v.as_str() == Some(mem_op)).map(|(k, _)| k.clone());
    let bits = |mem_op: &str| -> Result<u32, String> {
        let name = layer_of(mem_op).ok_or(format!("no operand linked to {mem_op}"))?;
        Ok(num(&prec[name.as_str()])? as u32)
    };
    let precision = Precision {
        input_bits: bits("I1")?,
        weight_bits: bits("I2")?,
        psum_bits: num(&prec["O"])? as u32,
        output_bits: num(&prec["O_final"])? as u32,
    };
    let dim_refs: Vec<(&str, u64)> = dims.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let layer = Layer::new(str_of(&rec["layer"])?, &dim_refs, access, order, precision);

    let array_dims: Vec<&String> = arch.array.dims.keys().collect();
    let mut spatial = Vec::new();
    for (oa, unrolls) in obj(&rec["spatial"])? {
        let array_dim = array_dims.iter().position(|d| *d == oa).ok_or(format!("unknown array dim {oa}"))?;
        for (d, f) in obj(unrolls)? {
            spatial.push(Unroll { array_dim, dim: dim(d)?, factor: num(f)? });
        }
    }
    let mut levels: [Vec<usize>; 3] = Default::default();
    let mut cuts: [Vec<usize>; 3] = Default::default();
    let mut order_of: [Vec<(usize, f64)>; 3] = Default::default();
    for (layer_op, per_level) in obj(&rec["temporal"])? {
        let o = dnnc_cost::problem::op_index(ours(layer_op)?);
        let names = arr(&rec["levels"][layer_op.as_str()])?;
        for n in names {
            let name = str_of(n)?;
            levels[o].push(arch.memory(name).ok_or(format!("memory {name} not in the accelerator"))?.0);
        }
        let per_level = arr(per_level)?;
        for (m, lvl) in per_level.iter().enumerate() {
            for l in arr(lvl)? {
                let l = arr(l)?;
                order_of[o].push((dim(str_of(&l[0])?)?, num(&l[1])?));
            }
            if m + 1 < per_level.len() {
                cuts[o].push(order_of[o].len());
            }
        }
    }
    if order_of[0] != order_of[1] || order_of[1] != order_of[2] {
        return Err("operands' loop orders differ".into());
    }
    let loops = order_of[2].iter().map(|&(dim, size)| Loop { dim, size }).collect();
    Ok((layer, Mapping { spatial, loops, levels, cuts }))
}

struct Sample {
    group: String,
    dnnc: Cost<f64>,
    zigzag: (f64, f64),
    describe: String,
}

impl Sample {
    fn err_energy(&self) -> f64 {
        (self.dnnc.energy - self.zigzag.0) / self.zigzag.0
    }
    fn err_latency(&self) -> f64 {
        (self.dnnc.latency - self.zigzag.1) / self.zigzag.1
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn abs_sorted(xs: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = xs.map(f64::abs).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Ranks with ties averaged.
fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        for &k in &idx[i..=j] {
            r[k] = (i + j) as f64 / 2.0;
        }
        i = j + 1;
    }
    r
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

fn run(args: &Args) -> Result<(), String> {
    let text = std::fs::read_to_string(&args.records).map_err(|e| format!("{}: {e}", args.records))?;
    let mut arches: BTreeMap<String, Accelerator> = BTreeMap::new();
    let mut samples = Vec::new();
    let mut rejected = 0usize;
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let rec: Value = serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", args.records, i + 1))?;
        let arch_name = str_of(&rec["arch"])?.to_string();
        if !arches.contains_key(&arch_name) {
            let path = format!("{}/{arch_name}.yaml", args.hw);
            let acc = Accelerator::load(std::path::Path::new(&path)).map_err(|e| e.to_string())?;
            arches.insert(arch_name.clone(), acc);
        }
        let arch = &arches[&arch_name];
        let (layer, mut mapping) = match convert(&rec, arch) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{}:{}: skipped: {e}", args.records, i + 1);
                rejected += 1;
                continue;
            }
        };
        if args.reallocate {
            match dnnc_cost::zigzag_cuts(arch, &layer, &mapping.spatial, &mapping.loops) {
                Some(cuts) => mapping.cuts = cuts,
                None => {
                    eprintln!("{}:{}: dnnc's allocator rejects this ordering", args.records, i + 1);
                    rejected += 1;
                    continue;
                }
            }
        }
        let cost = evaluate(arch, &layer, &mapping);
        let zz = &rec["zigzag"];
        samples.push(Sample {
            group: format!("{} {} {}", arch_name, str_of(&rec["workload"])?, str_of(&rec["source"])?),
            dnnc: cost,
            zigzag: (num(&zz["energy"])?, num(&zz["latency"])?),
            describe: format!("line {} {}: {}", i + 1, layer.name, mapping.describe(arch, &layer)),
        });
    }
    if samples.is_empty() {
        return Err("no records".into());
    }
    let mut groups: BTreeMap<&str, Vec<&Sample>> = BTreeMap::new();
    for s in &samples {
        groups.entry(&s.group).or_default().push(s);
    }
    println!(
        "{:<44} {:>6} {:>10} {:>10} {:>10} {:>10}",
        "accelerator workload source", "n", "med|dE|", "p95|dE|", "med|dL|", "p95|dL|"
    );
    for (g, ss) in &groups {
        let e = abs_sorted(ss.iter().map(|s| s.err_energy()));
        let l = abs_sorted(ss.iter().map(|s| s.err_latency()));
        println!(
            "{g:<44} {:>6} {:>9.3}% {:>9.3}% {:>9.3}% {:>9.3}%",
            ss.len(),
            100.0 * quantile(&e, 0.5),
            100.0 * quantile(&e, 0.95),
            100.0 * quantile(&l, 0.5),
            100.0 * quantile(&l, 0.95)
        );
    }
    let mut worst: Vec<&Sample> = samples.iter().collect();
    worst.sort_by(|a, b| {
        (b.err_energy().abs() + b.err_latency().abs()).total_cmp(&(a.err_energy().abs() + a.err_latency().abs()))
    });
    for s in worst.iter().take(args.worst).filter(|s| s.err_energy().abs() + s.err_latency().abs() > 0.0) {
        eprintln!(
            "worst: dE {:+.3}% dL {:+.3}% (dnnc E {:.6e} L {} vs ZigZag E {:.6e} L {}) {}",
            100.0 * s.err_energy(),
            100.0 * s.err_latency(),
            s.dnnc.energy,
            s.dnnc.latency,
            s.zigzag.0,
            s.zigzag.1,
            s.describe
        );
    }
    let e = abs_sorted(samples.iter().map(Sample::err_energy));
    let l = abs_sorted(samples.iter().map(Sample::err_latency));
    let de: Vec<f64> = samples.iter().map(|s| s.dnnc.energy).collect();
    let ze: Vec<f64> = samples.iter().map(|s| s.zigzag.0).collect();
    let dl: Vec<f64> = samples.iter().map(|s| s.dnnc.latency).collect();
    let zl: Vec<f64> = samples.iter().map(|s| s.zigzag.1).collect();
    println!(
        "mappings={} rejected={} median_err_energy={:.6} p95_err_energy={:.6} max_err_energy={:.6} median_err_latency={:.6} p95_err_latency={:.6} max_err_latency={:.6} spearman_energy={:.6} spearman_latency={:.6}",
        samples.len(),
        rejected,
        quantile(&e, 0.5),
        quantile(&e, 0.95),
        e.last().copied().unwrap_or(0.0),
        quantile(&l, 0.5),
        quantile(&l, 0.95),
        l.last().copied().unwrap_or(0.0),
        spearman(&de, &ze),
        spearman(&dl, &zl)
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zigzag_fidelity: {e}");
            ExitCode::FAILURE
        }
    }
}

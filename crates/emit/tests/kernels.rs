//! `--emit=kernels`: the descriptors of real designs validate against docs/kernels.schema.json
//! (with the `jsonschema` crate), hang together (every channel joins two existing ports, totals
//! are the sums), and every field is documented in docs/kernels.md.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dnnc_emit::kernels::{KernelDesign, SCHEMA, kernel_design, kernels_json};
use dnnc_ir::{Context, OpId, PassManager, PassManagerOptions};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn design(model: &str, bindings: &[(&str, i64)], pipeline: &str) -> (Context, OpId) {
    let m = dnnc_onnx::read_model_any(repo().join(model)).unwrap();
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    let mut options = dnnc_onnx::ImportOptions::default();
    for (k, v) in bindings {
        options.bindings.insert(k.to_string(), *v);
    }
    let module = dnnc_onnx::import_model(&mut cx, &m, &options).unwrap();
    for p in ["builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)", pipeline] {
        let mut pm = PassManager::parse(p, &dnnc_passes::registry(), PassManagerOptions::default()).unwrap();
        pm.run(&mut cx, module, &mut std::io::sink()).unwrap_or_else(|e| panic!("{p}: {e}"));
    }
    (cx, module)
}

fn pipelines() -> [String; 2] {
    [
        dnnc_passes::dataflow_pipeline("u55c"),
        "builtin.module(convert-to-dataflow{tile=4},insert-layout-converters,insert-dma)".to_string(),
    ]
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("docs/kernels.schema.json")).unwrap()).unwrap()
}

fn designs() -> Vec<(String, String)> {
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let mut out = Vec::new();
    for (model, bind) in [
        ("test-suite/onnxtxt/attention.onnxtxt", &[("N", 8i64)][..]),
        ("test-suite/hls/residual.onnxtxt", &[][..]),
        ("test-suite/hls/conv.onnxtxt", &[][..]),
    ] {
        for p in pipelines() {
            let (cx, module) = design(model, bind, &p);
            out.push((format!("{model} with {p}"), kernels_json(&cx, module, &board).unwrap()));
        }
    }
    // Regions pipelined: split on the tiny board, allocated on the U55C.
    let tiny = format!("board=\"{}\"", repo().join("test-suite/hls/tiny_board.toml").display());
    let p = format!(
        "builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{{{tiny}}},partition-dataflow{{{tiny}}},\
         allocate-resources{{board=u55c regions=pipelined}},size-fifos)"
    );
    let (cx, module) = design("test-suite/hls/repeat.onnxtxt", &[], &p);
    out.push((format!("repeat with {p}"), kernels_json(&cx, module, &board).unwrap()));
    out
}

/// Asked to pipeline regions whose designs cannot each have their minimum HBM bandwidth at
/// once (the U55C's fabric with one slow HBM channel), `allocate-resources` allocates them
/// resident, one request at a time, and the descriptors say so.
#[test]
fn pipelining_that_does_not_fit_falls_back_to_resident() {
    let dir = std::env::temp_dir().join(format!("dnnc-narrow-hbm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let narrow = dir.join("narrow_hbm.toml");
    let u55c = dnnc_arch::fpga::preset_source("u55c").unwrap();
    let text = u55c
        .replace("name = \"u55c\"", "name = \"narrow\"")
        .replace("channels = 32", "channels = 1")
        .replace("gbps_per_channel = 14.375", "gbps_per_channel = 1.5");
    assert!(text.contains("channels = 1") && text.contains("gbps_per_channel = 1.5"), "{text}");
    std::fs::write(&narrow, text).unwrap();
    let tiny = format!("board=\"{}\"", repo().join("test-suite/hls/tiny_board.toml").display());
    let p = format!(
        "builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{{{tiny}}},partition-dataflow{{{tiny}}},\
         allocate-resources{{board=\"{}\" regions=pipelined}},size-fifos)",
        narrow.display()
    );
    let (cx, module) = design("test-suite/hls/repeat.onnxtxt", &[], &p);
    let _ = std::fs::remove_dir_all(&dir);
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let d: KernelDesign = serde_json::from_str(&kernels_json(&cx, module, &board).unwrap()).unwrap();
    assert!(d.regions.len() > 1);
    assert_eq!(d.execution.regions, "resident");
    assert!(d.execution.pipeline.is_none());
    // Not a pipelining that was merely slower: none was possible.
    let func = cx.nested_ops(module).into_iter().find(|&o| cx.is(o, "func.func")).unwrap();
    assert!(cx.attr(func, dnnc_dataflow::DECLINED_PERIOD_ATTR).is_none());
}

/// Pipelined regions say so, with the period between requests and the copies of each spill the
/// host keeps; the others have no pipeline.
#[test]
fn pipelined_regions_describe_their_schedule() {
    for (what, text) in designs() {
        let d: KernelDesign = serde_json::from_str(&text).unwrap();
        if what.contains("regions=pipelined") {
            assert_eq!(d.execution.regions, "pipelined", "{what}");
            let p = d.execution.pipeline.as_ref().unwrap_or_else(|| panic!("{what}: no pipeline"));
            assert!(p.period_cycles > 0.0 && p.request_latency_cycles >= p.period_cycles, "{what}: {p:?}");
            assert!(p.in_flight >= 1, "{what}: {p:?}");
        } else {
            assert_eq!(d.execution.regions, "resident", "{what}");
            assert!(d.execution.pipeline.is_none(), "{what}");
        }
    }
}

#[test]
fn descriptors_validate_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("the schema is valid JSON Schema");
    for (what, text) in designs() {
        let v: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&v).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{what}: {errors:#?}");
        assert_eq!(v["schema"], SCHEMA);
        // The schema is strict enough to catch a broken descriptor.
        let mut bad = v.clone();
        bad["kernels"][0]["ii"] = Value::from(0);
        assert!(!validator.is_valid(&bad), "{what}: ii = 0 passed the schema");
        let mut bad = v.clone();
        bad["kernels"][0]["surprise"] = Value::from(1);
        assert!(!validator.is_valid(&bad), "{what}: an unknown field passed the schema");
    }
}

#[test]
fn descriptors_hang_together() {
    for (what, text) in designs() {
        let d: KernelDesign = serde_json::from_str(&text).unwrap();
        let mut ports: BTreeSet<(String, String)> = BTreeSet::new();
        for k in &d.kernels {
            assert!(!k.einsums.is_empty(), "{what}: {} computes nothing", k.name);
            assert_eq!(k.firings, k.loops.iter().map(|l| l.trips).product::<i64>(), "{what}: {}", k.name);
            for p in k.inputs.iter().chain(&k.outputs) {
                assert!(p.channel.is_some() || p.tensor.is_some(), "{what}: {}.{} is unconnected", k.name, p.name);
                if let Some(l) = &p.layout {
                    assert_eq!(l.tokens, l.trips.iter().product::<i64>(), "{what}: {}.{}", k.name, p.name);
                }
                ports.insert((k.name.clone(), p.name.clone()));
            }
        }
        let nodes: BTreeSet<&str> = d
            .kernels
            .iter()
            .map(|k| k.name.as_str())
            .chain(d.converters.iter().map(|c| c.name.as_str()))
            .chain(d.dma.iter().map(|c| c.name.as_str()))
            .chain(d.forks.iter().map(|c| c.name.as_str()))
            .chain(d.joins.iter().map(|c| c.name.as_str()))
            .collect();
        let mut fifo = 0;
        for c in &d.channels {
            for e in [&c.producer, &c.consumer] {
                assert!(nodes.contains(e.node.as_str()), "{what}: channel {} names node {}", c.name, e.node);
            }
            assert_eq!(c.bytes, c.depth * c.layout.tile_bytes, "{what}: {}", c.name);
            fifo += c.bytes;
            // A kernel end of a channel names the channel on its port.
            for (e, input) in [(&c.consumer, true), (&c.producer, false)] {
                if let Some(k) = d.kernels.iter().find(|k| k.name == e.node) {
                    let ports = if input { &k.inputs } else { &k.outputs };
                    let p = ports.iter().find(|p| p.name == e.port).expect("port exists");
                    assert_eq!(p.channel.as_deref(), Some(c.name.as_str()), "{what}");
                }
            }
        }
        assert_eq!(d.totals.fifo_bytes, fifo, "{what}");
        assert_eq!(d.totals.converter_bytes, d.converters.iter().map(|c| c.bytes).sum::<i64>(), "{what}");
        assert_eq!(d.totals.dma_bytes, d.dma.iter().map(|c| c.bytes).sum::<i64>(), "{what}");
        assert!(d.dma.iter().all(|m| m.hbm_channel < d.board.hbm_channels), "{what}");
        assert!(d.dma.iter().any(|m| m.direction == "store"), "{what}: no output store");
        // A region's design is its first region of that design.
        for r in &d.regions {
            assert!(r.design <= r.index && d.regions[r.design].design == r.design, "{what}: region {}", r.index);
        }
        let (all, one) = (&d.totals.resources, &d.totals.instance_resources);
        assert!(one.dsp <= all.dsp && one.lut <= all.lut && one.bram <= all.bram, "{what}");
    }
}

/// The HBM placement, re-derived from the descriptors alone: every engine streams its tensor
/// over the tensor's channels, a tensor has the ports its engines' bandwidth needs at one
/// pseudo channel's rate, and each channel's `peak_load` is what the engines that run at the
/// same time ask of it — one region at a time, or pipelined, every design at once (its busiest
/// region on that channel). On GPT-2 (two layers) no channel is asked for more than it has.
#[test]
fn hbm_placement_keeps_channels_within_their_bandwidth() {
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let mut all = designs();
    for regions in ["resident", "pipelined"] {
        let p = dnnc_passes::dataflow_pipeline_with("u55c", "0.75", regions);
        let (cx, module) = design("test-suite/models/gpt2_l2_s128.onnx", &[], &p);
        all.push((format!("gpt2_l2_s128 {regions}"), kernels_json(&cx, module, &board).unwrap()));
    }
    for (what, text) in all {
        let d: KernelDesign = serde_json::from_str(&text).unwrap();
        let channels = d.board.hbm_channels as usize;
        let rate = d.hbm.port_bytes_per_cycle;
        // 92 % of 14.375 GB/s at 300 MHz.
        assert!((rate - 0.92 * 14.375e9 / 300e6).abs() < 1e-3, "{what}: {rate}");
        assert_eq!(d.hbm.peak_load.len(), channels, "{what}");
        let pipelined = d.execution.regions == "pipelined";
        // [design or region][channel]: per region, the sum of its engines on the channel.
        let mut by_region = vec![vec![0.0f64; channels]; d.regions.len()];
        for m in &d.dma {
            let t = d.tensors.iter().find(|t| t.name == m.tensor).expect("a DMA's tensor");
            assert_eq!(t.hbm_channels.len() as u32, t.ports, "{what}: {}", t.name);
            assert_eq!((m.hbm_channel, m.ports), (t.hbm_channels[0], t.ports), "{what}: {}", m.name);
            let bw = m.bytes_per_cycle.unwrap_or(0) as f64;
            assert!(f64::from(t.ports) * rate >= bw - 1e-6, "{what}: {} at {bw} over {} ports", m.name, t.ports);
            for &c in &t.hbm_channels {
                by_region[m.region][c as usize] += bw / f64::from(t.ports);
            }
        }
        for c in 0..channels {
            let peak = if pipelined {
                let mut most = vec![0.0f64; d.regions.len()];
                for r in &d.regions {
                    most[r.design] = most[r.design].max(by_region[r.index][c]);
                }
                most.iter().sum::<f64>()
            } else {
                by_region.iter().map(|r| r[c]).fold(0.0, f64::max)
            };
            assert!((peak - d.hbm.peak_load[c]).abs() < 2e-3, "{what}: channel {c}: {peak} vs {}", d.hbm.peak_load[c]);
            assert!(peak <= rate + 1e-3, "{what}: channel {c} asked for {peak} of {rate} bytes per cycle");
        }
    }
}

/// Llama's two layers: the regions the layers repeat are one design each, so one bitstream
/// holds fewer resources than all regions summed, and it fits the pipeline's share of the board.
#[test]
fn one_bitstream_holds_each_design_once() {
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let (cx, module) = design("test-suite/models/llama_l2_s256.onnx", &[], &pipelines()[0]);
    let d: KernelDesign = serde_json::from_str(&kernels_json(&cx, module, &board).unwrap()).unwrap();
    let shared = d.regions.iter().filter(|r| r.design != r.index).count();
    assert!(shared > 0, "no region repeats a design");
    let (all, one) = (&d.totals.resources, &d.totals.instance_resources);
    assert!(one.dsp < all.dsp, "{one:?} vs {all:?}");
    assert!(one.dsp as f64 <= 0.75 * board.dsps as f64, "{one:?}");
}

#[test]
fn deterministic() {
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let p = &pipelines()[0];
    let (cx, m) = design("test-suite/onnxtxt/attention.onnxtxt", &[("N", 8)], p);
    let (cx2, m2) = design("test-suite/onnxtxt/attention.onnxtxt", &[("N", 8)], p);
    assert_eq!(kernels_json(&cx, m, &board).unwrap(), kernels_json(&cx2, m2, &board).unwrap());
    assert_eq!(kernel_design(&cx, m, &board).unwrap().board.name, "u55c");
}

#[test]
fn einsum_ir_without_kernels_is_an_error() {
    let board = dnnc_arch::fpga::preset("u55c").unwrap();
    let (cx, module) = design("test-suite/hls/mlp.onnxtxt", &[], "builtin.module(canonicalize)");
    let e = kernels_json(&cx, module, &board).unwrap_err();
    assert!(e.contains("no dataflow kernels"), "{e}");
}

/// Every property the schema defines is described in docs/kernels.md.
#[test]
fn every_field_is_documented() {
    fn keys(v: &Value, out: &mut BTreeSet<String>) {
        if let Some(obj) = v.as_object() {
            if let Some(props) = obj.get("properties").and_then(Value::as_object) {
                out.extend(props.keys().cloned());
            }
            obj.values().for_each(|c| keys(c, out));
        }
    }
    let mut names = BTreeSet::new();
    keys(&schema(), &mut names);
    let doc = std::fs::read_to_string(repo().join("docs/kernels.md")).unwrap();
    let missing: Vec<&String> = names.iter().filter(|n| !doc.contains(&format!("`{n}`"))).collect();
    assert!(missing.is_empty(), "fields missing from docs/kernels.md: {missing:?}");
}

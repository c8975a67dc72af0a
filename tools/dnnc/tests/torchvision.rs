//! The whole driver on the exported model zoo of test-suite/models: the torchvision
//! classifiers of torchvision/ and the small Hugging Face transformers of hf/. Each classifier
//! schedules on a spatial accelerator — every MAC of the network in the schedule, the count
//! crates/onnx's import test checks against PyTorch and ONNX — and compiles to a dataflow
//! design for the U55C: in one bitstream where its distinct region designs fit side by side,
//! and otherwise (GoogLeNet, DenseNet, ConvNeXt) with an error naming `--regions time-shared`,
//! which then compiles.

mod common;
use common::{dnnc, root};

const MODELS: [(&str, u64, bool); 10] = [
    // (model, MACs, whether one bitstream holds its region designs at the default share)
    ("mobilenet_v2", 300_774_272, true),
    ("mobilenet_v3_small", 56_510_400, true),
    ("efficientnet_b0", 385_814_752, true),
    ("shufflenet_v2_x0_5", 40_476_448, true),
    ("squeezenet1_1", 349_151_936, true),
    ("googlenet", 1_498_376_192, false),
    ("densenet121", 2_834_161_664, false),
    ("regnet_y_400mf", 401_842_848, true),
    ("convnext_tiny", 4_455_531_264, false),
    ("vit_b_16", 17_563_828_224, true),
];

fn path(model: &str) -> String {
    root().join(format!("test-suite/models/torchvision/{model}.onnx")).to_string_lossy().into_owned()
}

#[test]
fn every_classifier_schedules_all_its_macs() {
    for (model, macs, _) in MODELS {
        let (code, json, err) = dnnc(&[&path(model), "--arch", "tpu_like", "--emit=json"]);
        assert_eq!(code, 0, "{model}: {err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["totals"]["macs"].as_u64(), Some(macs), "{model}");
        let latency = v["totals"]["latency_cycles"].as_f64().unwrap();
        // No faster than the array's peak.
        assert!(latency >= macs as f64 / 1024.0, "{model}: {latency} cycles for {macs} MACs on 1024 PEs");
    }
}

#[test]
fn every_classifier_compiles_for_the_u55c() {
    for (model, _, resident) in MODELS {
        let (code, report, err) = dnnc(&[&path(model), "--arch", "u55c", "--emit=report"]);
        if resident {
            assert_eq!(code, 0, "{model}: {err}");
            assert!(report.contains("one instance each"), "{model}: {report}");
            continue;
        }
        assert_ne!(code, 0, "{model}: its designs fit side by side now; move it to the resident ones");
        assert!(err.contains("--regions time-shared"), "{model}: {err}");
        let (code, report, err) = dnnc(&[&path(model), "--arch", "u55c", "--emit=report", "--regions", "time-shared"]);
        assert_eq!(code, 0, "{model}: {err}");
        assert!(report.contains("time-shared") && report.contains("largest region"), "{model}: {report}");
    }
}

/// The small Hugging Face transformers of test-suite/models/hf: each schedules every MAC on
/// tpu_like and compiles for the U55C in one bitstream.
#[test]
fn every_transformer_schedules_and_compiles_for_the_u55c() {
    for (model, macs) in [
        ("qwen2", 91_881_472),
        ("gemma", 89_784_320),
        ("mistral", 91_881_472),
        ("llama3", 91_881_472),
        ("opt", 87_687_168),
        ("phi3", 104_464_384),
        ("gpt_neox", 87_687_168),
        ("bloom", 121_241_600),
        ("falcon", 106_561_536),
        ("distilbert", 71_303_168),
        ("t5_encoder", 71_303_168),
    ] {
        let path = root().join(format!("test-suite/models/hf/{model}.onnx")).to_string_lossy().into_owned();
        let (code, json, err) = dnnc(&[&path, "--arch", "tpu_like", "--emit=json"]);
        assert_eq!(code, 0, "{model}: {err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["totals"]["macs"].as_u64(), Some(macs), "{model}");
        let (code, report, err) = dnnc(&[&path, "--arch", "u55c", "--emit=report"]);
        assert_eq!(code, 0, "{model}: {err}");
        assert!(report.contains("one instance each"), "{model}: {report}");
    }
}

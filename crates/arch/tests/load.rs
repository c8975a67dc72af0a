//! `Accelerator::load` and `resolve`: format by extension, presets before files, I/O errors.

use dnnc_arch::{Accelerator, ArchError};

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn load_picks_the_format_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(data("tpu_like.yaml")).unwrap();
    let toml = Accelerator::preset_source("tpu_like").unwrap();
    let from_yaml = Accelerator::from_zigzag_yaml(&yaml, "x").unwrap();
    for (file, text) in
        [("a.yaml", yaml.as_str()), ("b.yml", yaml.as_str()), ("c.YAML", yaml.as_str()), ("d.toml", toml)]
    {
        let path = dir.path().join(file);
        std::fs::write(&path, text).unwrap();
        let mut acc = Accelerator::load(&path).unwrap();
        acc.vector = None;
        assert_eq!(acc, from_yaml, "{file}");
        // resolve falls back to the file.
        let mut acc = Accelerator::resolve(path.to_str().unwrap()).unwrap();
        acc.vector = None;
        assert_eq!(acc, from_yaml, "{file}");
    }

    // A YAML text under .toml is read as TOML, and the error names the path.
    let wrong = dir.path().join("wrong.toml");
    std::fs::write(&wrong, &yaml).unwrap();
    let e = Accelerator::load(&wrong).unwrap_err().to_string();
    assert!(e.starts_with(&format!("{}:", wrong.display())), "{e}");

    for file in ["x.json", "noext"] {
        let path = dir.path().join(file);
        std::fs::write(&path, &yaml).unwrap();
        assert!(matches!(Accelerator::load(&path), Err(ArchError::UnknownExtension { .. })));
    }
}

#[test]
fn missing_files_and_unknown_names() {
    let e = Accelerator::load("/nonexistent/hw.toml").unwrap_err();
    assert!(matches!(e, ArchError::Io { .. }));
    assert!(e.to_string().starts_with("/nonexistent/hw.toml: "), "{e}");
    let e = Accelerator::resolve("tpu_lik").unwrap_err();
    assert_eq!(
        e.to_string(),
        "\"tpu_lik\" is neither an accelerator preset (tpu_like, eyeriss_like, gemmini, simba_like) nor an existing file"
    );
}

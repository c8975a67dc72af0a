//! dnnc's TOML format: units, generated and explicit ports, defaults, the examples in
//! docs/arch.md, and error messages with lines.

use dnnc_arch::{Accelerator, ArchError, Direction, Operand, PortKind, Precision};

const MINIMAL: &str = r#"
name = "mini"

[array]
dims = ["rows", "cols"]
sizes = [4, 8]
mac_energy_pj = 0.5

[[memory]]
name = "reg"
capacity = "4B"
read_energy_pj = 0.1
write_energy_pj = 0.2
bw_bits = 16
holds = ["W", "O"]
shared_across = []

[[memory]]
name = "buf"
capacity = "64KiB"
read_energy_pj = 5.0
write_energy_pj = 6.0
read_bw_bits = 128
write_bw_bits = 64
min_granule_bits = 8
holds = ["I", "W", "O"]
shared_across = "all"
double_buffered = true
latency_cycles = 2

[[memory]]
name = "dram"
capacity_bits = 8000000000
read_energy_pj = 200.0
write_energy_pj = 200.0
bw_bits = 64
ports = "rw"
holds = ["I", "W", "O"]
shared_across = ["rows", "cols"]
"#;

fn parse(text: &str) -> Result<Accelerator, ArchError> {
    Accelerator::from_toml(text, "hw.toml")
}

fn error(text: &str) -> String {
    parse(text).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn minimal_description_and_defaults() {
    let acc = parse(MINIMAL).unwrap();
    assert_eq!(acc.name, "mini");
    assert_eq!(acc.clock_mhz, 1000.0);
    assert_eq!(acc.array.pe_count(), 32);
    assert_eq!(acc.array.precision, Precision::default());
    assert!(acc.array.systolic_dims.is_empty());
    assert_eq!(acc.vector, None);

    let reg = &acc.memories[0];
    assert_eq!(reg.size_bits, 32);
    assert_eq!((reg.read_pj, reg.write_pj, reg.latency_cycles, reg.double_buffered), (0.1, 0.2, 1, false));
    assert_eq!(reg.operands, [Operand::W, Operand::O]);
    assert!(reg.served_dims.is_empty());
    // Split ports: every read flow on r_port_1, every write flow on w_port_1, operand by operand.
    assert_eq!(reg.ports.len(), 2);
    assert_eq!((reg.ports[0].name.as_str(), reg.ports[0].kind), ("r_port_1", PortKind::Read));
    assert_eq!(
        reg.ports[0].serves,
        [(Operand::W, Direction::ReadToLow), (Operand::O, Direction::ReadToLow), (Operand::O, Direction::ReadToHigh)]
    );
    assert_eq!(
        reg.ports[1].serves,
        [
            (Operand::W, Direction::WriteFromHigh),
            (Operand::O, Direction::WriteFromHigh),
            (Operand::O, Direction::WriteFromLow)
        ]
    );
    assert_eq!((reg.ports[0].bw_min_bits, reg.ports[0].bw_max_bits), (16, 16));

    let buf = &acc.memories[1];
    assert_eq!(buf.size_bits, 64 * 1024 * 8);
    assert_eq!(buf.served_dims, ["rows", "cols"], "\"all\" is every array dimension");
    assert_eq!((buf.double_buffered, buf.latency_cycles), (true, 2));
    assert_eq!((buf.ports[0].bw_min_bits, buf.ports[0].bw_max_bits), (8, 128));
    assert_eq!((buf.ports[1].bw_min_bits, buf.ports[1].bw_max_bits), (8, 64));

    let dram = &acc.memories[2];
    assert_eq!(dram.ports.len(), 1);
    assert_eq!((dram.ports[0].name.as_str(), dram.ports[0].kind), ("rw_port_1", PortKind::ReadWrite));
    assert_eq!(dram.ports[0].serves.len(), 8);
    assert_eq!(acc.shared_top(), Some(2));
}

#[test]
fn precision_vector_and_clock() {
    let text = MINIMAL.replace(
        "mac_energy_pj = 0.5\n",
        "mac_energy_pj = 0.5\nsystolic = [\"cols\"]\n[array.precision]\npsum_bits = 32\n",
    ) + "clock_mhz_is_not_here = 0\n";
    // Keys after [[memory]] belong to the last memory: an unknown one is an error there.
    assert_eq!(
        error(&text),
        "hw.toml:43:1: memory \"dram\": unknown field `clock_mhz_is_not_here`, expected one of `name`, `capacity`, \
         `capacity_bits`, `read_energy_pj`, `write_energy_pj`, `read_bw_bits`, `write_bw_bits`, `bw_bits`, \
         `min_granule_bits`, `holds`, `shared_across`, `double_buffered`, `latency_cycles`, `ports`, `port`"
    );
    let text = format!("clock_mhz = 700\n{}\n[vector]\nlanes = 4\nop_energy_pj = 0.3\nmemory = \"buf\"\n", MINIMAL)
        .replace(
            "mac_energy_pj = 0.5\n",
            "mac_energy_pj = 0.5\nsystolic = [\"cols\"]\n[array.precision]\npsum_bits = 32\n",
        );
    let acc = parse(&text).unwrap();
    assert_eq!(acc.clock_mhz, 700.0);
    assert_eq!(acc.array.systolic_dims, ["cols"]);
    assert_eq!(acc.array.precision, Precision { psum_bits: 32, ..Precision::default() });
    let v = acc.vector.unwrap();
    assert_eq!((v.lanes, v.op_pj, v.memory.as_str()), (4, 0.3, "buf"));
}

#[test]
fn explicit_ports() {
    let text = MINIMAL.replace(
        "bw_bits = 16\nholds = [\"W\", \"O\"]\nshared_across = []\n",
        r#"holds = ["W", "O"]
shared_across = []

[[memory.port]]
name = "rw_port_1"
kind = "read_write"
bw_bits = 32
min_granule_bits = 8
serves = ["O, fl", "W tl", "O:tl", "I2 fh"]

[[memory.port]]
name = "r_port_2"
kind = "read"
bw_bits = 16
serves = ["O th"]

[[memory.port]]
name = "w_port_2"
kind = "write"
bw_bits = 16
serves = ["O fh"]
"#,
    );
    let acc = parse(&text).unwrap();
    let reg = &acc.memories[0];
    assert_eq!(reg.ports.len(), 3);
    assert_eq!((reg.ports[0].kind, reg.ports[0].bw_min_bits, reg.ports[0].bw_max_bits), (PortKind::ReadWrite, 8, 32));
    // Stored operand by operand in `holds` order, directions in order of appearance.
    assert_eq!(
        reg.ports[0].serves,
        [
            (Operand::W, Direction::ReadToLow),
            (Operand::W, Direction::WriteFromHigh),
            (Operand::O, Direction::WriteFromLow),
            (Operand::O, Direction::ReadToLow)
        ]
    );
    assert_eq!(reg.port_for(Operand::O, Direction::ReadToHigh), Some(1));
}

#[test]
fn capacities() {
    for (capacity, bits) in [("\"1B\"", 8u64), ("\"1.5KiB\"", 12_288), ("\"2 MiB\"", 16_777_216), ("\"24bit\"", 24)] {
        let text = MINIMAL.replace("capacity = \"4B\"", &format!("capacity = {capacity}"));
        assert_eq!(parse(&text).unwrap().memories[0].size_bits, bits, "{capacity}");
    }
}

#[test]
fn errors_name_the_file_line_memory_and_field() {
    let reg = "bw_bits = 16\nholds = [\"W\", \"O\"]";
    let cases: Vec<(String, &str)> = vec![
        (MINIMAL.replace("bw_bits = 16", "bw_bits = 0"), "hw.toml:9: memory \"reg\": bw_bits must be > 0"),
        (
            MINIMAL.replace("read_bw_bits = 128", "read_bw_bits = 0"),
            "hw.toml:18: memory \"buf\": read_bw_bits must be > 0",
        ),
        (
            MINIMAL.replace("min_granule_bits = 8", "min_granule_bits = 100"),
            "hw.toml:18: memory \"buf\": min_granule_bits 100 exceeds the port width 64 bits",
        ),
        (
            MINIMAL.replace("capacity = \"4B\"", "capacity = \"4MB\""),
            "hw.toml:9: memory \"reg\": capacity: \"4MB\": MB is ambiguous (1000 or 1024?); write KiB/MiB/GiB for powers \
             of 1024, or give capacity_bits",
        ),
        (
            MINIMAL.replace("capacity = \"4B\"", "capacity = 32"),
            "hw.toml:9: memory \"reg\": capacity needs a unit, like \"128B\" or \"2MiB\"; give a number of bits as capacity_bits",
        ),
        (
            MINIMAL.replace("capacity = \"4B\"", "capacity = \"4B\"\ncapacity_bits = 32"),
            "hw.toml:9: memory \"reg\": give either capacity or capacity_bits, not both",
        ),
        (
            MINIMAL.replace("capacity = \"4B\"", "capacity = \"0B\""),
            "hw.toml:9: memory \"reg\": the capacity must be > 0",
        ),
        (
            MINIMAL.replace("read_energy_pj = 0.1", "read_energy_pj = nan"),
            "hw.toml:9: memory \"reg\": read_energy_pj must be finite and >= 0, not NaN",
        ),
        (
            MINIMAL.replace("write_energy_pj = 0.2", "write_energy_pj = -0.2"),
            "hw.toml:9: memory \"reg\": write_energy_pj must be finite and >= 0, not -0.2",
        ),
        (MINIMAL.replace("read_energy_pj = 0.1\n", ""), "hw.toml:9:1: memory \"reg\": missing field `read_energy_pj`"),
        (
            MINIMAL.replace(reg, "bw_bits = 16\nread_bw_bits = 8\nholds = [\"W\", \"O\"]"),
            "hw.toml:9: memory \"reg\": give either bw_bits or read_bw_bits/write_bw_bits, not both",
        ),
        (
            MINIMAL.replace(reg, "read_bw_bits = 16\nholds = [\"W\", \"O\"]"),
            "hw.toml:9: memory \"reg\": write_bw_bits (or bw_bits) is missing",
        ),
        (
            MINIMAL.replace("bw_bits = 64\nports = \"rw\"", "read_bw_bits = 64\nwrite_bw_bits = 32\nports = \"rw\""),
            "hw.toml:31: memory \"dram\": a read-write port has one width, but read_bw_bits = 64 and write_bw_bits = 32",
        ),
        (
            MINIMAL.replace("ports = \"rw\"", "ports = \"dual\""),
            "hw.toml:31: memory \"dram\": ports = \"dual\" is not a port style (\"split\": a read and a write port; \"rw\": \
             one read-write port)",
        ),
        (
            MINIMAL.replace("holds = [\"W\", \"O\"]", "holds = [\"W\", \"X\"]"),
            "hw.toml:9: memory \"reg\": unknown operand \"X\" in `holds` (expected I, W or O)",
        ),
        (
            MINIMAL.replace("shared_across = []", "shared_across = [\"rows\", \"depth\"]"),
            "hw.toml:9: memory \"reg\": served dimension depth is not an array dimension (the array has rows, cols)",
        ),
        (
            MINIMAL.replace("shared_across = []", "shared_across = \"some\""),
            "hw.toml:9: memory \"reg\": shared_across must be a list of array dimensions ([] for one instance per PE) or \"all\"",
        ),
        (MINIMAL.replace("shared_across = []\n", ""), "hw.toml:9:1: memory \"reg\": missing field `shared_across`"),
        (
            MINIMAL.replace("name = \"dram\"", "name = \"buf\""),
            "hw.toml:31: memory \"buf\": two memories have this name",
        ),
        (MINIMAL.replace("sizes = [4, 8]", "sizes = [4]"), "hw.toml:4: array: 2 dims but 1 sizes"),
        (
            MINIMAL.replace("sizes = [4, 8]", "sizes = [4, 0]"),
            "hw.toml:4: array: dimension cols has size 0; sizes must be > 0",
        ),
        (
            MINIMAL.replace("dims = [\"rows\", \"cols\"]", "dims = [\"rows\", \"rows\"]"),
            "hw.toml:4: array: dimension rows is listed twice",
        ),
        (
            MINIMAL.replace("mac_energy_pj = 0.5", "mac_energy_pj = 0.5\nsystolic = [\"diag\"]"),
            "hw.toml:4: array: systolic dimension diag is not an array dimension",
        ),
        (
            MINIMAL.replace("mac_energy_pj = 0.5", "mac_energy_pj = inf"),
            "hw.toml:4: array: mac_energy_pj must be finite and >= 0, not inf",
        ),
        (
            MINIMAL.replace("mac_energy_pj = 0.5", "mac_energy_pj = 0.5\n[array.precision]\npsum_bits = 0"),
            "hw.toml:4: array: precision psum_bits must be > 0",
        ),
        (
            MINIMAL.replace("name = \"mini\"", "name = \"mini\"\nclock_mhz = 0"),
            "hw.toml: clock_mhz must be a finite number > 0, not 0",
        ),
        (MINIMAL.replace("name = \"mini\"\n", ""), "hw.toml:1:1: missing field `name`"),
        (
            format!("{MINIMAL}\n[vector]\nlanes = 0\nop_energy_pj = 1.0\nmemory = \"buf\"\n"),
            "hw.toml:41: vector: lanes must be > 0",
        ),
        (
            format!("{MINIMAL}\n[vector]\nlanes = 8\nop_energy_pj = 1.0\nmemory = \"l2\"\n"),
            "hw.toml:41: vector: memory \"l2\" does not exist",
        ),
        (
            format!("{MINIMAL}\n[vector]\nlanes = 8\nop_energy_pj = 1.0\nmemory = \"buf\"\nwidth = 3\n"),
            "hw.toml:45:1: vector: unknown field `width`, expected one of `lanes`, `op_energy_pj`, `memory`",
        ),
        (
            MINIMAL.replace("sizes = [4, 8]", "sizes = [4, -8]"),
            "hw.toml:6:13: array: invalid value: integer `-8`, expected u32",
        ),
        (
            MINIMAL.replace("mac_energy_pj = 0.5", "mac_energy_pj = "),
            "hw.toml:7:17: array: string values must be quoted, expected literal string",
        ),
    ];
    let mut bad = Vec::new();
    for (text, want) in cases {
        if error(&text) != want {
            bad.push(format!("got  {}\nwant {want}", error(&text)));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_outputs_innermost_level_must_take_partial_sums_back() {
    // A register holding O with only a read port towards the array and a write port from above.
    let text = MINIMAL.replace(
        "bw_bits = 16\nholds = [\"W\", \"O\"]\nshared_across = []\n",
        r#"holds = ["W", "O"]
shared_across = []

[[memory.port]]
name = "r"
kind = "read"
bw_bits = 16
serves = ["W tl", "O tl", "O th"]

[[memory.port]]
name = "w"
kind = "write"
bw_bits = 16
serves = ["W fh", "O fh"]
"#,
    );
    assert_eq!(
        error(&text),
        "hw.toml:9: memory \"reg\": no port carries O fl (O, fl), which the innermost level of O needs"
    );
}

#[test]
fn explicit_port_errors() {
    let base = MINIMAL.replace(
        "bw_bits = 16\nholds = [\"W\", \"O\"]\nshared_across = []\n",
        "holds = [\"W\", \"O\"]\nshared_across = []\n\n[[memory.port]]\nname = \"p\"\nkind = \"read_write\"\nbw_bits = 16\nserves = [\"W tl\", \"W fh\", \"O tl\", \"O fl\", \"O fh\", \"O th\"]\n",
    );
    parse(&base).unwrap();
    let cases = [
        (base.replace("serves = [\"W tl\",", "serves = [\"I tl\", \"W tl\","), "hw.toml:17: memory \"reg\": port \"p\": serves I tl but the memory does not hold I"),
        (base.replace("\"O th\"]", "\"O th\", \"O tl\"]"), "hw.toml:17: memory \"reg\": port \"p\": O tl is already served by port \"itself\""),
        (base.replace("kind = \"read_write\"", "kind = \"read\""), "hw.toml:17: memory \"reg\": port \"p\": a read port cannot serve the write flow \"W fh\""),
        (base.replace("kind = \"read_write\"", "kind = \"both\""), "hw.toml:17: memory \"reg\": port \"p\": unknown port kind \"both\" (expected read, write or read_write)"),
        (base.replace("bw_bits = 16\nserves", "bw_bits = 16\nmin_granule_bits = 32\nserves"), "hw.toml:17: memory \"reg\": port \"p\": min_granule_bits 32 exceeds bw_bits 16"),
        (base.replace("\"W tl\", \"W fh\"", "\"W up\", \"W fh\""), "hw.toml:17: memory \"reg\": port \"p\": unknown direction \"up\" in flow \"W up\" (expected tl, fh, fl or th)"),
        (base.replace("shared_across = []\n\n[[memory.port]]", "shared_across = []\nbw_bits = 8\n\n[[memory.port]]"), "hw.toml:9: memory \"reg\": bw_bits cannot be combined with an explicit [[memory.port]] list (give bandwidths per port)"),
        (
            base.replace("\"O fh\", \"O th\"]\n", "\"O fh\"]\n\n[[memory.port]]\nname = \"q\"\nkind = \"read\"\nbw_bits = 8\nserves = [\"O th\", \"O tl\"]\n"),
            "hw.toml:23: memory \"reg\": port \"q\": O tl is already served by port \"p\"",
        ),
        (base.replace("name = \"p\"", "name = \"p\"\nwidth = 3"), "hw.toml:19:1: memory \"reg\": port \"p\": unknown field `width`, expected one of `name`, `kind`, `bw_bits`, `min_granule_bits`, `serves`"),
    ];
    let mut bad = Vec::new();
    for (text, want) in cases {
        if error(&text) != want {
            bad.push(format!("got  {}\nwant {want}", error(&text)));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every ```toml block of docs/arch.md parses; the full example is the tpu_like preset.
#[test]
fn docs_examples_parse() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/arch.md")).unwrap();
    let blocks: Vec<&str> = doc.split("```toml\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    assert!(!blocks.is_empty());
    for (i, block) in blocks.iter().enumerate() {
        let acc = Accelerator::from_toml(block, &format!("docs/arch.md block {i}")).unwrap_or_else(|e| panic!("{e}"));
        if i == 0 {
            assert_eq!(acc, Accelerator::preset("tpu_like").unwrap());
        }
    }
}

//! User overrides of memory capacities (`--capacity sram_2MB=1MiB`), for what-if studies and
//! for reserving part of a memory for something the schedule does not see, without editing the
//! accelerator file.

use crate::error::ArchError;
use crate::model::Accelerator;
use crate::units::parse_capacity;

impl Accelerator {
    /// This accelerator with the capacities `spec` names, a comma-separated list of
    /// `MEMORY=CAPACITY` (capacity with a unit, as in the TOML format: `"1MiB"`, `"64B"`). An
    /// empty spec changes nothing. The result is validated again and renamed
    /// `NAME[MEM=CAP,...]`: it is no longer the accelerator its file or preset describes, and
    /// mappings record the accelerator by name (so a verifier never checks them against the
    /// preset's capacities).
    pub fn with_capacities(&self, spec: &str) -> Result<Accelerator, ArchError> {
        let mut arch = self.clone();
        let context = "capacity override";
        let mut applied = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let invalid = |message: String| ArchError::invalid(context, String::new(), message);
            let (memory, capacity) = entry
                .split_once('=')
                .ok_or_else(|| invalid(format!("\"{entry}\" is not MEMORY=CAPACITY (e.g. sram_2MB=1MiB)")))?;
            let memory = memory.trim();
            let bits = parse_capacity(capacity).map_err(|e| invalid(format!("{memory}: {e}")))?;
            if bits == 0 {
                return Err(invalid(format!("{memory}: the capacity must be > 0")));
            }
            let names: Vec<&str> = self.memories.iter().map(|m| m.name.as_str()).collect();
            let m = arch.memories.iter_mut().find(|m| m.name == memory).ok_or_else(|| {
                invalid(format!(
                    "accelerator \"{}\" has no memory \"{memory}\" (memories: {})",
                    self.name,
                    names.join(", ")
                ))
            })?;
            m.size_bits = bits;
            applied.push(format!("{memory}={}", capacity.trim()));
        }
        if !applied.is_empty() {
            arch.name = format!("{}[{}]", self.name, applied.join(","));
        }
        arch.validate_as(context)?;
        Ok(arch)
    }
}

#[cfg(test)]
mod tests {
    use crate::Accelerator;

    #[test]
    fn overrides_named_memories_and_keeps_the_rest() {
        let base = Accelerator::preset("tpu_like").unwrap();
        let arch = base.with_capacities("sram_2MB=1MiB, rf_128B=64B").unwrap();
        let size = |a: &Accelerator, n: &str| a.memories.iter().find(|m| m.name == n).unwrap().size_bits;
        assert_eq!(size(&arch, "sram_2MB"), 8 << 20);
        assert_eq!(size(&arch, "rf_128B"), 64 * 8);
        assert_eq!(size(&arch, "rf_2B"), size(&base, "rf_2B"));
        assert_eq!(arch.name, "tpu_like[sram_2MB=1MiB,rf_128B=64B]");
        assert_eq!(base.with_capacities("").unwrap(), base);
    }

    #[test]
    fn bad_overrides_say_what_is_wrong() {
        let base = Accelerator::preset("tpu_like").unwrap();
        let err = |spec: &str| base.with_capacities(spec).unwrap_err().to_string();
        assert!(err("nowhere=1MiB").contains("has no memory \"nowhere\""), "{}", err("nowhere=1MiB"));
        assert!(err("sram_2MB").contains("is not MEMORY=CAPACITY"));
        assert!(err("sram_2MB=2MB").contains("ambiguous"));
        assert!(err("sram_2MB=0B").contains("must be > 0"));
    }
}

#!/usr/bin/env bash
# Installs what `cargo build --features mlir` (dnnc-mlir, melior 0.27.8 / mlir-sys 220) needs
# on Debian 12 with the apt.llvm.org LLVM 22 repository: the LLVM and MLIR 22 development
# packages (static MLIR libraries, headers, mlir-tblgen), mlir-opt-22 for the verification
# tests, libclang for bindgen, and the libraries the static link pulls in (Polly, zstd).
# Idempotent: packages already installed are not touched and apt is not called at all when
# everything is present. Uses sudo only when not root.
# The prefixes cargo needs are set in .cargo/config.toml ([env]).
set -euo pipefail

packages=(
    llvm-22-dev            # llvm-config, LLVM static libraries and headers
    libmlir-22-dev         # MLIR static libraries, C API headers, mlir-tblgen
    mlir-22-tools          # mlir-opt-22 (emitted files are checked with it)
    libclang1-22           # libclang.so for bindgen at build time
    libclang-common-22-dev # clang's resource headers (stdbool.h, stddef.h) for bindgen
    libpolly-22-dev        # LLVM 22 is built with Polly; the static link needs it
    libzstd-dev            # the static link needs -lzstd
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup-mlir: all ${#packages[@]} packages present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "setup-mlir: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
fi

echo "setup-mlir: installing ${missing[*]}"
if ! apt-cache show "${missing[0]}" >/dev/null 2>&1; then
    "${as_root[@]}" apt-get update -qq
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-mlir: done"

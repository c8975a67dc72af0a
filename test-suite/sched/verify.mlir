// RUN: dnnc-opt %s --split-input-file --verify-diagnostics
// The sched verifiers. A group checks its attributes, its body and the `mapping` of every
// einsum it holds (reported on the group, naming the einsum by position and the field); the
// mapping is resolved against the built-in preset its `arch` names, then checked by the cost
// model's validity check (coverage of the loop nest, PE array size, memory capacity).

"func.func"() ({
^bb0(%a0: tensor<64x64xi8>, %a1: tensor<64x64xi8>):
  // A memory the accelerator does not have.
  // expected-error @+1 {{einsum #0: mapping.I.levels: unknown memory 'sram_1MB' (tpu_like has rf_128B, rf_2B, sram_2MB, dram)}}
  %0 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_1MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // One cut per level but the top.
  // expected-error @+1 {{einsum #0: mapping.O.cuts: 1 cuts for 3 levels (need one per level but the top, 2)}}
  %1 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Cuts count loops, innermost first, so they never decrease.
  // expected-error @+1 {{einsum #0: mapping.O.cuts [3, 1] must be non-decreasing}}
  %2 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [3, 1]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // A memory that cannot hold the operand.
  // expected-error @+1 {{einsum #0: mapping.W.levels: memory 'sram_2MB' does not hold W}}
  %3 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["sram_2MB", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // The top memory cannot be bypassed.
  // expected-error @+1 {{einsum #0: mapping.I.levels must end at 'dram', the top memory holding I (it cannot be bypassed)}}
  %4 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB"], cuts = []}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Names are the einsum's dimensions and the array's.
  // expected-error @+1 {{einsum #0: mapping.loops[0]: unknown dimension 'P' (the einsum's are M, N, K)}}
  %5 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["P", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // expected-error @+1 {{einsum #0: mapping.spatial[1]: unknown array dimension 'D3' (tpu_like has D1, D2)}}
  %6 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D3", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // The loops must cover each dimension after unrolling (N: 64 = 32 x 2).
  // expected-error @+1 {{einsum #0: mapping on tpu_like: dimension N of size 64: unrolled 32x, so its temporal loops must multiply to 2, not 4}}
  %7 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 4]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // The array has 32 PEs along D1.
  // expected-error @+1 {{einsum #0: mapping on tpu_like: array dimension D1 has 32 PEs but the mapping unrolls 64 on it}}
  %8 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 64], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 1]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Two 16-bit partial sums (the inner N loop) do not fit the 2-byte register.
  // expected-error @+1 {{einsum #0: mapping on tpu_like: memory rf_2B holds 16 bits per instance but the mapping keeps 32 bits in it}}
  %9 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["N", 2], ["M", 64], ["K", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [0]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [1, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Misspelt fields are errors, not ignored.
  // expected-error @+1 {{einsum #0: mapping: unknown field 'loop' (fields are arch, spatial, loops, I, W, O, cost)}}
  %10 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}, loop = []}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Only MAC einsums run on the PE array.
  // expected-error @+1 {{einsum #0: mapping: a 'reduction' einsum runs on the vector unit; only 'mac' einsums are mapped onto the PE array}}
  %11 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "reduction", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"() : () -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> (), sym_name = "mappings"} : () -> ()

// -----

"func.func"() ({
^bb0(%a0: tensor<64x64xi8>, %a1: tensor<64x64xi8>):
  // At least one step.
  // expected-error @+1 {{tiles must be at least 1, but is 0}}
  %0 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 0, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // The streamed dimension belongs to the last einsum, and is split at most into its size.
  // expected-error @+1 {{tile_dim 'C' is not a dimension of the last einsum (#0: M, N, K)}}
  %1 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "C", tiles = 2, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // expected-error @+1 {{tiles 128 exceeds the size 64 of tile_dim 'K'}}
  %2 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "K", tiles = 128, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Every mapped einsum targets the group's accelerator.
  // expected-error @+1 {{einsum #0 is mapped onto 'tpu_like' but the group is scheduled for 'gemmini' (its 'arch')}}
  %3 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = [], arch = "gemmini"} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // The attributes are required, with their kinds.
  // expected-error @+2 {{requires attribute 'tiles'}}
  // expected-error @+1 {{attribute 'intermediates' must be array, but is dictionary}}
  %4 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%g) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", intermediates = {}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"() : () -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> (), sym_name = "attributes"} : () -> ()

// -----

"func.func"() ({
^bb0(%a0: tensor<64x64xi8>, %a1: tensor<64x64xi8>):
  // Memories are the accelerator's (the group's, from its mappings).
  // expected-error @+1 {{intermediates[0]: unknown memory 'sram_1MB' (tpu_like has rf_128B, rf_2B, sram_2MB, dram)}}
  %0 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%g) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_1MB", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // A fused intermediate stays on chip; one through DRAM is not fused.
  // expected-error @+1 {{intermediates[0]: a fused intermediate stays on chip, but 'dram' is the top memory}}
  %1 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%g) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "dram", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Positions are of the group's einsums, producer first, and the consumer must use it.
  // expected-error @+1 {{intermediates[0]: producer #1 must come before consumer #0}}
  %2 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%g) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 1, consumer = 0, memory = "sram_2MB", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // expected-error @+1 {{intermediates[0]: producer #0 and consumer #2 must be positions of the group's 2 einsums}}
  %3 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%g) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 2, memory = "sram_2MB", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // expected-error @+1 {{intermediates[0]: einsum #1 does not use the result of einsum #0}}
  %4 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%x) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_2MB", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // expected-error @+1 {{intermediates[1]: #0 -> #1 is listed twice}}
  %5 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%g) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_2MB", fused = true}, {producer = 0, consumer = 1, memory = "sram_2MB", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // Each entry has exactly the four fields.
  // expected-error @+1 {{intermediates[0]: missing field 'fused'}}
  %6 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%g) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_2MB"}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // expected-error @+1 {{intermediates[0]: unknown field 'stays' (fields are producer, consumer, memory, fused)}}
  %7 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %g = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %h = "einsum.op"(%g) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_2MB", fused = true, stays = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"() : () -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> (), sym_name = "intermediates"} : () -> ()

// -----

"func.func"() ({
^bb0(%a0: tensor<64x64xi8>, %a1: tensor<64x64xi8>):
  // The body's arguments stand for the operands.
  // expected-error @+1 {{body arguments (tensor<64x64xi8>) must match the operands (tensor<64x64xi8>, tensor<64x64xi8>)}}
  %0 = "sched.group"(%a0, %a1) ({
  ^bb0(%x: tensor<64x64xi8>):
    %h = "einsum.op"(%x) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // The yield returns the group's results.
  %1 = "sched.group"(%a0) ({
  ^bb0(%x: tensor<64x64xi8>):
    %h = "einsum.op"(%x) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    // expected-error @+1 {{yields (tensor<64x64xi8>, tensor<64x64xi8>) but the group's results are (tensor<64x64xi8>)}}
    "sched.yield"(%h, %h) : (tensor<64x64xi8>, tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>) -> tensor<64x64xi8>
  // A group holds einsums only, at least one.
  // expected-error @+1 {{holds 'arith.constant'; a group holds only 'einsum.op' ops and a 'sched.yield'}}
  %2 = "sched.group"(%a0) ({
  ^bb0(%x: tensor<64x64xi8>):
    %h = "einsum.op"(%x) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    %c = "arith.constant"() {value = 1 : i32} : () -> i32
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>) -> tensor<64x64xi8>
  // expected-error @+1 {{holds no einsum}}
  "sched.group"() ({
    "sched.yield"() : () -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : () -> ()
  // expected-error @+1 {{body must have one block holding its einsums}}
  "sched.group"() ({}) {tile_dim = "M", tiles = 1, intermediates = []} : () -> ()
  // expected-error @+1 {{region #0 has a block that does not end in a terminator (ends in 'einsum.op')}}
  %3 = "sched.group"(%a0) ({
  ^bb0(%x: tensor<64x64xi8>):
    %h = "einsum.op"(%x) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>) -> tensor<64x64xi8>
  // A yield ends a group's body, nowhere else.
  // expected-error @+2 {{'sched.yield' op must be nested in a 'sched.group'}}
  // expected-error @+1 {{'sched.yield' op must be the last operation in its block}}
  "sched.yield"(%a0) : (tensor<64x64xi8>) -> ()
  "func.return"() : () -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> (), sym_name = "structure"} : () -> ()

// -----

"func.func"() ({
^bb0(%a0: tensor<64x64xi8>, %a1: tensor<64x64xi8>):
  // The group is isolated from above: its einsums see only its arguments.
  %0 = "sched.group"(%a0) ({
  ^bb0(%x: tensor<64x64xi8>):
    // expected-error @+1 {{'%a1' is defined outside the isolated-from-above region that uses it}}
    %h = "einsum.op"(%a1) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%h) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"() : () -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> (), sym_name = "isolated"} : () -> ()

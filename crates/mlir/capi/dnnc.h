/* dnnc's passes for host compilers: a C ABI over MLIR text.
 *
 * MLIR's C API has no way to build a pass plugin (mlir-opt --load-pass-plugin wants a C++
 * `mlirGetPassPluginInfo` returning `mlir::PassPluginLibraryInfo`), so dnnc offers its passes
 * through this library instead (see docs/mlir.md). Build it with
 *     cargo build -p dnnc-mlir --features mlir --example dnnc_capi
 * (target/debug/examples/libdnnc_capi.so) and link with -ldnnc_capi.
 *
 * Strings are NUL-terminated UTF-8. Every string this library returns is owned by the caller
 * and freed with dnnc_free. The library keeps no state between calls: each call creates its own
 * MLIR context (with dnnc's dialects loaded from IRDL), about 10 ms in a debug build. */
#ifndef DNNC_H
#define DNNC_H

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. */
#define DNNC_OK 0      /* success: *out is set */
#define DNNC_FAILED 1  /* the input did not parse or verify, or a pass failed: *err is set */
#define DNNC_INVALID 2 /* a NULL or non-UTF-8 argument: *err is set when err is not NULL */

/* Runs the dnnc pass pipeline `pipeline` (dnnc-opt syntax, e.g.
 * "builtin.module(canonicalize,topological-sort)") on the MLIR module `ir` (any form MLIR
 * reads; dnnc ops as `dnnc --emit=mlir` writes them) inside an MLIR pass manager, and writes
 * the verified result, in MLIR's generic form, to *out. */
int dnnc_run_pipeline(const char *ir, const char *pipeline, char **out, char **err);

/* The IRDL definitions of dnnc's dialects in the form the exporter uses: load them in the
 * host (mlirLoadIRDLDialects) or pass them to mlir-opt --irdl-file. */
char *dnnc_irdl(void);

/* The names of dnnc's passes, one per line. */
char *dnnc_passes(void);

/* Frees a string returned by this library (NULL is ignored). */
void dnnc_free(char *s);

#ifdef __cplusplus
}
#endif

#endif /* DNNC_H */

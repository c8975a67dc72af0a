/* Drives dnnc's C ABI like a host compiler would: runs dnnc's canonicalize on an MLIR module
 * and checks the folded result, then the error paths. Built and run by tests/capi.rs. */
#include "dnnc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *module =
    "\"builtin.module\"() ({\n"
    "  \"func.func\"() <{function_type = () -> i32, sym_name = \"f\"}> ({\n"
    "    %0 = \"arith.constant\"() <{value = 2 : i32}> : () -> i32\n"
    "    %1 = \"arith.constant\"() <{value = 3 : i32}> : () -> i32\n"
    "    %2 = \"arith.addi\"(%0, %1) : (i32, i32) -> i32\n"
    "    \"func.return\"(%2) : (i32) -> ()\n"
    "  }) : () -> ()\n"
    "}) : () -> ()\n";

static int fail(const char *what, const char *detail) {
    fprintf(stderr, "FAIL: %s: %s\n", what, detail ? detail : "(null)");
    return 1;
}

int main(void) {
    char *out = NULL, *err = NULL;
    int rc = dnnc_run_pipeline(module, "builtin.module(func.func(canonicalize))", &out, &err);
    if (rc != DNNC_OK) return fail("canonicalize", err);
    if (!strstr(out, "value = 5 : i32")) return fail("2 + 3 folded to 5", out);
    if (strstr(out, "arith.addi")) return fail("addi removed", out);
    printf("folded:\n%s", out);
    dnnc_free(out);
    out = NULL;

    rc = dnnc_run_pipeline(module, "builtin.module(no-such-pass)", &out, &err);
    if (rc != DNNC_FAILED || !err || !strstr(err, "no-such-pass")) return fail("unknown pass reported", err);
    printf("unknown pass: %s\n", err);
    dnnc_free(err);
    err = NULL;

    rc = dnnc_run_pipeline("\"func.return\"(%x) : (i32) -> ()", "builtin.module(canonicalize)", &out, &err);
    if (rc != DNNC_FAILED || !err || out) return fail("invalid IR reported", err);
    printf("invalid IR: %s\n", err);
    dnnc_free(err);
    err = NULL;

    rc = dnnc_run_pipeline(NULL, "builtin.module(canonicalize)", &out, &err);
    if (rc != DNNC_INVALID || !err) return fail("NULL input reported", err);
    dnnc_free(err);

    char *irdl = dnnc_irdl();
    if (!strstr(irdl, "irdl.dialect @einsum")) return fail("IRDL", irdl);
    dnnc_free(irdl);
    char *passes = dnnc_passes();
    if (!strstr(passes, "canonicalize")) return fail("pass list", passes);
    dnnc_free(passes);
    dnnc_free(NULL);
    printf("ok\n");
    return 0;
}

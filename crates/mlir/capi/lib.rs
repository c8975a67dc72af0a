//! The C ABI of `dnnc.h`: a cdylib (`cargo build -p dnnc-mlir --features mlir --example
//! dnnc_capi`) through which a host compiler runs dnnc's passes on MLIR text. Every entry
//! point catches panics and reports errors through its `err` string, never by unwinding.

use std::ffi::{CStr, CString, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

const DNNC_OK: c_int = 0;
const DNNC_FAILED: c_int = 1;
const DNNC_INVALID: c_int = 2;

fn to_c(s: &str) -> *mut c_char {
    CString::new(s.replace('\0', " ")).expect("NUL bytes replaced").into_raw()
}

/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
unsafe fn arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, String> {
    if ptr.is_null() {
        return Err(format!("{name} is NULL"));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    unsafe { CStr::from_ptr(ptr) }.to_str().map_err(|_| format!("{name} is not UTF-8"))
}

/// # Safety
/// `ir` and `pipeline` are NULL or NUL-terminated strings; `out` and `err` are NULL or point
/// at writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnnc_run_pipeline(
    ir: *const c_char,
    pipeline: *const c_char,
    out: *mut *mut c_char,
    err: *mut *mut c_char,
) -> c_int {
    let fail = move |code: c_int, msg: &str| {
        if !err.is_null() {
            // SAFETY: `err` points at a writable `char *` (checked non-NULL).
            unsafe { *err = to_c(msg) };
        }
        code
    };
    if !out.is_null() {
        // SAFETY: `out` points at a writable `char *`.
        unsafe { *out = ptr::null_mut() };
    }
    if !err.is_null() {
        // SAFETY: as above.
        unsafe { *err = ptr::null_mut() };
    }
    // SAFETY: the caller's contract on `ir` and `pipeline`.
    let (ir, pipeline) = match unsafe { (arg(ir, "ir"), arg(pipeline, "pipeline")) } {
        (Ok(i), Ok(p)) => (i, p),
        (Err(e), _) | (_, Err(e)) => return fail(DNNC_INVALID, &e),
    };
    if out.is_null() {
        return fail(DNNC_INVALID, "out is NULL");
    }
    match catch_unwind(AssertUnwindSafe(|| dnnc_mlir::pass::run_pipeline(ir, pipeline))) {
        Ok(Ok(text)) => {
            // SAFETY: `out` is non-NULL and writable.
            unsafe { *out = to_c(&text) };
            DNNC_OK
        }
        Ok(Err(e)) => fail(DNNC_FAILED, &e.to_string()),
        Err(_) => fail(DNNC_FAILED, "internal error: dnnc panicked"),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn dnnc_irdl() -> *mut c_char {
    to_c(&dnnc_mlir::irdl::irdl_module(&dnnc_passes::dialects()))
}

#[unsafe(no_mangle)]
pub extern "C" fn dnnc_passes() -> *mut c_char {
    let names: Vec<&str> = dnnc_passes::registry().passes().iter().map(|p| p.argument).collect();
    to_c(&names.join("\n"))
}

/// # Safety
/// `s` is NULL or a string returned by this library, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dnnc_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: `s` came from `CString::into_raw` in this library.
        drop(unsafe { CString::from_raw(s) });
    }
}

//! Release sizes of every function `make build` packages: the arm64
//! `target/lambda/<fn>/bootstrap.zip` when `make build` (cargo-lambda) has made it, and
//! always a `zip -9` of the native release binary named `bootstrap`, made here the way
//! cargo-lambda packs it (one file), so the limit is checked even without cross builds.

use crate::cold_start::release_dir;
use ecrm_core::routes::{FUNCTIONS, WORKERS};
use std::path::PathBuf;
use std::process::Command;

/// The limit per zip (issue #19): 3.5 MiB.
pub const ZIP_LIMIT_BYTES: u64 = 3584 * 1024;

pub struct Size {
    pub function: String,
    /// `target/lambda/<fn>/bootstrap.zip`, if built.
    pub lambda_zip: Option<u64>,
    pub native_binary: Option<u64>,
    pub native_zip: Option<u64>,
}

fn len(path: &PathBuf) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

/// `zip -9` of `binary` as `bootstrap`, in a scratch directory; its size.
fn zip_native(function: &str, binary: &PathBuf) -> Option<u64> {
    let dir = std::env::temp_dir().join(format!("ecrm-bench-zip-{function}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::copy(binary, dir.join("bootstrap")).ok()?;
    let zipped = Command::new("zip")
        .current_dir(&dir)
        .args(["-9", "-q", "bootstrap.zip", "bootstrap"])
        .status()
        .ok()?;
    let size = zipped
        .success()
        .then(|| len(&dir.join("bootstrap.zip")))
        .flatten();
    let _ = std::fs::remove_dir_all(&dir);
    size
}

pub fn measure() -> Vec<Size> {
    FUNCTIONS
        .iter()
        .chain(WORKERS.iter())
        .map(|function| {
            let binary = release_dir().join(function);
            Size {
                function: function.to_string(),
                lambda_zip: len(&PathBuf::from(format!(
                    "target/lambda/{function}/bootstrap.zip"
                ))),
                native_binary: len(&binary),
                native_zip: zip_native(function, &binary),
            }
        })
        .collect()
}

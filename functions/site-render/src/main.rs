//! `site-render <site_dir> [--output-dir <dir> [--force]]`
//!
//! Renders a Zola site into `<site_dir>/public/` (emptied first), like
//! `zola build`. With `--output-dir`, the directory must not exist unless
//! `--force` is given (then it is emptied), as with Zola.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: site-render <site_dir> [--output-dir <dir> [--force]]";

fn run() -> Result<(), String> {
    let mut site_dir: Option<PathBuf> = None;
    let mut out_dir: Option<PathBuf> = None;
    let mut force = false;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("-h") | Some("--help") => {
                println!("{USAGE}");
                return Ok(());
            }
            Some("-o") | Some("--output-dir") => {
                let dir = args
                    .next()
                    .ok_or(format!("--output-dir needs a value\n{USAGE}"))?;
                out_dir = Some(PathBuf::from(dir));
            }
            Some("-f") | Some("--force") => force = true,
            _ if site_dir.is_none() => site_dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}\n{USAGE}")),
        }
    }
    let site_dir = site_dir.ok_or(USAGE)?;
    let out_dir = match out_dir {
        Some(dir) => {
            if dir.exists() && !force {
                return Err(format!(
                    "{} already exists; pass --force to empty and reuse it",
                    dir.display()
                ));
            }
            dir
        }
        None => site_dir.join("public"),
    };
    let report = site_render::build(&site_dir, &out_dir)?;
    println!(
        "site-render: wrote {} files to {}",
        report.files.len(),
        out_dir.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("site-render: error: {e}");
            ExitCode::FAILURE
        }
    }
}

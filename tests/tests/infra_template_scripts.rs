//! The deploy scripts' dry runs (`infra/scripts/`), offline: they print the expected AWS
//! calls and run none of them, with stubs for aws, sam, cargo, cargo-lambda, rustup and
//! make on the PATH (or none at all).

use super::infra_template::root;
use ecrm_core::routes::FUNCTIONS;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

// ------------------------------------------------------------------------ dry runs

const SECRET: &str = "stub-secret-never-printed";

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
    /// Commands the stubs saw: must stay empty in a dry run.
    invoked: String,
}

fn scratch_dir(label: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ecrm-infra-{}-{}-{label}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A PATH where aws, sam, cargo, cargo-lambda, rustup and make are stubs that record
/// any call, or (with `tools: false`) where they do not exist at all.
fn dry_run(script: &str, args: &[&str], env: &[(&str, &str)], tools: bool) -> Run {
    let dir = scratch_dir(script);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("invoked.log");
    for tool in ["bash", "sed", "head", "dirname", "grep", "cat"] {
        let real = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.exists());
        if let Some(real) = real {
            let _ = std::os::unix::fs::symlink(real, bin.join(tool));
        }
    }
    if tools {
        for tool in ["aws", "sam", "cargo", "cargo-lambda", "rustup", "make"] {
            let path = bin.join(tool);
            std::fs::write(
                &path,
                "#!/bin/sh\necho \"$0 $*\" >> \"$STUB_LOG\"\nexit 97\n",
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let output = Command::new(bin.join("bash"))
        .arg(root().join("infra/scripts").join(script))
        .args(args)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", &dir)
        .env("STUB_LOG", &log)
        .env("STACK_NAME", "ecrm-test")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_ACCESS_KEY_ID", "AKIASTUBSTUBSTUBSTUB")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", SECRET)
        .envs(env.iter().copied())
        .current_dir(&dir)
        .output()
        .unwrap();
    let run = Run {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        invoked: std::fs::read_to_string(&log).unwrap_or_default(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !text.contains(SECRET) && !text.contains("AKIASTUB"),
            "{script} printed a credential"
        );
    }
    run
}

/// The printed calls ("+ ..." lines), in order.
fn calls(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter_map(|l| l.strip_prefix("+ "))
        .collect()
}

/// Index of the first call containing every one of `parts`.
fn position(calls: &[&str], parts: &[&str]) -> usize {
    calls
        .iter()
        .position(|c| parts.iter().all(|p| c.contains(p)))
        .unwrap_or_else(|| panic!("no call with {parts:?} in:\n{}", calls.join("\n")))
}

fn build_call(function: &str) -> String {
    format!(
        "cargo lambda build --release --arm64 --output-format zip -p {function} --bin {function}"
    )
}

#[test]
fn deploy_function_dry_run_builds_and_updates_only_that_function() {
    // As `make deploy-function FN=quotes DRY_RUN=1` runs it.
    let run = dry_run(
        "deploy-function.sh",
        &[],
        &[("DRY_RUN", "1"), ("FN", "quotes")],
        true,
    );
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "", "a dry run ran a command");
    let c = calls(&run);
    assert_eq!(c[0], build_call("quotes"));
    let lookup = position(
        &c,
        &[
            "aws --region eu-west-1 cloudformation describe-stacks --stack-name ecrm-test",
            "QuotesFunctionName",
        ],
    );
    let update = position(
        &c,
        &[
            "aws --region eu-west-1 lambda update-function-code --function-name '<QuotesFunctionName>'",
            "--zip-file fileb://target/lambda/quotes/bootstrap.zip",
        ],
    );
    assert!(lookup < update);
    position(
        &c,
        &["lambda wait function-updated --function-name '<QuotesFunctionName>'"],
    );
    for other in FUNCTIONS.iter().filter(|f| **f != "quotes") {
        assert!(
            !run.stdout.contains(&format!("-p {other} ")),
            "{other} built too"
        );
    }

    // The same with the flag and an argument.
    let run = dry_run(
        "deploy-function.sh",
        &["--dry-run", "registration"],
        &[],
        true,
    );
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(calls(&run)[0], build_call("registration"));
    position(
        &calls(&run),
        &["update-function-code --function-name '<RegistrationFunctionName>'"],
    );
}

#[test]
fn deploy_function_refuses_an_unknown_or_missing_function() {
    let run = dry_run("deploy-function.sh", &["--dry-run", "nope"], &[], true);
    assert!(!run.ok);
    assert!(run.stdout.is_empty(), "nothing would run: {}", run.stdout);
    assert!(
        run.stderr.contains("unknown function 'nope'"),
        "{}",
        run.stderr
    );
    for function in FUNCTIONS {
        assert!(
            run.stderr.contains(function),
            "the message lists {function}: {}",
            run.stderr
        );
    }

    let run = dry_run(
        "deploy-function.sh",
        &[],
        &[("DRY_RUN", "1"), ("FN", "")],
        true,
    );
    assert!(!run.ok);
    assert!(
        run.stderr.contains("make deploy-function FN=<name>"),
        "{}",
        run.stderr
    );
}

#[test]
fn deploy_dry_run_builds_every_function_then_runs_sam_deploy() {
    let run = dry_run("deploy.sh", &["--dry-run"], &[], true);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "");
    let c = calls(&run);
    let builds: Vec<usize> = FUNCTIONS
        .iter()
        .map(|f| position(&c, &[&build_call(f)]))
        .collect();
    let sam = if root().join("infra/samconfig.toml").exists() {
        position(
            &c,
            &["(cd infra && sam deploy --template-file template.yaml --config-file samconfig.toml"],
        )
    } else {
        position(
            &c,
            &[
                "(cd infra && sam deploy --guided --template-file template.yaml --stack-name ecrm-test --region eu-west-1",
            ],
        )
    };
    assert!(
        builds.iter().all(|b| *b < sam),
        "every build before sam deploy:\n{}",
        c.join("\n")
    );
}

#[test]
fn deploy_site_dry_run_builds_syncs_and_invalidates() {
    let run = dry_run("deploy-site.sh", &[], &[("DRY_RUN", "1")], true);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "");
    let c = calls(&run);
    let build = position(&c, &["make site"]);
    let sync = position(&c, &["s3 sync site/public 's3://<SiteBucket>' --delete"]);
    let invalidate = position(
        &c,
        &["cloudfront create-invalidation --distribution-id '<DistributionId>' --paths '/*'"],
    );
    assert!(build < sync && sync < invalidate, "{}", c.join("\n"));
}

#[test]
fn destroy_dry_run_empties_the_bucket_then_deletes_the_stack_and_keeps_the_table() {
    let run = dry_run("destroy.sh", &["--dry-run"], &[], true);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "");
    let c = calls(&run);
    let empty = position(&c, &["s3 rm 's3://<SiteBucket>' --recursive"]);
    let delete = position(&c, &["cloudformation delete-stack --stack-name ecrm-test"]);
    let wait = position(
        &c,
        &["cloudformation wait stack-delete-complete --stack-name ecrm-test"],
    );
    assert!(empty < delete && delete < wait);
    assert!(
        !c.iter().any(|call| call.contains("delete-table")),
        "the table is kept"
    );
    assert!(run.stderr.contains("Kept: table"), "{}", run.stderr);
}

#[test]
fn dry_runs_need_no_aws_tools_and_real_runs_name_what_is_missing() {
    let run = dry_run("deploy.sh", &["--dry-run"], &[], false);
    assert!(run.ok, "{}", run.stderr);
    for tool in ["aws", "sam", "cargo-lambda"] {
        assert!(
            run.stderr.contains(&format!("- {tool}: ")),
            "mentions {tool}: {}",
            run.stderr
        );
    }

    let run = dry_run("deploy-site.sh", &[], &[], false);
    assert!(!run.ok, "a real run without the AWS CLI stops");
    assert!(
        run.stderr.contains("missing prerequisites") && run.stderr.contains("- aws: "),
        "{}",
        run.stderr
    );
    assert!(
        calls(&run).is_empty(),
        "nothing runs before the check: {}",
        run.stdout
    );
}

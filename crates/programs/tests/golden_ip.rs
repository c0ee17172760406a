//! Component tests: the golden transcripts of real Linux that only use `ip`, `sysctl` and
//! `echo "status $?"`, replayed command by command in a lab (no shell needed), masked as the
//! recording was, and compared byte for byte.
//!
//! `GOLDEN_IP_SHOW=1` prints every transcript; `GOLDEN_IP=name` runs only matching scripts;
//! `GOLDEN_IP_SCRIPT=path` just runs that script and prints its transcript.

mod replay;

use tsunagi_lab::{LocalBoxFuture, Proc, ProgramFn};

fn prog_true(_p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async { 0 })
}

fn prog_false(_p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async { 1 })
}

/// `sh -c 'exit N'`, the only form the goldens use.
fn prog_sh(p: Proc) -> LocalBoxFuture<i32> {
    Box::pin(async move {
        let cmd = p.argv.get(2).cloned().unwrap_or_default();
        cmd.strip_prefix("exit ")
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    })
}

/// The stand-ins the scripts need besides this crate's programs.
const EXTRA: &[(&str, ProgramFn)] = &[
    ("true", prog_true),
    ("false", prog_false),
    ("sleep", replay::prog_sleep),
    ("sh", prog_sh),
];

fn run(script: &str) -> String {
    replay::run(script, &std::env::temp_dir(), 0, EXTRA)
}

/// True if the replay can run every line of `script`.
fn supported(script: &str) -> bool {
    script.lines().all(|l| {
        let l = l.trim();
        l.is_empty()
            || l.starts_with('#')
            || (!l.contains('|')
                && !l.contains('&')
                && !l.contains("$$")
                && !l.starts_with("for ")
                && !l.starts_with("cat ")
                && !l.contains(" > "))
    })
}

/// The goldens this test keeps matching.
const MATCHING: &[&str] = &[
    "tests/golden/errors/addr-del.sh",
    "tests/golden/errors/link-delete.sh",
    "tests/golden/errors/link-set.sh",
    "tests/golden/errors/neigh.sh",
    "tests/golden/errors/netns-add.sh",
    "tests/golden/errors/netns-delete.sh",
    "tests/golden/errors/netns-exec.sh",
    "tests/golden/errors/route-del.sh",
    "tests/golden/errors/sysctl.sh",
    "tests/golden/errors/unknown.sh",
    "tests/golden/ip/link-parse.sh",
    "tests/golden/ip/netns.sh",
];

#[test]
fn ip_and_sysctl_goldens() {
    if let Ok(path) = std::env::var("GOLDEN_IP_SCRIPT") {
        let text = std::fs::read_to_string(&path).expect("script");
        println!("{}", run(&text));
        return;
    }
    let scripts = replay::candidates(
        &[
            "tests/golden/errors",
            "tests/golden/formats",
            "tests/golden/ip",
        ],
        |_, _, text| {
            let only_ours = text.lines().all(|l| {
                let l = l.trim();
                l.is_empty()
                    || l.starts_with('#')
                    || ["ip ", "sysctl", "echo ", "sleep ", "ip\t"]
                        .iter()
                        .any(|s| l.starts_with(s))
                    || l == "ip"
            });
            only_ours && supported(text)
        },
    );
    replay::check(&scripts, MATCHING, "GOLDEN_IP", run);
}

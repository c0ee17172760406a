//! Component tests for `ping` and `traceroute`: the golden transcripts of real Linux that use
//! only `ip`, `sysctl`, `ping`, `traceroute`, `echo "status $?"`, `sleep` and `printf ... >
//! /etc/hosts`, replayed command by command in a fresh lab (no shell needed), masked as the
//! recording was, and compared byte for byte.
//!
//! The scripts listed in `MATCHING` must match; the others are reported. `GOLDEN_PING=name`
//! runs only matching scripts (and fails on any difference), `GOLDEN_PING_SHOW=1` prints
//! every transcript.

mod replay;

/// True if every line is one the replay understands.
fn supported(script: &str) -> bool {
    script.lines().all(|l| {
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            return true;
        }
        if l.starts_with("printf ") || l.starts_with("echo ") && l.contains(" > ") {
            return l.ends_with("> /etc/hosts") || l.ends_with("> /etc/resolv.conf");
        }
        let l = l.strip_suffix(" | sort").unwrap_or(l);
        let simple =
            !l.contains('|') && !l.contains('&') && !l.contains('$') || l.starts_with("echo ");
        simple
            && ["ip ", "sysctl ", "echo ", "sleep ", "ping", "traceroute"]
                .iter()
                .any(|p| l.starts_with(p))
    })
}

/// The goldens this test keeps matching.
const MATCHING: &[&str] = &[
    "tests/golden/errors/ping-names.sh",
    "tests/golden/errors/ping.sh",
    "tests/golden/errors/traceroute.sh",
    "tests/golden/formats/ping-basic.sh",
    "tests/golden/formats/ping-broadcast.sh",
    "tests/golden/formats/ping-local.sh",
    "tests/golden/formats/ping-router.sh",
    "tests/golden/formats/ping-unreachable.sh",
    "tests/golden/formats/traceroute-ratelimit.sh",
    "tests/golden/formats/traceroute-unreachable.sh",
    "tests/golden/ping/deadline.sh",
    "tests/golden/ping/flood.sh",
    "tests/golden/ping/names.sh",
    "tests/golden/ping/source-noroute.sh",
    "tests/golden/traceroute/local.sh",
    "tests/golden/traceroute/names.sh",
    "tests/golden/traceroute/silent.sh",
    "tests/golden/traceroute/unroutable.sh",
];

#[test]
fn ping_and_traceroute_goldens() {
    let scripts = replay::candidates(
        &[
            "tests/golden/ping",
            "tests/golden/traceroute",
            "tests/golden/formats",
            "tests/golden/errors",
        ],
        |dir, name, text| {
            let ours = dir.ends_with("ping")
                || dir.ends_with("traceroute")
                || name.starts_with("ping")
                || name.starts_with("traceroute");
            ours && supported(text)
        },
    );
    let extra: &[(&str, tsunagi_lab::ProgramFn)] = &[("sleep", replay::prog_sleep)];
    replay::check(&scripts, MATCHING, "GOLDEN_PING", |text| {
        replay::run(text, &std::env::temp_dir(), 1, extra)
    });
}

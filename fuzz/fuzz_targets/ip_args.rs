//! `ip`'s argument parsing on arbitrary command lines: it must answer (a command, or the
//! message and exit status iproute2 would give), never panic; and running what parsed against
//! an in-memory host must not panic either.
//!
//! The input is split into arguments at NUL bytes and spaces; the first byte picks a common
//! prefix so that the fuzzer reaches deep into each object's parser quickly.

#![no_main]

use libfuzzer_sys::fuzz_target;

const PREFIXES: &[&[&str]] = &[
    &[],
    &["link", "add"],
    &["link", "set"],
    &["address", "add"],
    &["address", "show"],
    &["route", "add"],
    &["route", "show"],
    &["route", "get"],
    &["neigh", "add"],
    &["neigh", "flush"],
    &["netns"],
    &["-all", "netns"],
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut argv: Vec<String> = PREFIXES[usize::from(pick) % PREFIXES.len()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let text = String::from_utf8_lossy(rest);
    argv.extend(
        text.split(['\0', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    );
    match tsunagi_programs::ip::parse_args(&argv) {
        Ok(p) => {
            let mut host = tsunagi_programs::ip::host::FakeHost::new();
            let _ = tsunagi_programs::ip::execute(&p, &mut host);
        }
        Err(e) => {
            assert!(e.code != 0 || !e.stdout.is_empty() || !e.stderr.is_empty());
        }
    }
});

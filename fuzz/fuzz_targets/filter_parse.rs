//! The libpcap filter language: any text either compiles or gives an error, never a panic,
//! and a compiled filter runs on any frame.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagi_filter::{compile, Frame, LinkType, Options};

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let cut = (split as usize).min(rest.len());
    let (expr, frame) = rest.split_at(cut);
    let Ok(expr) = std::str::from_utf8(expr) else {
        return;
    };
    for linktype in [LinkType::Ethernet, LinkType::LinuxSll2, LinkType::Raw] {
        let opts = Options {
            linktype,
            netmask: 0xffff_ff00,
            offline: false,
            resolve_host: &|_| Vec::new(),
        };
        if let Ok(f) = compile(expr, &opts) {
            let _ = f.matches(&Frame {
                data: frame,
                wire_len: frame.len() as u32,
                direction: None,
            });
        }
    }
});

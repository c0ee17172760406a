//! The shell's parser and word expansion on arbitrary text: both must answer (a syntax tree
//! or bash's syntax error; expanded fields or an expansion error), never panic or overflow the
//! stack. Expansion runs sandboxed: command substitutions are not executed.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = tsunagi_shell::parse(&text);
    if text.len() < 4096 {
        let _ = tsunagi_shell::expand_sandboxed(&text);
    }
});

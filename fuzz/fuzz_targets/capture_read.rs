//! Capture files as `tcpdump -r` opens them: any bytes either open as pcap or pcapng or give
//! libpcap's message, and every record then reads or gives an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagi_capture::Reader;

fuzz_target!(|data: &[u8]| {
    let Ok(mut r) = Reader::new(data) else {
        return;
    };
    let _ = (r.linktype(), r.snaplen());
    // Each record consumes at least a header's worth of bytes, so this ends; the bound only
    // guards against a reader that stops making progress.
    for _ in 0..=data.len() {
        match r.next_record() {
            None | Some(Err(_)) => return,
            Some(Ok(rec)) => assert!(rec.data.len() <= data.len()),
        }
    }
    panic!("the reader returned more records than the file has bytes");
});

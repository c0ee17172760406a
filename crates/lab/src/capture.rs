//! The lab-wide capture (`tsunagi run --capture DIR`): every frame that crosses any device of
//! the lab, written to pcapng files in DIR as the lab runs, one file per network namespace.
//!
//! Files are named after the namespace: `root.pcapng` for the initial one, `NAME.pcapng` for
//! a namespace made with `ip netns add NAME` (a namespace itself called `root` writes
//! `netns-root.pcapng`, so the two never share a file). A namespace is tied to its file when
//! it gets its name, so frames keep their namespace's file even when the name is deleted right
//! after the traffic. A name used again for a new namespace continues the same file; the new
//! namespace's devices get interface descriptions of their own.
//!
//! Each file is one pcapng section with one Interface Description Block per (device, name)
//! — LINKTYPE_ETHERNET, `if_name` the device's name when the frame crossed it, nanosecond
//! `if_tsresol` — and an Enhanced Packet Block per frame, its timestamp the lab's wall clock
//! at the frame's virtual time ([`crate::wall_clock`]) and `epb_flags` its direction. The same
//! seed gives byte-identical files.
//!
//! As with libpcap on Linux, a frame on `lo` shows once (the kernel leaves out the loopback
//! device's outgoing copy, which comes back in).
//!
//! What it does not own: which frames are seen (the kernel's `packet_tap`, which records a
//! [`LabFrame`] per frame while the capture is on) and the pcapng encoding (the capture crate).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tsunagi_capture::pcapng::{Direction, Writer};
use tsunagi_capture::LINKTYPE_ETHERNET;
use tsunagi_kernel::{LabFrame, NsId};

/// The snapshot length in each Interface Description Block: libpcap's largest for Ethernet;
/// frames are always recorded whole.
const SNAPLEN: u32 = 262_144;

/// One output file.
struct NsFile {
    path: PathBuf,
    /// Created with the first frame: a namespace that saw no traffic leaves no file (a
    /// pcapng file without interfaces is one libpcap refuses to read).
    out: Option<BufWriter<File>>,
    writer: Writer,
    /// Interface ids in this file by (namespace, ifindex, name).
    ifaces: BTreeMap<(NsId, u32, String), u32>,
}

/// The writer of the lab-wide capture.
pub(crate) struct LabCapture {
    dir: PathBuf,
    application: String,
    files: Vec<NsFile>,
    /// Indexes in `files` by file name.
    by_name: BTreeMap<String, usize>,
    /// The file of each namespace, an index in `files`.
    of_ns: BTreeMap<NsId, usize>,
    /// The first write error, with the file it happened on; nothing is written after it.
    error: Option<(PathBuf, io::Error)>,
    /// Reused for every block.
    block: Vec<u8>,
}

/// The file name of the namespace called `name` (`None`: the initial namespace).
pub fn file_name(name: Option<&str>) -> String {
    match name {
        None => "root.pcapng".to_string(),
        Some("root") => "netns-root.pcapng".to_string(),
        Some(n) => format!("{n}.pcapng"),
    }
}

impl LabCapture {
    /// Creates `dir` if missing; the initial namespace writes to `root.pcapng` in it.
    pub(crate) fn new(dir: &Path, application: &str, root: NsId) -> io::Result<LabCapture> {
        std::fs::create_dir_all(dir)?;
        let mut c = LabCapture {
            dir: dir.to_path_buf(),
            application: application.to_string(),
            files: Vec::new(),
            by_name: BTreeMap::new(),
            of_ns: BTreeMap::new(),
            error: None,
            block: Vec::new(),
        };
        c.open(root, file_name(None));
        match c.error.take() {
            Some((_, e)) => Err(e),
            None => Ok(c),
        }
    }

    /// Namespace `ns` got its name: it writes to that name's file from now on.
    pub(crate) fn name_ns(&mut self, ns: NsId, name: &str) {
        if !self.of_ns.contains_key(&ns) {
            self.open(ns, file_name(Some(name)));
        }
    }

    /// Ties `ns` to the file named `file`, creating it if it is new; its index in `files`.
    fn open(&mut self, ns: NsId, file: String) -> Option<usize> {
        if let Some(&i) = self.by_name.get(&file) {
            self.of_ns.insert(ns, i);
            return Some(i);
        }
        if self.error.is_some() {
            return None;
        }
        let i = self.files.len();
        self.files.push(NsFile {
            path: self.dir.join(&file),
            out: None,
            writer: Writer::default(),
            ifaces: BTreeMap::new(),
        });
        self.by_name.insert(file, i);
        self.of_ns.insert(ns, i);
        Some(i)
    }

    /// Writes frames, oldest first.
    pub(crate) fn write(&mut self, frames: Vec<LabFrame>) {
        for f in frames {
            if self.error.is_some() {
                return;
            }
            let file = match self.of_ns.get(&f.ns) {
                Some(&i) => Some(i),
                // A namespace that never had a name (none is made so today).
                None => self.open(f.ns, format!("netns-{}.pcapng", f.ns.0)),
            };
            let Some(nf) = file.and_then(|i| self.files.get_mut(i)) else {
                continue;
            };
            self.block.clear();
            if nf.out.is_none() {
                match File::create(&nf.path) {
                    Ok(f) => nf.out = Some(BufWriter::new(f)),
                    Err(e) => {
                        self.error = Some((nf.path.clone(), e));
                        return;
                    }
                }
                nf.writer.section_header(&mut self.block, &self.application);
            }
            let key = (f.ns, f.ifindex, f.ifname);
            let iface = match nf.ifaces.get(&key) {
                Some(id) => *id,
                None => {
                    let id = nf.writer.interface(
                        &mut self.block,
                        LINKTYPE_ETHERNET as u16,
                        SNAPLEN,
                        &key.2,
                    );
                    nf.ifaces.insert(key, id);
                    id
                }
            };
            let (secs, nanos) = crate::wall_clock(f.at);
            let ts = (secs as u64) * 1_000_000_000 + u64::from(nanos);
            let dir = if f.outgoing {
                Direction::Outbound
            } else {
                Direction::Inbound
            };
            nf.writer.packet(
                &mut self.block,
                iface,
                ts,
                &f.data,
                f.data.len() as u32,
                dir,
            );
            if let Some(Err(e)) = nf.out.as_mut().map(|o| o.write_all(&self.block)) {
                self.error = Some((nf.path.clone(), e));
            }
        }
    }

    /// Writes out what is buffered; the first error since the capture began, with its file.
    pub(crate) fn flush(&mut self) -> Result<(), (PathBuf, String)> {
        if self.error.is_none() {
            for nf in &mut self.files {
                if let Some(Err(e)) = nf.out.as_mut().map(|o| o.flush()) {
                    self.error = Some((nf.path.clone(), e));
                    break;
                }
            }
        }
        match &self.error {
            Some((p, e)) => Err((p.clone(), e.to_string())),
            None => Ok(()),
        }
    }
}

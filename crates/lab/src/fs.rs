//! The file system a lab's processes see.
//!
//! The lab owns a few paths: `/etc/hosts`, `/etc/resolv.conf`, `/etc/netns/...` (what
//! `ip netns exec` bind-mounts over `/etc`), `/proc/sys/net/...` (the sysctls of the process's
//! namespace), and `/run/netns` (alias `/var/run/netns`, one file per named namespace). Every
//! other path is the real file system, relative to the process's working directory, as with
//! bash, so that `tcpdump -w x.pcap` leaves a file beside the script.

use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use tsunagi_kernel::{Errno, NsId};

use crate::io::{io_errno, FileRef, OpenFile};
use crate::sys::Sys;

/// Where a path leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VPath {
    /// A path of the real file system.
    Real(PathBuf),
    /// A file in the lab's store (`/etc/hosts`, `/etc/netns/NS/resolv.conf`, ...).
    Store(String),
    /// `/proc/sys/...`: a sysctl key in dotted form (`net.ipv4.ip_forward`), or a directory.
    Sysctl(String),
    /// `/run/netns` itself (`None`) or one namespace file in it.
    Netns(Option<String>),
    /// `/dev/null`.
    Null,
}

const STORE_ROOTS: [&str; 3] = ["/etc/hosts", "/etc/resolv.conf", "/etc/netns"];

impl VPath {
    /// Resolves `path` against `cwd`, lexically (`.` and `..` are folded).
    pub fn resolve(cwd: &Path, path: &str) -> VPath {
        let joined = if path.starts_with('/') {
            PathBuf::from(path)
        } else {
            cwd.join(path)
        };
        let mut norm = PathBuf::from("/");
        for c in joined.components() {
            match c {
                Component::ParentDir => {
                    norm.pop();
                }
                Component::Normal(s) => norm.push(s),
                _ => {}
            }
        }
        let s = norm.to_string_lossy().into_owned();
        if s == "/dev/null" {
            return VPath::Null;
        }
        for prefix in ["/run/netns", "/var/run/netns"] {
            if s == prefix {
                return VPath::Netns(None);
            }
            if let Some(rest) = s.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')) {
                return VPath::Netns(Some(rest.to_string()));
            }
        }
        if s == "/proc/sys" || s.starts_with("/proc/sys/") {
            let key = s["/proc/sys".len()..]
                .trim_start_matches('/')
                .replace('/', ".");
            return VPath::Sysctl(key);
        }
        if STORE_ROOTS
            .iter()
            .any(|r| s == *r || s.starts_with(&format!("{r}/")))
        {
            return VPath::Store(s);
        }
        VPath::Real(norm)
    }
}

/// How to open a file (the `open(2)` flags that matter here).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenMode {
    pub read: bool,
    pub write: bool,
    pub append: bool,
    pub create: bool,
    pub truncate: bool,
}

impl OpenMode {
    pub const READ: OpenMode = OpenMode {
        read: true,
        write: false,
        append: false,
        create: false,
        truncate: false,
    };
    /// `>`: write, create, truncate.
    pub const WRITE: OpenMode = OpenMode {
        read: false,
        write: true,
        append: false,
        create: true,
        truncate: true,
    };
    /// `>>`: append, create.
    pub const APPEND: OpenMode = OpenMode {
        read: false,
        write: true,
        append: true,
        create: true,
        truncate: false,
    };
}

/// An open virtual file: its content was read at open; writes go straight through.
pub struct VirtualFile {
    sys: Sys,
    target: VirtualTarget,
    data: Vec<u8>,
    pos: usize,
}

enum VirtualTarget {
    Store(String),
    Sysctl(NsId, String),
    ReadOnly,
}

impl VirtualFile {
    pub(crate) fn read(&mut self) -> Result<Vec<u8>, Errno> {
        let chunk = self.data[self.pos.min(self.data.len())..].to_vec();
        self.pos = self.data.len();
        Ok(chunk)
    }

    pub(crate) fn unread(&mut self, n: usize) {
        self.pos = self.pos.min(self.data.len()).saturating_sub(n);
    }

    pub(crate) fn write(&mut self, data: &[u8]) -> Result<(), Errno> {
        match &self.target {
            VirtualTarget::Store(path) => {
                self.sys.store_append(path, data);
                Ok(())
            }
            VirtualTarget::Sysctl(ns, key) => {
                let text = String::from_utf8_lossy(data);
                self.sys.sysctl_write(*ns, key, text.trim_end_matches('\n'))
            }
            VirtualTarget::ReadOnly => Err(Errno::EACCES),
        }
    }
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

impl Sys {
    /// Opens `path` (relative to `cwd`) as a process in `ns` would.
    pub fn open(&self, cwd: &Path, path: &str, mode: OpenMode, ns: NsId) -> Result<FileRef, Errno> {
        let vfile = |sys: &Sys, target, data| {
            Rc::new(OpenFile::Virtual(RefCell::new(VirtualFile {
                sys: sys.clone(),
                target,
                data,
                pos: 0,
            })))
        };
        match VPath::resolve(cwd, path) {
            VPath::Null => Ok(Rc::new(OpenFile::Null)),
            VPath::Real(p) => {
                let f = std::fs::OpenOptions::new()
                    .read(mode.read)
                    .write(mode.write && !mode.append)
                    .append(mode.append)
                    .create(mode.create)
                    .truncate(mode.truncate)
                    .open(&p)
                    .map_err(io_errno)?;
                if f.metadata().map(|m| m.is_dir()).unwrap_or(false) && mode.write {
                    return Err(Errno::EISDIR);
                }
                Ok(Rc::new(OpenFile::Real(RefCell::new(f))))
            }
            VPath::Store(p) => {
                if self.store_is_dir(&p) {
                    return Err(Errno::EISDIR);
                }
                let existing = self.store_get(&p);
                if existing.is_none() && !mode.create {
                    return Err(Errno::ENOENT);
                }
                if mode.write && (mode.truncate || existing.is_none()) {
                    self.store_create(&p)?;
                }
                let data = if mode.read {
                    existing.unwrap_or_default()
                } else {
                    Vec::new()
                };
                Ok(vfile(self, VirtualTarget::Store(p), data))
            }
            VPath::Sysctl(key) => {
                let value = self.sysctl_read(ns, &key)?;
                let data = if mode.read {
                    format!("{value}\n").into_bytes()
                } else {
                    Vec::new()
                };
                Ok(vfile(self, VirtualTarget::Sysctl(ns, key), data))
            }
            VPath::Netns(None) => Err(Errno::EISDIR),
            VPath::Netns(Some(name)) => {
                if self.netns_by_name(&name).is_some() {
                    if mode.write {
                        return Err(Errno::EACCES);
                    }
                    Ok(vfile(self, VirtualTarget::ReadOnly, Vec::new()))
                } else {
                    Err(Errno::ENOENT)
                }
            }
        }
    }

    /// Lists a directory, sorted by name (the real file system) or in the lab's order.
    pub fn read_dir(&self, cwd: &Path, path: &str, ns: NsId) -> Result<Vec<DirEntry>, Errno> {
        match VPath::resolve(cwd, path) {
            VPath::Real(p) => {
                let mut v = Vec::new();
                for e in std::fs::read_dir(&p).map_err(io_errno)? {
                    let e = e.map_err(io_errno)?;
                    v.push(DirEntry {
                        name: e.file_name().to_string_lossy().into_owned(),
                        is_dir: e.file_type().map(|t| t.is_dir()).unwrap_or(false),
                    });
                }
                v.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(v)
            }
            VPath::Netns(None) => Ok(self
                .netns_names()
                .into_iter()
                .map(|name| DirEntry {
                    name,
                    is_dir: false,
                })
                .collect()),
            VPath::Store(p) => self.store_list(&p),
            VPath::Sysctl(prefix) => self.sysctl_dir(ns, &prefix),
            VPath::Netns(Some(_)) | VPath::Null => Err(Errno::ENOTDIR),
        }
    }

    /// What `stat` would say: `Some(true)` for a directory, `Some(false)` for a file.
    pub fn stat(&self, cwd: &Path, path: &str, ns: NsId) -> Option<bool> {
        match VPath::resolve(cwd, path) {
            VPath::Real(p) => std::fs::metadata(p).ok().map(|m| m.is_dir()),
            VPath::Null => Some(false),
            VPath::Netns(None) => Some(true),
            VPath::Netns(Some(n)) => self.netns_by_name(&n).map(|_| false),
            VPath::Store(p) => {
                if self.store_is_dir(&p) {
                    Some(true)
                } else {
                    self.store_get(&p).map(|_| false)
                }
            }
            VPath::Sysctl(key) => {
                if self.sysctl_read(ns, &key).is_ok() {
                    Some(false)
                } else if self.sysctl_dir(ns, &key).is_ok() {
                    Some(true)
                } else {
                    None
                }
            }
        }
    }

    /// `mkdir` (with `parents`, `mkdir -p`).
    pub fn mkdir(&self, cwd: &Path, path: &str, parents: bool) -> Result<(), Errno> {
        match VPath::resolve(cwd, path) {
            VPath::Real(p) => {
                if parents {
                    std::fs::create_dir_all(p).map_err(io_errno)
                } else {
                    std::fs::create_dir(p).map_err(io_errno)
                }
            }
            VPath::Store(p) => self.store_mkdir(&p, parents),
            VPath::Netns(None) => {
                if parents {
                    Ok(())
                } else {
                    Err(Errno::EEXIST)
                }
            }
            _ => Err(Errno::EACCES),
        }
    }

    /// `rm` of one file (or, with `recursive`, a tree).
    pub fn remove(&self, cwd: &Path, path: &str, recursive: bool) -> Result<(), Errno> {
        match VPath::resolve(cwd, path) {
            VPath::Real(p) => {
                let meta = std::fs::symlink_metadata(&p).map_err(io_errno)?;
                if meta.is_dir() {
                    if recursive {
                        std::fs::remove_dir_all(p).map_err(io_errno)
                    } else {
                        Err(Errno::EISDIR)
                    }
                } else {
                    std::fs::remove_file(p).map_err(io_errno)
                }
            }
            VPath::Store(p) => self.store_remove(&p, recursive),
            _ => Err(Errno::EACCES),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_lab_paths() {
        let cwd = Path::new("/tmp/x");
        assert_eq!(
            VPath::resolve(cwd, "/proc/sys/net/ipv4/ip_forward"),
            VPath::Sysctl("net.ipv4.ip_forward".into())
        );
        assert_eq!(
            VPath::resolve(Path::new("/proc/sys/net"), "ipv4/../ipv4/ip_forward"),
            VPath::Sysctl("net.ipv4.ip_forward".into())
        );
        assert_eq!(
            VPath::resolve(cwd, "/var/run/netns/ns1"),
            VPath::Netns(Some("ns1".into()))
        );
        assert_eq!(
            VPath::resolve(cwd, "/etc/hosts"),
            VPath::Store("/etc/hosts".into())
        );
        assert_eq!(
            VPath::resolve(cwd, "/etc/hostsx"),
            VPath::Real("/etc/hostsx".into())
        );
        assert_eq!(
            VPath::resolve(cwd, "a/../b"),
            VPath::Real("/tmp/x/b".into())
        );
    }
}

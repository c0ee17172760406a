//! The kernel's top level: namespaces, devices, events.

use tsunagi_engine::{Rng, Time, TimerId};

/// Names one network namespace inside a kernel (not the `nsid` that rtnetlink shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NsId(pub u32);

/// Names one network device, whatever namespace it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DevId(pub u32);

/// What the kernel needs from the engine: the time, timers and randomness.
pub trait Env {
    fn now(&self) -> Time;
    fn at(&mut self, t: Time, ev: NetEvent) -> TimerId;
    fn cancel(&mut self, id: TimerId);
    fn rng(&mut self) -> &mut Rng;
}

/// An event the kernel scheduled for itself.
pub enum NetEvent {}

/// All namespaces of one lab.
pub struct Kernel {}

impl Kernel {
    pub fn new(_env: &mut dyn Env) -> Kernel {
        Kernel {}
    }
    pub fn root(&self) -> NsId {
        NsId(0)
    }
    pub fn create_ns(&mut self, _env: &mut dyn Env) -> NsId {
        NsId(1)
    }
    pub fn destroy_ns(&mut self, _ns: NsId, _env: &mut dyn Env) {}
    pub fn handle(&mut self, ev: NetEvent, _env: &mut dyn Env) {
        match ev {}
    }
    pub fn sysctl_get(&self, _ns: NsId, _key: &str) -> Result<String, crate::Errno> {
        Err(crate::Errno::ENOENT)
    }
    pub fn sysctl_set(&mut self, _ns: NsId, _key: &str, _v: &str, _env: &mut dyn Env) -> Result<(), crate::Errno> {
        Err(crate::Errno::ENOENT)
    }
    pub fn sysctl_keys(&self, _ns: NsId) -> Vec<String> {
        Vec::new()
    }
}

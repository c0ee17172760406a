//! The kernel: a Linux-faithful network stack, one instance per network namespace.
//!
//! It is sans-I/O. Frames, timers and system calls come in; frames to deliver, timers to set
//! and sockets to wake go out through the [`Env`] the caller passes. It reads like Linux's
//! `net/ipv4`: a frame received on a device goes through `ip_rcv`, is delivered locally or
//! forwarded, and leaves through `ip_output` and neighbour resolution to `dev_xmit`.
//!
//! What it owns: namespaces, devices (loopback, veth), IPv4 addresses, the local and main
//! routing tables, the ARP neighbour table, ICMP, and the sockets programs open; of IPv6,
//! what a link does by itself (addrconf's link-local address and its duplicate address
//! detection, MLD reports, router solicitations). What it does
//! not: processes, files and the clock, which belong to the lab.
//!
//! Read alongside: rtnetlink(7), ip-link(8), ip-address(8), ip-route(8), ip-neighbour(8),
//! RFC 791 (IP), RFC 792 (ICMP), RFC 826 (ARP), RFC 1812 (router requirements), and the kernel
//! sources net/ipv4/{ip_input,ip_forward,ip_output,arp,icmp,fib_frontend,route}.c and
//! net/core/neighbour.c.

mod addrconf;
mod bridge;
mod core;
mod errno;
mod fib;
mod ip;
mod ipopt;
mod mld;
mod ndisc;
mod neigh;
mod ops;
mod packet;
pub mod rtnl;
mod sock;
mod standalone;
mod sysctl;
pub mod wire;

pub use crate::addrconf::In6Timer;
pub use crate::core::{prefix_mask, DevId, Env, FrameId, Kernel, NetEvent, NsId, SockId};
pub use errno::Errno;
pub use ops::{link_local, LinkChange};
pub use packet::{
    pkttype, Captured, Cooked, FrameFilter, LabFrame, PacketId, PacketOpts, PacketStats,
};
pub use sock::{Datagram, SockError, SockKind};
pub use standalone::QueueEnv;

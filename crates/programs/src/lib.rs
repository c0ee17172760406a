//! The Linux tools a lab runs, one module per tool, each reproducing the real tool's argument
//! parsing, output, messages and exit statuses (Debian 12 versions): `ip` (iproute2 6.1),
//! `sysctl` (procps-ng 4.0.2), and more as they come. A tool is a program of the lab
//! (`fn(Proc) -> LocalBoxFuture<i32>`) written against `tsunagi_lab::Sys`; [`register`] makes
//! them all available to a lab.

pub mod bridge;
mod cnum;
mod getopt;
pub mod ip;
mod netdb;
pub mod ping;
pub mod sysctl;
pub mod tcpdump;
#[cfg(test)]
mod testlab;
pub mod traceroute;
mod wait;

/// Registers every program of this crate with `lab`.
pub fn register(lab: &tsunagi_lab::Lab) {
    lab.register("bridge", bridge::main);
    lab.register("ip", ip::main);
    lab.register("ping", ping::main);
    lab.register("sysctl", sysctl::main);
    lab.register("tcpdump", tcpdump::main);
    lab.register("traceroute", traceroute::main);
}

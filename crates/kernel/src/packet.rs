//! Packet sockets (`AF_PACKET`): what tcpdump reads, through libpcap.
//!
//! A packet socket sees every frame a device sends or receives, before the protocols do
//! (`dev_queue_xmit_nit` on the way out, the `ptype_all` taps of `__netif_receive_skb` on the
//! way in). It is bound to one device or to all of its namespace (tcpdump's `-i any`), runs its
//! filter, and queues what passes in a memory-mapped ring as libpcap sets it up
//! (`TPACKET_V3`): fixed-size blocks that the kernel hands to the reader when one is full or
//! when the block timer fires. The timer is why tcpdump prints a packet up to 100 ms (with
//! `-l` or on a terminal) or 1 s after it crossed, and why its "received by filter" count can
//! run ahead of "captured" when it stops after `-c N`.
//!
//! Two things libpcap does in user space are done here too, so that what a reader takes is
//! exactly what libpcap hands to tcpdump: on a socket for all devices each frame is given a
//! `LINKTYPE_LINUX_SLL2` header in place of its Ethernet header (built from the
//! `sockaddr_ll` the kernel reports), and frames the loopback device sends are skipped (they
//! come back as received ones) — after the kernel counted them, as with real libpcap.
//!
//! The lab as a whole can also record every frame of every device (`tsunagi run --capture`);
//! those records wait in [`Kernel::take_lab_capture`] until the lab writes them out.

use std::collections::VecDeque;
use std::task::Waker;

use tsunagi_engine::{Duration, Time};

use crate::core::{DevId, DevKind, Env, Kernel, NetEvent, NsId};
use crate::wire::{self, ETH_HLEN};
use crate::Errno;

/// `sll_pkttype`: where a frame was going, as a packet socket reports it.
pub mod pkttype {
    /// To this host.
    pub const HOST: u8 = 0;
    /// Link-layer broadcast.
    pub const BROADCAST: u8 = 1;
    /// Link-layer multicast.
    pub const MULTICAST: u8 = 2;
    /// To another host (seen because a socket looks at everything a device receives).
    pub const OTHERHOST: u8 = 3;
    /// Sent by this host.
    pub const OUTGOING: u8 = 4;
}

/// `ARPHRD_ETHER` and `ARPHRD_LOOPBACK`: the hardware type in a cooked header.
const ARPHRD_ETHER: u16 = 1;
const ARPHRD_LOOPBACK: u16 = 772;

/// The length of a `LINKTYPE_LINUX_SLL2` header.
const SLL2_HLEN: usize = 20;

/// The cooked header a socket on all devices gives each frame in place of its Ethernet
/// header: libpcap's "Linux cooked" v1 (`LINKTYPE_LINUX_SLL`, 16 bytes: what `any` gives when
/// it is tcpdump's default device) or v2 (`LINKTYPE_LINUX_SLL2`, 20 bytes: `-i any`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cooked {
    V1,
    V2,
}

/// The socket filter: whether a frame, as the reader will see it, passes. The packet socket
/// cuts what passes to the socket's snapshot length itself.
pub trait FrameFilter {
    fn accepts(&self, data: &[u8], wire_len: u32, outgoing: bool) -> bool;
}

/// Names one packet socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PacketId(pub u32);

/// How to open a packet socket: what libpcap asks of the kernel for a capture.
#[derive(Clone, Copy, Debug)]
pub struct PacketOpts {
    /// The interface index to bind to; `None` for all devices of the namespace (`any`).
    pub ifindex: Option<u32>,
    /// Frames with a cooked header instead of their Ethernet one (always, on `any`).
    pub cooked: Option<Cooked>,
    /// Bytes kept of each frame (`-s`); frames are cut to it.
    pub snaplen: u32,
    /// The ring's block timer (`tp_retire_blk_tov`): tcpdump's capture timeout.
    pub block_timeout: Duration,
    /// Put the device in promiscuous mode while the socket is open (`PACKET_MR_PROMISC`;
    /// tcpdump does unless `-p`). Shown as `promiscuity` in `ip -d link`.
    pub promisc: bool,
    /// The ring's size (`-B`, libpcap's default 2 MiB).
    pub buffer_size: usize,
}

/// One captured frame as libpcap hands it over.
#[derive(Clone, Debug, PartialEq)]
pub struct Captured {
    pub at: Time,
    /// The frame (or, on an `any` socket, a cooked header and the frame's payload), cut to
    /// the snapshot length.
    pub data: Vec<u8>,
    /// Its length on the wire (after the cooked header replaced the Ethernet one).
    pub wire_len: u32,
    pub ifindex: u32,
    pub pkttype: u8,
}

/// `PACKET_STATISTICS`: frames that passed the filter and frames lost for want of room.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketStats {
    pub received: u32,
    pub dropped: u32,
}

/// A block of the ring.
struct Block {
    frames: VecDeque<Captured>,
    used: usize,
    /// Handed to the reader: no more frames go in.
    closed: bool,
}

pub(crate) struct PacketSocket {
    ns: NsId,
    dev: Option<DevId>,
    opts: PacketOpts,
    filter: Option<Box<dyn FrameFilter>>,
    /// The ring: closed blocks waiting for the reader, then the one being filled (if any).
    blocks: VecDeque<Block>,
    block_size: usize,
    block_count: usize,
    /// When the block timer was last armed; it fires every `block_timeout` from then.
    timer_phase: Time,
    /// A block timer is scheduled (for the block being filled).
    timer_armed: bool,
    stats: PacketStats,
    /// `sk_err`: `ENODEV` once the device is gone. (A device that goes down leaves the
    /// socket waiting: tcpdump keeps running on real Linux too.)
    error: Option<Errno>,
    waker: Option<Waker>,
}

impl PacketSocket {
    fn wake(&mut self) {
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }

    /// Room a frame takes in a block: the `tpacket3_hdr`, the `sockaddr_ll` and the frame,
    /// each start aligned to 16 bytes (`TPACKET_ALIGN`).
    fn frame_room(len: usize) -> usize {
        const HDR: usize = 48 + 20;
        (HDR + 16 + len + 15) & !15
    }

    /// The block frames go into now: the last one if it is still open, else a new one if the
    /// ring has room.
    fn open_block(&mut self, now: Time) -> Option<&mut Block> {
        if self.blocks.back().is_none_or(|b| b.closed) {
            if self.blocks.len() >= self.block_count {
                return None;
            }
            self.blocks.push_back(Block {
                frames: VecDeque::new(),
                used: 0,
                closed: false,
            });
            // Opening a block re-arms the block timer (`_prb_refresh_rx_retire_blk_timer`).
            self.timer_phase = now;
        }
        self.blocks.back_mut()
    }

    /// Hands the block being filled to the reader.
    fn close_block(&mut self) {
        if let Some(b) = self.blocks.back_mut() {
            if !b.closed && !b.frames.is_empty() {
                b.closed = true;
                self.wake();
            }
        }
    }
}

/// A frame seen by the lab-wide capture.
#[derive(Clone, Debug, PartialEq)]
pub struct LabFrame {
    pub at: Time,
    pub ns: NsId,
    pub ifindex: u32,
    /// The device's name when the frame crossed it.
    pub ifname: String,
    pub outgoing: bool,
    pub data: Vec<u8>,
}

impl Kernel {
    /// Opens a packet socket in `ns` (`socket(AF_PACKET, ...)` + `bind` + ring setup as
    /// libpcap does it). `ENODEV` if the interface does not exist.
    pub fn packet_open(
        &mut self,
        ns: NsId,
        opts: PacketOpts,
        env: &mut dyn Env,
    ) -> Result<PacketId, Errno> {
        if !self.ns_alive(ns) {
            return Err(Errno::EINVAL);
        }
        let dev = match opts.ifindex {
            Some(i) => Some(self.dev_by_index(ns, i).ok_or(Errno::ENODEV)?),
            None => None,
        };
        if let (Some(d), true) = (dev, opts.promisc) {
            self.dev_mut(d).promisc_refs += 1;
        }
        // libpcap sizes a block to hold the largest frame, a power of two from a page up,
        // and makes as many as fit in the buffer.
        let frame_max = PacketSocket::frame_room(opts.snaplen as usize);
        let mut block_size = 4096;
        while block_size < frame_max {
            block_size <<= 1;
        }
        let block_count = (opts.buffer_size / block_size).max(1);
        let sock = PacketSocket {
            ns,
            dev,
            opts,
            filter: None,
            blocks: VecDeque::new(),
            block_size,
            block_count,
            timer_phase: env.now(),
            timer_armed: false,
            stats: PacketStats::default(),
            error: None,
            waker: None,
        };
        let id = match self.packet_socks.iter().position(Option::is_none) {
            Some(i) => {
                self.packet_socks[i] = Some(sock);
                PacketId(i as u32)
            }
            None => {
                self.packet_socks.push(Some(sock));
                PacketId((self.packet_socks.len() - 1) as u32)
            }
        };
        self.taps += 1;
        Ok(id)
    }

    /// `SO_ATTACH_FILTER`.
    pub fn packet_set_filter(
        &mut self,
        id: PacketId,
        filter: Box<dyn FrameFilter>,
    ) -> Result<(), Errno> {
        self.packet_sock_mut(id)?.filter = Some(filter);
        Ok(())
    }

    /// Takes the next frame the ring has handed over, or registers `waker` for when there is
    /// one. An error once the device went down or away and nothing is left to read.
    pub fn packet_poll_recv(
        &mut self,
        id: PacketId,
        waker: &Waker,
    ) -> Result<Option<Captured>, Errno> {
        let s = self.packet_sock_mut(id)?;
        if let Some(b) = s.blocks.front_mut().filter(|b| b.closed) {
            let f = b.frames.pop_front();
            if b.frames.is_empty() {
                s.blocks.pop_front();
            }
            return Ok(f);
        }
        if let Some(e) = s.error {
            return Err(e);
        }
        s.waker = Some(waker.clone());
        Ok(None)
    }

    /// `PACKET_STATISTICS`.
    pub fn packet_stats(&self, id: PacketId) -> Result<PacketStats, Errno> {
        self.packet_socks
            .get(id.0 as usize)
            .and_then(Option::as_ref)
            .map(|s| s.stats)
            .ok_or(Errno::EBADF)
    }

    /// `close(2)`.
    pub fn packet_close(&mut self, id: PacketId) {
        let Some(s) = self
            .packet_socks
            .get_mut(id.0 as usize)
            .and_then(Option::take)
        else {
            return;
        };
        self.taps -= 1;
        if let (Some(d), true) = (s.dev, s.opts.promisc) {
            if let Some(dev) = self.devs.get_mut(d.0 as usize).and_then(Option::as_mut) {
                dev.promisc_refs = dev.promisc_refs.saturating_sub(1);
            }
        }
    }

    fn packet_sock_mut(&mut self, id: PacketId) -> Result<&mut PacketSocket, Errno> {
        self.packet_socks
            .get_mut(id.0 as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::EBADF)
    }

    /// Records every frame from now on for the lab-wide capture.
    pub fn enable_lab_capture(&mut self) {
        if self.lab_capture.is_none() {
            self.lab_capture = Some(Vec::new());
            self.taps += 1;
        }
    }

    /// The frames recorded for the lab-wide capture since the last call, oldest first.
    pub fn take_lab_capture(&mut self) -> Vec<LabFrame> {
        match &mut self.lab_capture {
            Some(v) if !v.is_empty() => std::mem::take(v),
            _ => Vec::new(),
        }
    }

    /// A device is going away: the sockets bound to it report `ENODEV` to their readers
    /// (`packet_notifier` on `NETDEV_UNREGISTER`).
    pub(crate) fn packet_dev_gone(&mut self, dev: DevId) {
        if self.taps == 0 {
            return;
        }
        for s in self.packet_socks.iter_mut().flatten() {
            if s.dev == Some(dev) {
                s.error = Some(Errno::ENODEV);
                s.wake();
            }
        }
    }

    /// Every packet socket that sees `frame` crossing `dev` gets a copy (`dev_queue_xmit_nit`,
    /// `deliver_skb` to `ptype_all`). Callers check `self.taps != 0` first.
    #[cold]
    pub(crate) fn packet_tap(
        &mut self,
        dev: DevId,
        frame: &[u8],
        outgoing: bool,
        env: &mut dyn Env,
    ) {
        let Some(d) = self.dev_opt(dev) else { return };
        if frame.len() < ETH_HLEN {
            return;
        }
        let (ns, ifindex, loopback) = (d.ns, d.ifindex, d.kind == DevKind::Loopback);
        // Most frames cross devices nobody captures on: find that out first.
        let seen = |s: &PacketSocket| s.ns == ns && s.dev.is_none_or(|x| x == dev);
        if self.lab_capture.is_none() && !self.packet_socks.iter().flatten().any(seen) {
            return;
        }
        let pkttype = if outgoing {
            pkttype::OUTGOING
        } else {
            let dst = wire::mac(frame, 0);
            if dst == [0xff; 6] {
                pkttype::BROADCAST
            } else if dst[0] & 1 != 0 {
                pkttype::MULTICAST
            } else if loopback || dst == d.mac {
                pkttype::HOST
            } else {
                pkttype::OTHERHOST
            }
        };
        // The lab-wide capture sees what a packet socket on every device would; like libpcap
        // it leaves out the loopback device's outgoing copy, as the same frame comes back in.
        if self.lab_capture.is_some() && !(outgoing && loopback) {
            let ifname = d.name.clone();
            self.lab_capture.get_or_insert_default().push(LabFrame {
                at: env.now(),
                ns,
                ifindex,
                ifname,
                outgoing,
                data: frame.to_vec(),
            });
        }
        let mut cooked: Option<(Cooked, Vec<u8>)> = None;
        let now = env.now();
        for i in 0..self.packet_socks.len() {
            let Some(s) = self.packet_socks[i].as_mut() else {
                continue;
            };
            if s.ns != ns || s.dev.is_some_and(|x| x != dev) || s.error.is_some() {
                continue;
            }
            let data: &[u8] = match s.opts.cooked.or(if s.dev.is_none() {
                Some(Cooked::V2)
            } else {
                None
            }) {
                None => frame,
                Some(c) => {
                    if cooked.as_ref().is_none_or(|(k, _)| *k != c) {
                        cooked = Some((c, cook(c, frame, ifindex, pkttype, loopback)));
                    }
                    cooked.as_ref().map_or(&[][..], |(_, v)| v)
                }
            };
            if s.filter
                .as_ref()
                .is_some_and(|f| !f.accepts(data, data.len() as u32, outgoing))
            {
                continue;
            }
            s.stats.received += 1;
            // libpcap drops what the loopback device sends: the same frame comes back in.
            if outgoing && loopback {
                continue;
            }
            let keep = data.len().min(s.opts.snaplen as usize);
            let room = PacketSocket::frame_room(keep);
            let block_size = s.block_size;
            // A frame that does not fit closes the block (it is handed over) and opens the
            // next; with no free block left the frame is lost.
            if s.blocks
                .back()
                .is_some_and(|b| !b.closed && b.used + room > block_size)
            {
                s.close_block();
            }
            let Some(block) = s.open_block(now) else {
                s.stats.dropped += 1;
                continue;
            };
            block.used += room;
            block.frames.push_back(Captured {
                at: now,
                data: data[..keep].to_vec(),
                wire_len: data.len() as u32,
                ifindex,
                pkttype,
            });
            if !s.timer_armed {
                s.timer_armed = true;
                let tov = s.opts.block_timeout.0.max(1);
                let since = now.0.saturating_sub(s.timer_phase.0);
                let at = Time(s.timer_phase.0 + (since / tov + 1) * tov);
                env.at(
                    at,
                    NetEvent::PacketTimer {
                        sock: PacketId(i as u32),
                    },
                );
            }
        }
    }

    /// The block timer of a packet socket fired: the block being filled goes to the reader
    /// (`prb_retire_rx_blk_timer_expired`).
    pub(crate) fn packet_timer(&mut self, id: PacketId, env: &mut dyn Env) {
        let Ok(s) = self.packet_sock_mut(id) else {
            return;
        };
        s.timer_armed = false;
        s.timer_phase = env.now();
        s.close_block();
    }
}

/// The frame with a cooked header in place of its Ethernet header, as libpcap builds it from
/// the `sockaddr_ll` of a frame on an `any` socket. The address is the sender's (the Ethernet
/// source), in 8 bytes with padding.
fn cook(kind: Cooked, frame: &[u8], ifindex: u32, pkttype: u8, loopback: bool) -> Vec<u8> {
    let hatype = if loopback {
        ARPHRD_LOOPBACK
    } else {
        ARPHRD_ETHER
    };
    let mut v = Vec::with_capacity(SLL2_HLEN + frame.len() - ETH_HLEN);
    match kind {
        Cooked::V1 => {
            v.extend_from_slice(&u16::from(pkttype).to_be_bytes());
            v.extend_from_slice(&hatype.to_be_bytes());
            v.extend_from_slice(&6u16.to_be_bytes());
            v.extend_from_slice(&frame[6..12]);
            v.extend_from_slice(&[0, 0]);
            v.extend_from_slice(&frame[12..14]);
        }
        Cooked::V2 => {
            v.extend_from_slice(&frame[12..14]);
            v.extend_from_slice(&[0, 0]);
            v.extend_from_slice(&ifindex.to_be_bytes());
            v.extend_from_slice(&hatype.to_be_bytes());
            v.push(pkttype);
            v.push(6);
            v.extend_from_slice(&frame[6..12]);
            v.extend_from_slice(&[0, 0]);
        }
    }
    v.extend_from_slice(&frame[ETH_HLEN..]);
    v
}

//! libpcap's grammar (grammar.y) by recursive descent, and its code generator (gencode.c)
//! producing [`Pred`] trees instead of BPF.
//!
//! Where yacc decides with one token of look-ahead, this parser tries the readings in the
//! order yacc would prefer them and backs up on a syntax error: a parenthesis opens an
//! arithmetic expression, a filter expression or a list of addresses (`host a or (b or
//! c)`); after `and`/`or` comes a whole term or a bare address that borrows the previous
//! term's qualifiers.

use std::net::{IpAddr, Ipv6Addr};

use crate::expr::{BinOp, Expr, Pred, Rel};
use crate::lex::{number, Kw, Tok};
use crate::{names, Error, LinkType, Options};

/// Protocol qualifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Default,
    Link,
    Ip,
    Ip6,
    Arp,
    Rarp,
    Tcp,
    Udp,
    Sctp,
    Icmp,
    Icmp6,
    Igmp,
    Igrp,
    Pim,
    Vrrp,
    Carp,
    Ah,
    Esp,
}

impl Proto {
    /// The name libpcap uses in its messages.
    fn name(self) -> &'static str {
        match self {
            Proto::Default => "",
            Proto::Link => "link",
            Proto::Ip => "ip",
            Proto::Ip6 => "ip6",
            Proto::Arp => "arp",
            Proto::Rarp => "rarp",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Sctp => "sctp",
            Proto::Icmp => "icmp",
            Proto::Icmp6 => "icmp6",
            Proto::Igmp => "igmp",
            Proto::Igrp => "igrp",
            Proto::Pim => "pim",
            Proto::Vrrp => "vrrp",
            Proto::Carp => "carp",
            Proto::Ah => "ah",
            Proto::Esp => "esp",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Default,
    Src,
    Dst,
    Or,
    And,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Addr {
    Default,
    Host,
    Net,
    Port,
    PortRange,
    Gateway,
    Proto,
    ProtoChain,
}

/// The qualifiers of a primitive, which a following bare address inherits.
#[derive(Clone, Copy, Debug)]
struct Qual {
    proto: Proto,
    dir: Dir,
    addr: Addr,
}

const ETHERTYPE_IP: u32 = 0x0800;
const ETHERTYPE_ARP: u32 = 0x0806;
const ETHERTYPE_RARP: u32 = 0x8035;
const ETHERTYPE_IPV6: u32 = 0x86dd;
const ETHERMTU: u32 = 1500;
const IPPROTO_TCP: u32 = 6;
const IPPROTO_UDP: u32 = 17;
const IPPROTO_SCTP: u32 = 132;
const IPPROTO_FRAGMENT: u32 = 44;

enum PErr {
    /// yacc's "syntax error": another reading may still work.
    Syntax,
    /// An error reported while generating code: final.
    Fatal(Error),
}

impl From<Error> for PErr {
    fn from(e: Error) -> Self {
        PErr::Fatal(e)
    }
}

type R<T> = Result<T, PErr>;

fn fatal<T>(msg: impl Into<String>) -> R<T> {
    Err(PErr::Fatal(Error(msg.into())))
}

struct Parser<'a, 'o> {
    toks: &'a [Tok],
    pos: usize,
    opts: &'a Options<'o>,
    /// Offset of the Ethernet type field and of the network header; `vlan` moves both
    /// by 4 for everything after it, as in libpcap.
    off_linktype: u32,
    off_nl: u32,
}

pub fn parse(toks: &[Tok], opts: &Options<'_>) -> Result<Pred, Error> {
    if toks.is_empty() {
        return Ok(Pred::True);
    }
    let (off_linktype, off_nl) = match opts.linktype {
        LinkType::Ethernet => (12, 14),
        LinkType::LinuxSll => (14, 16),
        LinkType::LinuxSll2 => (0, 20),
        LinkType::Raw => (0, 0),
    };
    let mut p = Parser {
        toks,
        pos: 0,
        opts,
        off_linktype,
        off_nl,
    };
    let r = p.expr().and_then(|(pred, _)| {
        if p.pos == toks.len() {
            Ok(pred)
        } else {
            Err(PErr::Syntax)
        }
    });
    r.map_err(|e| match e {
        PErr::Syntax => Error("can't parse filter expression: syntax error".into()),
        PErr::Fatal(e) => e,
    })
}

type Saved = (usize, u32, u32);

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n)
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Tok) -> R<()> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(PErr::Syntax)
        }
    }

    fn save(&self) -> Saved {
        (self.pos, self.off_linktype, self.off_nl)
    }

    fn restore(&mut self, s: Saved) {
        (self.pos, self.off_linktype, self.off_nl) = s;
    }

    // ---- grammar -------------------------------------------------------------------

    /// `expr: term | expr and term | expr or term | expr and id | expr or id`. `and` and
    /// `or` have the same precedence and group to the left.
    fn expr(&mut self) -> R<(Pred, Option<Qual>)> {
        let (mut acc, mut q) = self.term()?;
        loop {
            let and = match self.peek() {
                Some(Tok::And) => true,
                Some(Tok::Or) => false,
                _ => break,
            };
            self.pos += 1;
            let saved = self.save();
            let rhs = match self.term() {
                Ok((p, q2)) => {
                    q = q2;
                    p
                }
                Err(PErr::Fatal(e)) => return Err(PErr::Fatal(e)),
                Err(PErr::Syntax) => {
                    self.restore(saved);
                    self.id(q)?
                }
            };
            acc = if and {
                Pred::and(acc, rhs)
            } else {
                Pred::or(acc, rhs)
            };
        }
        Ok((acc, q))
    }

    /// `term: rterm | not term`.
    fn term(&mut self) -> R<(Pred, Option<Qual>)> {
        if self.eat(&Tok::Not) {
            let (p, q) = self.term()?;
            return Ok((Pred::not(p), q));
        }
        self.rterm()
    }

    fn rterm(&mut self) -> R<(Pred, Option<Qual>)> {
        // arth relop arth
        let saved = self.save();
        match self.relation() {
            Ok(p) => return Ok((p, None)),
            Err(PErr::Fatal(e)) => return Err(PErr::Fatal(e)),
            Err(PErr::Syntax) => self.restore(saved),
        }
        let Some(t) = self.peek().cloned() else {
            return Err(PErr::Syntax);
        };
        match t {
            Tok::LParen => {
                self.pos += 1;
                let (p, q) = self.expr()?;
                self.expect(&Tok::RParen)?;
                Ok((p, q))
            }
            Tok::Kw(Kw::P(_))
            | Tok::Kw(Kw::Src)
            | Tok::Kw(Kw::Dst)
            | Tok::Kw(Kw::Host)
            | Tok::Kw(Kw::Net)
            | Tok::Kw(Kw::Port)
            | Tok::Kw(Kw::PortRange)
            | Tok::Kw(Kw::Gateway)
            | Tok::Kw(Kw::Proto)
            | Tok::Kw(Kw::ProtoChain)
            | Tok::Kw(Kw::Broadcast)
            | Tok::Kw(Kw::Multicast) => self.head_term(),
            Tok::Kw(Kw::Less) | Tok::Kw(Kw::Greater) => {
                self.pos += 1;
                let Some(Tok::Num(n)) = self.peek().cloned() else {
                    return Err(PErr::Syntax);
                };
                self.pos += 1;
                let rel = if t == Tok::Kw(Kw::Less) {
                    Rel::Le
                } else {
                    Rel::Ge
                };
                Ok((Pred::Cmp(rel, Expr::Len, Expr::Const(n)), None))
            }
            Tok::Kw(Kw::Inbound) | Tok::Kw(Kw::Outbound) => {
                self.pos += 1;
                Ok((self.gen_inbound(t == Tok::Kw(Kw::Inbound))?, None))
            }
            Tok::Kw(Kw::Vlan) => {
                self.pos += 1;
                let id = self.pnum_opt()?;
                Ok((self.gen_vlan(id)?, None))
            }
            Tok::Kw(Kw::Ifname) => {
                self.pos += 1;
                match self.peek() {
                    Some(Tok::Id(_)) => fatal("ifname supported only on PF linktype"),
                    _ => Err(PErr::Syntax),
                }
            }
            _ => Err(PErr::Syntax),
        }
    }

    /// A primitive that starts with qualifiers: `[proto] [dir] [type] id`, `proto`
    /// alone, `[proto] proto id`, `[proto] broadcast|multicast`.
    fn head_term(&mut self) -> R<(Pred, Option<Qual>)> {
        let mut q = Qual {
            proto: Proto::Default,
            dir: Dir::Default,
            addr: Addr::Default,
        };
        if let Some(Tok::Kw(Kw::P(p))) = self.peek() {
            q.proto = *p;
            self.pos += 1;
        }
        match self.peek() {
            Some(Tok::Kw(Kw::Broadcast)) => {
                self.pos += 1;
                return Ok((self.gen_broadcast(q.proto)?, None));
            }
            Some(Tok::Kw(Kw::Multicast)) => {
                self.pos += 1;
                return Ok((self.gen_multicast(q.proto)?, None));
            }
            Some(Tok::Kw(Kw::Proto)) => {
                self.pos += 1;
                q.addr = Addr::Proto;
                return Ok((self.id(Some(q))?, Some(q)));
            }
            Some(Tok::Kw(Kw::ProtoChain)) => {
                self.pos += 1;
                q.addr = Addr::ProtoChain;
                return Ok((self.id(Some(q))?, Some(q)));
            }
            _ => {}
        }
        let had_proto = q.proto != Proto::Default;
        q.dir = self.dqual();
        q.addr = match self.peek() {
            Some(Tok::Kw(Kw::Host)) => Addr::Host,
            Some(Tok::Kw(Kw::Net)) => Addr::Net,
            Some(Tok::Kw(Kw::Port)) => Addr::Port,
            Some(Tok::Kw(Kw::PortRange)) => Addr::PortRange,
            Some(Tok::Kw(Kw::Gateway)) => Addr::Gateway,
            _ => Addr::Default,
        };
        if q.addr != Addr::Default {
            self.pos += 1;
        }
        if q.dir == Dir::Default && q.addr == Addr::Default {
            if !had_proto {
                return Err(PErr::Syntax);
            }
            // `pname` alone: `tcp`, `ip6`, `arp`.
            return Ok((self.gen_proto_abbrev(q.proto)?, None));
        }
        let p = self.id(Some(q))?;
        Ok((p, Some(q)))
    }

    /// `dqual`: `src`, `dst`, `src or dst`, `src and dst` (either order).
    fn dqual(&mut self) -> Dir {
        let first = match self.peek() {
            Some(Tok::Kw(Kw::Src)) => Kw::Src,
            Some(Tok::Kw(Kw::Dst)) => Kw::Dst,
            _ => return Dir::Default,
        };
        self.pos += 1;
        let other = if first == Kw::Src { Kw::Dst } else { Kw::Src };
        match (self.peek(), self.peek_at(1)) {
            (Some(Tok::Or), Some(Tok::Kw(k))) if *k == other => {
                self.pos += 2;
                Dir::Or
            }
            (Some(Tok::And), Some(Tok::Kw(k))) if *k == other => {
                self.pos += 2;
                Dir::And
            }
            _ if first == Kw::Src => Dir::Src,
            _ => Dir::Dst,
        }
    }

    /// `vlan [pnum]`: the number, if one follows.
    fn pnum_opt(&mut self) -> R<Option<u32>> {
        let saved = self.save();
        match self.pnum() {
            Ok(n) => Ok(Some(n)),
            Err(PErr::Syntax) => {
                self.restore(saved);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// `pnum: NUM | '(' pnum ')'`.
    fn pnum(&mut self) -> R<u32> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let n = self.pnum()?;
                self.expect(&Tok::RParen)?;
                Ok(n)
            }
            _ => Err(PErr::Syntax),
        }
    }

    /// `id: nid | pnum | '(' pid ')'`, generated with qualifiers `q` (`None`: the
    /// previous term had none to lend).
    fn id(&mut self, q: Option<Qual>) -> R<Pred> {
        let Some(t) = self.peek().cloned() else {
            return Err(PErr::Syntax);
        };
        let need_q = |q: Option<Qual>| -> R<Qual> {
            q.ok_or_else(|| PErr::Fatal(Error("syntax error in filter expression".into())))
        };
        match t {
            Tok::Not => {
                self.pos += 1;
                Ok(Pred::not(self.id(q)?))
            }
            Tok::LParen => {
                self.pos += 1;
                let mut acc = self.id(q)?;
                loop {
                    match self.peek() {
                        Some(Tok::And) => {
                            self.pos += 1;
                            acc = Pred::and(acc, self.id(q)?);
                        }
                        Some(Tok::Or) => {
                            self.pos += 1;
                            acc = Pred::or(acc, self.id(q)?);
                        }
                        _ => break,
                    }
                }
                self.expect(&Tok::RParen)?;
                Ok(acc)
            }
            Tok::Num(v) => {
                self.pos += 1;
                let q = need_q(q)?;
                Ok(self.gen_ncode(None, v, 32, q)?)
            }
            Tok::Id(name) => {
                self.pos += 1;
                let q = need_q(q)?;
                Ok(self.gen_scode(&name, q)?)
            }
            Tok::Hid(text) => {
                self.pos += 1;
                let q = need_q(q)?;
                if self.eat(&Tok::Arith('/')) {
                    let Some(Tok::Num(len)) = self.peek().cloned() else {
                        return Err(PErr::Syntax);
                    };
                    self.pos += 1;
                    return Ok(self.gen_mcode(&text, None, len, q)?);
                }
                if self.eat(&Tok::Kw(Kw::Mask)) {
                    let Some(Tok::Hid(m)) = self.peek().cloned() else {
                        return Err(PErr::Syntax);
                    };
                    self.pos += 1;
                    return Ok(self.gen_mcode(&text, Some(&m), 0, q)?);
                }
                let (v, vlen) = atoin(&text)?;
                Ok(self.gen_ncode(Some(&text), v, vlen, q)?)
            }
            Tok::Hid6(text) => {
                self.pos += 1;
                let q = need_q(q)?;
                let len = if self.eat(&Tok::Arith('/')) {
                    let Some(Tok::Num(len)) = self.peek().cloned() else {
                        return Err(PErr::Syntax);
                    };
                    self.pos += 1;
                    Some(len)
                } else {
                    None
                };
                Ok(self.gen_mcode6(&text, len, q)?)
            }
            Tok::Eid(text) => {
                self.pos += 1;
                let q = need_q(q)?;
                Ok(self.gen_ecode(&text, q)?)
            }
            _ => Err(PErr::Syntax),
        }
    }

    // ---- arithmetic ---------------------------------------------------------------

    /// `arth relop arth`, with the protocol checks its loads need in front.
    fn relation(&mut self) -> R<Pred> {
        let mut conds = Vec::new();
        let a = self.arth(0, &mut conds)?;
        let rel = match self.peek() {
            Some(Tok::Gt) => Rel::Gt,
            Some(Tok::Ge) => Rel::Ge,
            Some(Tok::Eq) => Rel::Eq,
            Some(Tok::Lt) => Rel::Lt,
            Some(Tok::Le) => Rel::Le,
            Some(Tok::Ne) => Rel::Ne,
            _ => return Err(PErr::Syntax),
        };
        self.pos += 1;
        let b = self.arth(0, &mut conds)?;
        let cmp = match (a.constant(), b.constant()) {
            (Some(x), Some(y)) if rel.holds(x, y) => Pred::True,
            (Some(_), Some(_)) => Pred::False,
            _ => Pred::Cmp(rel, a, b),
        };
        Ok(Pred::and(Pred::all(conds), cmp))
    }

    /// Precedence climbing over yacc's levels: `|` and `^`, `&`, shifts, `+ -`, `* / %`.
    fn arth(&mut self, min: u8, conds: &mut Vec<Pred>) -> R<Expr> {
        let mut lhs = self.arth_unary(conds)?;
        loop {
            let (op, prec) = match self.peek() {
                Some(Tok::Arith('|')) => (BinOp::Or, 1),
                Some(Tok::Arith('^')) => (BinOp::Xor, 1),
                Some(Tok::Arith('&')) => (BinOp::And, 2),
                Some(Tok::Shl) => (BinOp::Shl, 3),
                Some(Tok::Shr) => (BinOp::Shr, 3),
                Some(Tok::Arith('+')) => (BinOp::Add, 4),
                Some(Tok::Arith('-')) => (BinOp::Sub, 4),
                Some(Tok::Arith('*')) => (BinOp::Mul, 5),
                Some(Tok::Arith('/')) => (BinOp::Div, 5),
                Some(Tok::Arith('%')) => (BinOp::Mod, 5),
                _ => break,
            };
            if prec < min {
                break;
            }
            self.pos += 1;
            let rhs = self.arth(prec + 1, conds)?;
            lhs = gen_arth(op, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn arth_unary(&mut self, conds: &mut Vec<Pred>) -> R<Expr> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Const(n))
            }
            Some(Tok::Kw(Kw::Len)) => {
                self.pos += 1;
                Ok(Expr::Len)
            }
            Some(Tok::Arith('-')) => {
                self.pos += 1;
                let a = self.arth(6, conds)?;
                Ok(match a.constant() {
                    Some(v) => Expr::Const(v.wrapping_neg()),
                    None => Expr::Neg(Box::new(a)),
                })
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let a = self.arth(0, conds)?;
                self.expect(&Tok::RParen)?;
                Ok(a)
            }
            Some(Tok::Kw(Kw::P(p))) if self.peek_at(1) == Some(&Tok::LBrack) => {
                self.pos += 2;
                let idx = self.arth(0, conds)?;
                let size = if self.eat(&Tok::Colon) {
                    match self.peek() {
                        Some(Tok::Num(n)) => {
                            let n = *n;
                            self.pos += 1;
                            n
                        }
                        _ => return Err(PErr::Syntax),
                    }
                } else {
                    1
                };
                self.expect(&Tok::RBrack)?;
                if !matches!(size, 1 | 2 | 4) {
                    return fatal("data size must be 1, 2, or 4");
                }
                self.gen_load(p, idx, size as u8, conds)
            }
            _ => Err(PErr::Syntax),
        }
    }

    /// `proto[idx:size]`: a load relative to that protocol's header, with the checks that
    /// the header is there.
    fn gen_load(&mut self, p: Proto, idx: Expr, size: u8, conds: &mut Vec<Pred>) -> R<Expr> {
        let at = |base: Expr, idx: Expr| -> Expr {
            match (base.constant(), idx.constant()) {
                (Some(a), Some(b)) => Expr::Const(a.wrapping_add(b)),
                _ => Expr::bin(BinOp::Add, base, idx),
            }
        };
        let nl = self.off_nl;
        let at = match p {
            Proto::Link => idx,
            Proto::Ip | Proto::Arp | Proto::Rarp | Proto::Ip6 => {
                conds.push(self.gen_proto_abbrev(p)?);
                at(Expr::Const(nl), idx)
            }
            Proto::Tcp
            | Proto::Udp
            | Proto::Sctp
            | Proto::Icmp
            | Proto::Igmp
            | Proto::Igrp
            | Proto::Pim
            | Proto::Vrrp
            | Proto::Carp => {
                conds.push(Pred::all([
                    self.linktype(ETHERTYPE_IP),
                    Pred::eq(nl + 9, 1, transport_number(p)),
                    self.not_fragment(),
                ]));
                at(
                    Expr::bin(BinOp::Add, Expr::IpHeaderLen { nl }, Expr::Const(nl)),
                    idx,
                )
            }
            Proto::Icmp6 => {
                conds.push(Pred::and(
                    self.linktype(ETHERTYPE_IPV6),
                    Pred::eq(nl + 6, 1, 58),
                ));
                at(Expr::Const(nl + 40), idx)
            }
            Proto::Ah | Proto::Esp | Proto::Default => return Err(PErr::Syntax),
        };
        Ok(Expr::Load {
            at: Box::new(at),
            size,
        })
    }

    // ---- code generation -----------------------------------------------------------

    /// The frame carries `ethertype` (`gen_linktype`).
    fn linktype(&self, ethertype: u32) -> Pred {
        let olt = self.off_linktype;
        match self.opts.linktype {
            LinkType::Ethernet if ethertype <= ETHERMTU => {
                // An 802.3 length field, then an LLC header whose DSAP is the value.
                Pred::and(
                    Pred::not(Pred::Cmp(
                        Rel::Gt,
                        Expr::load(olt, 2),
                        Expr::Const(ETHERMTU),
                    )),
                    Pred::eq(olt + 2, 1, ethertype),
                )
            }
            LinkType::LinuxSll | LinkType::LinuxSll2 if ethertype <= ETHERMTU => {
                Pred::and(Pred::eq(olt, 2, 4), Pred::eq(self.off_nl, 1, ethertype))
            }
            LinkType::Ethernet | LinkType::LinuxSll | LinkType::LinuxSll2 => {
                Pred::eq(olt, 2, ethertype)
            }
            LinkType::Raw => match ethertype {
                ETHERTYPE_IP => Pred::masked(0, 1, 0xf0, 0x40),
                ETHERTYPE_IPV6 => Pred::masked(0, 1, 0xf0, 0x60),
                _ => Pred::False,
            },
        }
    }

    /// Not a non-first fragment: the IPv4 fragment offset is 0.
    fn not_fragment(&self) -> Pred {
        Pred::masked(self.off_nl + 6, 2, 0x1fff, 0)
    }

    fn gen_proto_abbrev(&self, p: Proto) -> R<Pred> {
        Ok(match p {
            Proto::Ip => self.linktype(ETHERTYPE_IP),
            Proto::Ip6 => self.linktype(ETHERTYPE_IPV6),
            Proto::Arp => self.linktype(ETHERTYPE_ARP),
            Proto::Rarp => self.linktype(ETHERTYPE_RARP),
            Proto::Tcp | Proto::Udp | Proto::Sctp | Proto::Pim | Proto::Ah | Proto::Esp => {
                self.gen_proto(transport_number(p), Proto::Default)?
            }
            Proto::Icmp | Proto::Igmp | Proto::Igrp | Proto::Vrrp | Proto::Carp => {
                self.gen_proto(transport_number(p), Proto::Ip)?
            }
            Proto::Icmp6 => self.gen_proto(58, Proto::Ip6)?,
            Proto::Link => return fatal("link layer applied in wrong context"),
            Proto::Default => return Err(PErr::Syntax),
        })
    }

    /// `[ip|ip6|ether] proto N`.
    fn gen_proto(&self, v: u32, p: Proto) -> R<Pred> {
        let nl = self.off_nl;
        Ok(match p {
            Proto::Default => Pred::or(
                self.gen_proto(v, Proto::Ip)?,
                self.gen_proto(v, Proto::Ip6)?,
            ),
            Proto::Ip => Pred::and(self.linktype(ETHERTYPE_IP), Pred::eq(nl + 9, 1, v)),
            Proto::Ip6 => Pred::and(
                self.linktype(ETHERTYPE_IPV6),
                // The next header, or the one after a fragment header.
                Pred::or(
                    Pred::eq(nl + 6, 1, v),
                    Pred::and(
                        Pred::eq(nl + 6, 1, IPPROTO_FRAGMENT),
                        Pred::eq(nl + 40, 1, v),
                    ),
                ),
            ),
            Proto::Link => self.linktype(v),
            _ => return fatal(format!("'{}' modifier applied to proto", p.name())),
        })
    }

    /// A number (or dotted prefix) with qualifiers (`gen_ncode`).
    fn gen_ncode(&self, text: Option<&str>, v: u32, vlen: u32, q: Qual) -> Result<Pred, Error> {
        match q.addr {
            Addr::Default | Addr::Host | Addr::Net => {
                if q.proto == Proto::Link {
                    return Err(Error("illegal link layer address".into()));
                }
                let (mut v, mut mask) = (v, u32::MAX);
                if text.is_none() && q.addr == Addr::Net {
                    // A short network number: `net 10` is 10.0.0.0/8.
                    while v != 0 && v & 0xff00_0000 == 0 {
                        v <<= 8;
                        mask <<= 8;
                    }
                } else {
                    // A short dotted address: `host 10.1` is 10.1.0.0/16.
                    v = v.checked_shl(32 - vlen).unwrap_or(0);
                    mask = mask.checked_shl(32 - vlen).unwrap_or(0);
                }
                self.gen_host(v, mask, q)
            }
            Addr::Port | Addr::PortRange => {
                let p = port_proto(q)?;
                if v > 65535 {
                    return Err(Error(format!("illegal port number {v} > 65535")));
                }
                Ok(self.gen_portrange(v, v, p, q.dir))
            }
            Addr::Gateway => Err(Error("'gateway' requires a name".into())),
            Addr::Proto | Addr::ProtoChain => self.gen_proto(v, q.proto).map_err(unfatal),
        }
    }

    /// A name with qualifiers (`gen_scode`).
    fn gen_scode(&self, name: &str, q: Qual) -> Result<Pred, Error> {
        match q.addr {
            Addr::Net => Err(Error(format!("unknown network '{name}'"))),
            Addr::Default | Addr::Host => {
                if q.proto == Proto::Link {
                    return Err(Error(format!("unknown ether host '{name}'")));
                }
                let addrs = (self.opts.resolve_host)(name);
                let mut preds = Vec::new();
                for a in &addrs {
                    match a {
                        IpAddr::V4(v4) => {
                            if q.proto != Proto::Ip6 {
                                preds.push(self.gen_host(u32::from(*v4), u32::MAX, q)?);
                            }
                        }
                        IpAddr::V6(v6) => {
                            if matches!(q.proto, Proto::Default | Proto::Ip6) {
                                preds.push(self.gen_host6(v6.octets(), [0xff; 16], q)?);
                            }
                        }
                    }
                }
                if addrs.is_empty() {
                    return Err(Error(format!("unknown host '{name}'")));
                }
                if preds.is_empty() {
                    return Err(Error(format!(
                        "unknown host '{name}' for specified address family"
                    )));
                }
                Ok(Pred::any(preds))
            }
            Addr::Port => {
                let p = port_proto(q)?;
                let port =
                    names::service(name).ok_or_else(|| Error(format!("unknown port '{name}'")))?;
                Ok(self.gen_portrange(port, port, p, q.dir))
            }
            Addr::PortRange => {
                let p = port_proto(q)?;
                let bad = || Error(format!("unknown port in range '{name}'"));
                let (a, b) = name.split_once('-').ok_or_else(bad)?;
                let port = |s: &str| -> Result<u32, Error> {
                    match s.chars().next() {
                        Some(c) if c.is_ascii_digit() => {
                            let v = number(s).map_err(|_| bad())?;
                            if v > 65535 {
                                return Err(Error(format!("illegal port number {v} > 65535")));
                            }
                            Ok(v)
                        }
                        _ => names::service(s).ok_or_else(bad),
                    }
                };
                let (a, b) = (port(a)?, port(b)?);
                Ok(self.gen_portrange(a.min(b), a.max(b), p, q.dir))
            }
            Addr::Gateway => Err(Error(
                "'gateway' not supported in this configuration".into(),
            )),
            Addr::Proto | Addr::ProtoChain => {
                let v = match q.proto {
                    Proto::Link => names::ether_proto(name)
                        .ok_or_else(|| Error(format!("unknown ether proto '{name}'")))?,
                    _ => names::ip_proto(name)
                        .ok_or_else(|| Error(format!("unknown ip proto '{name}'")))?,
                };
                self.gen_proto(v, q.proto).map_err(unfatal)
            }
        }
    }

    /// `a.b.c.d/len` and `a.b.c.d mask m.m.m.m` (`gen_mcode`).
    fn gen_mcode(&self, s1: &str, s2: Option<&str>, len: u32, q: Qual) -> Result<Pred, Error> {
        let (n, nlen) = atoin(s1)?;
        let n = n.checked_shl(32 - nlen).unwrap_or(0);
        let m = match s2 {
            Some(s2) => {
                let (m, mlen) = atoin(s2)?;
                m.checked_shl(32 - mlen).unwrap_or(0)
            }
            None => {
                if len > 32 {
                    return Err(Error("mask length must be <= 32".into()));
                }
                u32::MAX.checked_shl(32 - len).unwrap_or(0)
            }
        };
        if n & !m != 0 {
            return Err(Error(match s2 {
                Some(s2) => format!("non-network bits set in \"{s1} mask {s2}\""),
                None => format!("non-network bits set in \"{s1}/{len}\""),
            }));
        }
        match q.addr {
            Addr::Net => self.gen_host(n, m, q),
            _ => Err(Error("Mask syntax for networks only".into())),
        }
    }

    /// An IPv6 address or prefix (`gen_mcode6`).
    fn gen_mcode6(&self, s: &str, len: Option<u32>, q: Qual) -> Result<Pred, Error> {
        let a: Ipv6Addr = s
            .parse()
            .map_err(|_| Error(format!("invalid ip6 address {s}")))?;
        let bits = len.unwrap_or(128);
        if bits > 128 {
            return Err(Error("mask length must be <= 128".into()));
        }
        let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
        let addr = u128::from(a);
        if addr & !mask != 0 {
            return Err(Error(format!("non-network bits set in \"{s}/{bits}\"")));
        }
        match q.addr {
            Addr::Default | Addr::Host if bits == 128 => {
                self.gen_host6(a.octets(), mask.to_be_bytes(), q)
            }
            Addr::Net => self.gen_host6(a.octets(), mask.to_be_bytes(), q),
            _ => Err(Error("Mask syntax for networks only".into())),
        }
    }

    /// A MAC address with qualifiers (`gen_ecode`).
    fn gen_ecode(&self, text: &str, q: Qual) -> Result<Pred, Error> {
        let mac = parse_mac(text).ok_or_else(|| Error(format!("bogus ethernet address {text}")))?;
        if !matches!(q.addr, Addr::Default | Addr::Host) || q.proto != Proto::Link {
            return Err(Error(
                "ethernet address used in non-ether expression".into(),
            ));
        }
        if self.opts.linktype != LinkType::Ethernet {
            return Err(Error("ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel".into()));
        }
        let at = |off: u32| {
            Pred::and(
                Pred::eq(
                    off + 2,
                    4,
                    u32::from_be_bytes([mac[2], mac[3], mac[4], mac[5]]),
                ),
                Pred::eq(off, 2, u32::from(u16::from_be_bytes([mac[0], mac[1]]))),
            )
        };
        Ok(by_dir(q.dir, at(6), at(0)))
    }

    /// An IPv4 host or network (`gen_host`).
    fn gen_host(&self, addr: u32, mask: u32, q: Qual) -> Result<Pred, Error> {
        let what = if q.addr == Addr::Net { "net" } else { "host" };
        let op = |ethertype: u32, src: u32, dst: u32| {
            let nl = self.off_nl;
            Pred::and(
                self.linktype(ethertype),
                by_dir(
                    q.dir,
                    Pred::masked(nl + src, 4, mask, addr),
                    Pred::masked(nl + dst, 4, mask, addr),
                ),
            )
        };
        match q.proto {
            Proto::Default => Ok(Pred::any([
                op(ETHERTYPE_IP, 12, 16),
                op(ETHERTYPE_ARP, 14, 24),
                op(ETHERTYPE_RARP, 14, 24),
            ])),
            Proto::Ip => Ok(op(ETHERTYPE_IP, 12, 16)),
            Proto::Arp => Ok(op(ETHERTYPE_ARP, 14, 24)),
            Proto::Rarp => Ok(op(ETHERTYPE_RARP, 14, 24)),
            Proto::Link => Err(Error(format!("link-layer modifier applied to {what}"))),
            Proto::Ip6 => Err(Error(format!("'ip6' modifier applied to ip {what}"))),
            p => Err(Error(format!("'{}' modifier applied to {what}", p.name()))),
        }
    }

    /// An IPv6 host or network (`gen_host6`).
    fn gen_host6(&self, addr: [u8; 16], mask: [u8; 16], q: Qual) -> Result<Pred, Error> {
        let what = if q.addr == Addr::Net { "net" } else { "host" };
        let nl = self.off_nl;
        let words = |off: u32| {
            Pred::all((0..4).filter_map(|i| {
                let w = |b: &[u8; 16]| {
                    u32::from_be_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
                };
                let m = w(&mask);
                // libpcap's optimizer drops the words a prefix does not cover.
                (m != 0).then(|| Pred::masked(off + 4 * i as u32, 4, m, w(&addr)))
            }))
        };
        match q.proto {
            Proto::Default | Proto::Ip6 => Ok(Pred::and(
                self.linktype(ETHERTYPE_IPV6),
                by_dir(q.dir, words(nl + 8), words(nl + 24)),
            )),
            Proto::Ip => Err(Error(format!("'ip' modifier applied to ip6 {what}"))),
            Proto::Link => Err(Error(format!("link-layer modifier applied to ip6 {what}"))),
            p => Err(Error(format!(
                "'{}' modifier applied to ip6 {what}",
                p.name()
            ))),
        }
    }

    /// `[tcp|udp|sctp] [src|dst] port|portrange` over IPv4 and IPv6.
    fn gen_portrange(&self, lo: u32, hi: u32, ipproto: Option<u32>, dir: Dir) -> Pred {
        let nl = self.off_nl;
        let check = |at: Expr| {
            let load = |a: Expr| Expr::Load {
                at: Box::new(a),
                size: 2,
            };
            if lo == hi {
                Pred::Cmp(Rel::Eq, load(at), Expr::Const(lo))
            } else {
                Pred::and(
                    Pred::Cmp(Rel::Ge, load(at.clone()), Expr::Const(lo)),
                    Pred::Cmp(Rel::Le, load(at), Expr::Const(hi)),
                )
            }
        };
        let protos = |off: u32| match ipproto {
            Some(p) => Pred::eq(off, 1, p),
            None => {
                Pred::any([IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP].map(|p| Pred::eq(off, 1, p)))
            }
        };
        let th4 = |off: u32| Expr::bin(BinOp::Add, Expr::IpHeaderLen { nl }, Expr::Const(nl + off));
        let v4 = Pred::all([
            self.linktype(ETHERTYPE_IP),
            protos(nl + 9),
            self.not_fragment(),
            by_dir(dir, check(th4(0)), check(th4(2))),
        ]);
        let v6 = Pred::all([
            self.linktype(ETHERTYPE_IPV6),
            protos(nl + 6),
            by_dir(
                dir,
                check(Expr::Const(nl + 40)),
                check(Expr::Const(nl + 42)),
            ),
        ]);
        Pred::or(v4, v6)
    }

    fn gen_broadcast(&self, p: Proto) -> R<Pred> {
        match p {
            Proto::Default | Proto::Link => match self.opts.linktype {
                LinkType::Ethernet => {
                    Ok(Pred::and(Pred::eq(2, 4, u32::MAX), Pred::eq(0, 2, 0xffff)))
                }
                _ => fatal("not a broadcast link"),
            },
            Proto::Ip => {
                let host = !self.opts.netmask;
                let dst = self.off_nl + 16;
                Ok(Pred::and(
                    self.linktype(ETHERTYPE_IP),
                    Pred::or(
                        Pred::masked(dst, 4, host, 0),
                        Pred::masked(dst, 4, host, host),
                    ),
                ))
            }
            _ => fatal("only link-layer/IP broadcast filters supported"),
        }
    }

    fn gen_multicast(&self, p: Proto) -> R<Pred> {
        let link_only = "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel";
        match p {
            Proto::Default | Proto::Link => match self.opts.linktype {
                LinkType::Ethernet => Ok(Pred::not(Pred::masked(0, 1, 1, 0))),
                _ => fatal(link_only),
            },
            Proto::Ip => Ok(Pred::and(
                self.linktype(ETHERTYPE_IP),
                Pred::Cmp(Rel::Ge, Expr::load(self.off_nl + 16, 1), Expr::Const(224)),
            )),
            Proto::Ip6 => Ok(Pred::and(
                self.linktype(ETHERTYPE_IPV6),
                Pred::eq(self.off_nl + 24, 1, 255),
            )),
            _ => fatal(link_only),
        }
    }

    fn gen_inbound(&self, inbound: bool) -> R<Pred> {
        const PACKET_OUTGOING: u32 = 4;
        let outgoing = match self.opts.linktype {
            LinkType::LinuxSll => Pred::eq(0, 2, PACKET_OUTGOING),
            LinkType::LinuxSll2 => Pred::eq(10, 1, PACKET_OUTGOING),
            LinkType::Ethernet | LinkType::Raw if self.opts.offline => {
                let name = if self.opts.linktype == LinkType::Ethernet {
                    "Ethernet"
                } else {
                    "Raw IP"
                };
                return fatal(format!(
                    "inbound/outbound not supported on {name} when reading savefiles"
                ));
            }
            LinkType::Ethernet | LinkType::Raw => {
                Pred::Cmp(Rel::Eq, Expr::PktType, Expr::Const(PACKET_OUTGOING))
            }
        };
        Ok(if inbound {
            Pred::not(outgoing)
        } else {
            outgoing
        })
    }

    /// `vlan [id]`: an 802.1Q (or 802.1ad) tag, after which every offset moves by 4.
    fn gen_vlan(&mut self, id: Option<u32>) -> R<Pred> {
        if self.opts.linktype != LinkType::Ethernet {
            let name = match self.opts.linktype {
                LinkType::LinuxSll => "Linux cooked v1",
                LinkType::LinuxSll2 => "Linux cooked v2",
                _ => "Raw IP",
            };
            return fatal(format!("no VLAN support for {name}"));
        }
        if let Some(v) = id {
            if v > 4095 {
                return fatal(format!("VLAN tag {v} greater than maximum 4095"));
            }
        }
        let olt = self.off_linktype;
        let tagged = Pred::any([0x8100, 0x88a8, 0x9100].map(|t| Pred::eq(olt, 2, t)));
        let p = match id {
            Some(v) => Pred::and(tagged, Pred::masked(olt + 2, 2, 0xfff, v)),
            None => tagged,
        };
        self.off_linktype += 4;
        self.off_nl += 4;
        Ok(p)
    }
}

/// A fatal code-generation error stays one; a syntax error from a helper cannot happen.
fn unfatal(e: PErr) -> Error {
    match e {
        PErr::Fatal(e) => e,
        PErr::Syntax => Error("can't parse filter expression: syntax error".into()),
    }
}

/// The IP protocol number of a transport qualifier.
fn transport_number(p: Proto) -> u32 {
    match p {
        Proto::Tcp => IPPROTO_TCP,
        Proto::Udp => IPPROTO_UDP,
        Proto::Sctp => IPPROTO_SCTP,
        Proto::Icmp => 1,
        Proto::Igmp => 2,
        Proto::Igrp => 9,
        Proto::Pim => 103,
        Proto::Vrrp | Proto::Carp => 112,
        Proto::Ah => 51,
        Proto::Esp => 50,
        Proto::Icmp6 => 58,
        _ => 0,
    }
}

/// The protocol a `port` qualifier allows: tcp, udp, sctp or any of them.
fn port_proto(q: Qual) -> Result<Option<u32>, Error> {
    match q.proto {
        Proto::Default => Ok(None),
        Proto::Tcp | Proto::Udp | Proto::Sctp => Ok(Some(transport_number(q.proto))),
        _ => Err(Error(
            if q.addr == Addr::PortRange {
                "illegal qualifier of 'portrange'"
            } else {
                "illegal qualifier of 'port'"
            }
            .into(),
        )),
    }
}

/// Combines a source and a destination test as the direction qualifier says.
fn by_dir(dir: Dir, src: Pred, dst: Pred) -> Pred {
    match dir {
        Dir::Src => src,
        Dir::Dst => dst,
        Dir::And => Pred::and(src, dst),
        Dir::Default | Dir::Or => Pred::or(src, dst),
    }
}

/// `gen_arth`: a binary operation, folded when both sides are constants, with libpcap's
/// checks on constant divisors and shifts.
fn gen_arth(op: BinOp, a: Expr, b: Expr) -> R<Expr> {
    if let Some(k) = b.constant() {
        match op {
            BinOp::Div if k == 0 => return fatal("division by zero"),
            BinOp::Mod if k == 0 => return fatal("modulus by zero"),
            BinOp::Shl | BinOp::Shr if k > 31 => return fatal("shift by more than 31 bits"),
            _ => {}
        }
    }
    if let Some(v) = a
        .constant()
        .zip(b.constant())
        .and_then(|(x, y)| op.apply(x, y))
    {
        return Ok(Expr::Const(v));
    }
    Ok(Expr::bin(op, a, b))
}

/// `__pcap_atoin`: a dotted address or prefix of one, and its length in bits.
fn atoin(s: &str) -> Result<(u32, u32), Error> {
    let bad = || Error(format!("invalid IPv4 address '{s}'"));
    let mut v = 0u32;
    let mut len = 0;
    for part in s.split('.') {
        let n = number(part).map_err(|_| bad())?;
        if n > 255 {
            return Err(bad());
        }
        v = (v << 8) | n;
        len += 8;
    }
    Ok((v, len))
}

/// A MAC address in any of the forms the scanner accepts.
fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let parts: Vec<&str> = s.split([':', '-', '.']).collect();
    match parts.len() {
        6 => {
            for (o, p) in out.iter_mut().zip(&parts) {
                *o = u8::from_str_radix(p, 16).ok()?;
            }
        }
        1 if s.len() == 12 => {
            for (i, o) in out.iter_mut().enumerate() {
                *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
            }
        }
        3 => {
            for (i, p) in parts.iter().enumerate() {
                let w = u16::from_str_radix(p, 16).ok()?;
                out[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
            }
        }
        _ => return None,
    }
    Some(out)
}

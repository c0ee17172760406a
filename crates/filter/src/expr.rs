//! What an expression compiles to: a tree of comparisons between loads from the frame, the
//! same loads and comparisons libpcap's code generator emits as BPF.

use crate::Frame;

/// Which way a frame went through the capturing host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

/// A comparison of `relop`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rel {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl BinOp {
    /// `a OP b` on BPF's 32-bit accumulator; `None` for a division by zero.
    pub fn apply(self, a: u32, b: u32) -> Option<u32> {
        Some(match self {
            BinOp::Add => a.wrapping_add(b),
            BinOp::Sub => a.wrapping_sub(b),
            BinOp::Mul => a.wrapping_mul(b),
            BinOp::Div => a.checked_div(b)?,
            BinOp::Mod => a.checked_rem(b)?,
            BinOp::And => a & b,
            BinOp::Or => a | b,
            BinOp::Xor => a ^ b,
            // The kernel's BPF interpreter shifts a 32-bit register; a count of 32 or more
            // leaves nothing.
            BinOp::Shl => a.checked_shl(b).unwrap_or(0),
            BinOp::Shr => a.checked_shr(b).unwrap_or(0),
        })
    }
}

impl Rel {
    /// `a REL b`, unsigned as BPF compares.
    pub fn holds(self, a: u32, b: u32) -> bool {
        match self {
            Rel::Eq => a == b,
            Rel::Ne => a != b,
            Rel::Gt => a > b,
            Rel::Ge => a >= b,
            Rel::Lt => a < b,
            Rel::Le => a <= b,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
    Xor,
    Shl,
    Shr,
}

/// A 32-bit value, as BPF's accumulator holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Const(u32),
    /// The frame's length on the wire (`len`).
    Len,
    /// `size` bytes (1, 2 or 4), big-endian, at `at` bytes from the start of the frame.
    Load {
        at: Box<Expr>,
        size: u8,
    },
    /// The IPv4 header length in bytes of the header at `nl` (`4*([nl]&0xf)`, BPF's `ldxb`).
    IpHeaderLen {
        nl: u32,
    },
    /// The frame's direction: 4 (`PACKET_OUTGOING`) when sent, 0 when received.
    PktType,
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
}

/// The frame is rejected outright: a load past the captured bytes, a division by zero, or
/// a direction nobody knows.
#[derive(Debug)]
pub struct Reject;

impl Expr {
    pub fn load(at: u32, size: u8) -> Expr {
        Expr::Load {
            at: Box::new(Expr::Const(at)),
            size,
        }
    }

    pub fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
        Expr::Bin(op, Box::new(a), Box::new(b))
    }

    /// The value when it does not depend on the frame.
    pub fn constant(&self) -> Option<u32> {
        match self {
            Expr::Const(v) => Some(*v),
            _ => None,
        }
    }

    pub fn eval(&self, f: &Frame<'_>) -> Result<u32, Reject> {
        Ok(match self {
            Expr::Const(v) => *v,
            Expr::Len => f.wire_len,
            Expr::Load { at, size } => {
                let at = at.eval(f)? as usize;
                let end = at.checked_add(usize::from(*size)).ok_or(Reject)?;
                let b = f.data.get(at..end).ok_or(Reject)?;
                b.iter().fold(0u32, |v, &x| (v << 8) | u32::from(x))
            }
            Expr::IpHeaderLen { nl } => {
                let b = *f.data.get(*nl as usize).ok_or(Reject)?;
                u32::from(b & 0xf) * 4
            }
            Expr::PktType => match f.direction.ok_or(Reject)? {
                Direction::Out => 4,
                Direction::In => 0,
            },
            Expr::Neg(a) => a.eval(f)?.wrapping_neg(),
            Expr::Bin(op, a, b) => op.apply(a.eval(f)?, b.eval(f)?).ok_or(Reject)?,
        })
    }
}

/// A boolean expression over the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pred {
    True,
    False,
    Not(Box<Pred>),
    And(Box<Pred>, Box<Pred>),
    Or(Box<Pred>, Box<Pred>),
    Cmp(Rel, Expr, Expr),
}

impl Pred {
    pub fn and(a: Pred, b: Pred) -> Pred {
        Pred::And(Box::new(a), Box::new(b))
    }

    pub fn or(a: Pred, b: Pred) -> Pred {
        Pred::Or(Box::new(a), Box::new(b))
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(a: Pred) -> Pred {
        Pred::Not(Box::new(a))
    }

    /// `[at:size] == v`.
    pub fn eq(at: u32, size: u8, v: u32) -> Pred {
        Pred::Cmp(Rel::Eq, Expr::load(at, size), Expr::Const(v))
    }

    /// `[at:size] & mask == v`.
    pub fn masked(at: u32, size: u8, mask: u32, v: u32) -> Pred {
        if mask == u32::MAX >> (32 - 8 * u32::from(size)) {
            return Pred::eq(at, size, v);
        }
        Pred::Cmp(
            Rel::Eq,
            Expr::bin(BinOp::And, Expr::load(at, size), Expr::Const(mask)),
            Expr::Const(v),
        )
    }

    /// Folds with `or`, left to right; `False` for none.
    pub fn any(v: impl IntoIterator<Item = Pred>) -> Pred {
        v.into_iter().reduce(Pred::or).unwrap_or(Pred::False)
    }

    /// Folds with `and`, left to right; `True` for none.
    pub fn all(v: impl IntoIterator<Item = Pred>) -> Pred {
        v.into_iter().reduce(Pred::and).unwrap_or(Pred::True)
    }
}

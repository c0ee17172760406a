//! A compiled filter as libpcap's BPF leaves it: a graph of comparisons, each jumping to
//! another comparison, to "accept" or to "reject".
//!
//! Two effects of libpcap's optimizer show in what a filter accepts, and this module keeps
//! both. It knows on each path what earlier comparisons found (a type field equal to 0x0800
//! is not 0x86dd), so a filter that can never accept, such as `ip and arp`, is refused
//! with "expression rejects all packets". And it deletes a comparison whose two branches
//! end up in the same place, so that comparison's load never runs: in `tcp[100] = 0 or ip`
//! a short TCP frame is accepted by `ip` rather than rejected by the load past its end.
//! Loads that do run past the captured bytes reject the frame, as in BPF.

use crate::expr::{Expr, Pred, Reject, Rel};
use crate::Frame;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Accept,
    Reject,
    Node(usize),
}

#[derive(Clone, Debug)]
struct Node {
    rel: Rel,
    lhs: Expr,
    rhs: Expr,
    jt: Target,
    jf: Target,
}

/// The longest path remembered for the optimizer's reasoning; beyond it a load past the
/// end simply rejects.
const MAX_PATH: usize = 64;

/// Bounds the search for an accepting path when checking a filter.
const SEARCH_BUDGET: usize = 100_000;

#[derive(Clone, Debug)]
pub struct Program {
    nodes: Vec<Node>,
    root: Target,
}

impl Program {
    /// Lays `p` out as libpcap's code generator does: `a and b` jumps from `a`'s true
    /// branch into `b`, `a or b` from `a`'s false branch, `not` swaps the branches.
    pub fn new(p: &Pred) -> Program {
        let mut prog = Program {
            nodes: Vec::new(),
            root: Target::Reject,
        };
        prog.root = prog.lay(p, Target::Accept, Target::Reject);
        prog
    }

    fn lay(&mut self, p: &Pred, t: Target, f: Target) -> Target {
        match p {
            Pred::True => t,
            Pred::False => f,
            Pred::Not(a) => self.lay(a, f, t),
            Pred::And(a, b) => {
                let b = self.lay(b, t, f);
                self.lay(a, b, f)
            }
            Pred::Or(a, b) => {
                let b = self.lay(b, t, f);
                self.lay(a, t, b)
            }
            Pred::Cmp(rel, lhs, rhs) => {
                self.nodes.push(Node {
                    rel: *rel,
                    lhs: lhs.clone(),
                    rhs: rhs.clone(),
                    jt: t,
                    jf: f,
                });
                Target::Node(self.nodes.len() - 1)
            }
        }
    }

    /// What the comparison at `n` must give, knowing the outcomes on the path so far.
    fn known(&self, n: usize, path: &[(usize, bool)]) -> Option<bool> {
        let a = &self.nodes[n];
        for &(m, outcome) in path {
            let b = &self.nodes[m];
            if b.lhs != a.lhs {
                continue;
            }
            if b.rel == a.rel && b.rhs == a.rhs {
                return Some(outcome);
            }
            // Value knowledge: after `x == c` held, x is c.
            if let (Rel::Eq, Some(c), Some(k)) = (b.rel, b.rhs.constant(), a.rhs.constant()) {
                if outcome {
                    return Some(a.rel.holds(c, k));
                }
                if a.rel == Rel::Eq && c == k {
                    return Some(false);
                }
            }
        }
        None
    }

    /// Where `t` leads once comparisons known on `path`, and comparisons whose branches
    /// meet again, are taken out (`depth` bounds the work).
    fn settle(&self, mut t: Target, path: &mut Vec<(usize, bool)>, depth: u32) -> Target {
        while let Target::Node(n) = t {
            if let Some(b) = self.known(n, path) {
                t = if b {
                    self.nodes[n].jt
                } else {
                    self.nodes[n].jf
                };
                continue;
            }
            if depth == 0 || path.len() >= MAX_PATH {
                return t;
            }
            path.push((n, true));
            let yes = self.settle(self.nodes[n].jt, path, depth - 1);
            path.pop();
            path.push((n, false));
            let no = self.settle(self.nodes[n].jf, path, depth - 1);
            path.pop();
            if yes == no {
                t = yes;
                continue;
            }
            return t;
        }
        t
    }

    /// True if some frame could be accepted (libpcap refuses filters that cannot).
    pub fn can_accept(&self) -> bool {
        let mut budget = SEARCH_BUDGET;
        let mut path = Vec::new();
        self.search(self.root, &mut path, &mut budget)
    }

    fn search(&self, t: Target, path: &mut Vec<(usize, bool)>, budget: &mut usize) -> bool {
        match t {
            Target::Accept => true,
            Target::Reject => false,
            Target::Node(n) => {
                if *budget == 0 || path.len() >= MAX_PATH {
                    return true;
                }
                *budget -= 1;
                if let Some(b) = self.known(n, path) {
                    let next = if b {
                        self.nodes[n].jt
                    } else {
                        self.nodes[n].jf
                    };
                    return self.search(next, path, budget);
                }
                for b in [true, false] {
                    path.push((n, b));
                    let next = if b {
                        self.nodes[n].jt
                    } else {
                        self.nodes[n].jf
                    };
                    let ok = self.search(next, path, budget);
                    path.pop();
                    if ok {
                        return true;
                    }
                }
                false
            }
        }
    }

    pub fn matches(&self, f: &Frame<'_>) -> bool {
        let mut t = self.root;
        let mut path = [(0usize, false); MAX_PATH];
        let mut len = 0;
        loop {
            let n = match t {
                Target::Accept => return true,
                Target::Reject => return false,
                Target::Node(n) => n,
            };
            let node = &self.nodes[n];
            let outcome = match compare(node, f) {
                Ok(b) => b,
                Err(Reject) => {
                    // The load runs past the frame: harmless only if the optimizer would
                    // have deleted this comparison.
                    if len >= MAX_PATH {
                        return false;
                    }
                    let mut known = path[..len].to_vec();
                    known.push((n, true));
                    let yes = self.settle(node.jt, &mut known, 8);
                    known.pop();
                    known.push((n, false));
                    let no = self.settle(node.jf, &mut known, 8);
                    if yes != no {
                        return false;
                    }
                    t = yes;
                    continue;
                }
            };
            if len < MAX_PATH {
                path[len] = (n, outcome);
                len += 1;
            }
            t = if outcome { node.jt } else { node.jf };
        }
    }
}

fn compare(n: &Node, f: &Frame<'_>) -> Result<bool, Reject> {
    Ok(n.rel.holds(n.lhs.eval(f)?, n.rhs.eval(f)?))
}

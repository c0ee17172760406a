//! Output helpers shared by the `ip` objects: a text buffer that knows iproute2's one-line mode
//! (`-o` turns line breaks inside a record into `\`) and its colours (`-c`, lib/color.c), plus
//! the name lookups every printer needs (`ll_index_to_name`, the `if%d` fallback, the names of
//! namespaces behind a peer's `nsid`).
//!
//! What it does not own: the record formats themselves, which live with their objects
//! (`link::print_link`, `addr::print_addr`, `route::print_route`, `neigh::print_neigh`).

use std::collections::BTreeMap;

use tsunagi_kernel::rtnl::LinkMsg;

/// iproute2's colour attributes (`enum color_attr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Ifname,
    Mac,
    Inet,
    Inet6,
    OperUp,
    OperDown,
    None,
}

/// The escape sequence for `attr` on a light (default) or dark background.
fn color_code(attr: Color, dark: bool) -> &'static str {
    match (attr, dark) {
        (Color::Ifname, false) => "\x1b[36m",
        (Color::Mac, false) => "\x1b[33m",
        (Color::Inet, false) => "\x1b[35m",
        (Color::Inet6, false) => "\x1b[34m",
        (Color::OperUp, false) => "\x1b[32m",
        (Color::OperDown, false) => "\x1b[31m",
        (Color::Ifname, true) => "\x1b[1;36m",
        (Color::Mac, true) => "\x1b[1;33m",
        (Color::Inet, true) => "\x1b[1;35m",
        (Color::Inet6, true) => "\x1b[1;34m",
        (Color::OperUp, true) => "\x1b[1;32m",
        (Color::OperDown, true) => "\x1b[1;31m",
        (Color::None, _) => "\x1b[0m",
    }
}

/// `--color` as given on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorOpt {
    #[default]
    Never,
    Auto,
    Always,
}

/// A standard-output buffer with iproute2's line separator and colours.
#[derive(Clone, Debug, Default)]
pub struct Out {
    pub buf: String,
    /// Colours on (after `check_enable_color`).
    pub color: bool,
    /// `COLORFGBG` says the background is dark.
    pub dark: bool,
    /// `-oneline`: `_SL_` is a backslash.
    pub oneline: bool,
}

impl Out {
    pub fn new(oneline: bool) -> Out {
        Out {
            oneline,
            ..Out::default()
        }
    }

    /// Appends plain text.
    pub fn s(&mut self, t: &str) {
        self.buf.push_str(t);
    }

    /// Appends text in a colour (`color_fprintf`): the whole formatted piece is painted.
    pub fn c(&mut self, attr: Color, t: &str) {
        if !self.color || attr == Color::None {
            self.buf.push_str(t);
            return;
        }
        self.buf.push_str(color_code(attr, self.dark));
        self.buf.push_str(t);
        self.buf.push_str(color_code(Color::None, self.dark));
    }

    /// `print_nl()`: a line break inside a record (`\` in one-line mode).
    pub fn nl(&mut self) {
        self.buf.push_str(self.sl());
    }

    /// `_SL_`.
    pub fn sl(&self) -> &'static str {
        if self.oneline {
            "\\"
        } else {
            "\n"
        }
    }

    /// Takes what has been written so far.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.buf)
    }
}

/// The colour of an address family (`ifa_family_color`).
pub fn family_color(v6: bool) -> Color {
    if v6 {
        Color::Inet6
    } else {
        Color::Inet
    }
}

/// What printers need to know about the namespace they print: its links (for
/// `ll_index_to_name` and the peer flags behind `M-DOWN`) and the names of the namespaces that
/// peers' `link-netnsid`s point to (`get_name_from_nsid`).
#[derive(Clone, Debug, Default)]
pub struct View {
    pub links: Vec<LinkMsg>,
    pub nsid_names: BTreeMap<i32, String>,
}

impl View {
    /// `ll_index_to_name()`: the name, `*` for 0, `if%u` for an unknown index.
    pub fn ifname(&self, idx: u32) -> String {
        if idx == 0 {
            return "*".to_string();
        }
        match self.links.iter().find(|l| l.ifindex == idx) {
            Some(l) => l.name.clone(),
            None => format!("if{idx}"),
        }
    }

    /// `ll_name_to_index()`: the index of a name (or of `ifN`), 0 if none.
    pub fn ifindex(&self, name: &str) -> u32 {
        if let Some(l) = self.links.iter().find(|l| l.name == name) {
            return l.ifindex;
        }
        super::utils::ll_idx_a2n(name)
    }

    /// The link of index `idx`.
    pub fn link(&self, idx: u32) -> Option<&LinkMsg> {
        self.links.iter().find(|l| l.ifindex == idx)
    }

    /// `ll_index_to_flags()`: the flags of link `idx`, or all bits set (its `-1`) when no
    /// link of this namespace has that index, so an unknown peer never reads as down.
    pub fn ifflags(&self, idx: u32) -> u32 {
        self.link(idx).map_or(u32::MAX, |l| l.flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oneline_and_colours() {
        let mut o = Out::new(true);
        o.s("a");
        o.nl();
        o.c(Color::Ifname, "lo: ");
        assert_eq!(o.take(), "a\\lo: ");
        let mut o = Out::new(false);
        o.color = true;
        o.c(Color::Ifname, "lo: ");
        o.c(Color::None, "x");
        assert_eq!(o.take(), "\x1b[36mlo: \x1b[0mx");
    }
}

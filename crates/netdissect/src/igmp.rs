//! IGMP v1, v2 and v3 (print-igmp.c): `igmp v2 report 224.0.0.251`, `igmp query v3`,
//! `igmp v3 report, 1 group record(s)` and with `-v` the group records.

use crate::nd::{in_cksum, Nd, R};

const REPORT_TYPES: [&str; 6] = ["is_in", "is_ex", "to_in", "to_ex", "allow", "block"];

/// Seconds as `1m40s` (`unsigned_relts_print`).
fn relts(mut secs: u32) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let mut s = String::new();
    for (unit, name) in [
        (31_536_000, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3600, "h"),
        (60, "m"),
        (1, "s"),
    ] {
        if secs >= unit {
            s.push_str(&format!("{}{name}", secs / unit));
            secs -= (secs / unit) * unit;
        }
    }
    s
}

pub(crate) fn igmp_print(nd: &mut Nd, bp: usize, len: usize) -> R {
    nd.protocol = "igmp";
    if nd.o.quiet {
        nd.p("igmp");
        return Ok(());
    }
    match nd.u8(bp)? {
        0x11 => {
            nd.p("igmp query");
            if len >= 12 {
                v3_query(nd, bp, len)?;
            } else {
                let mrt = nd.u8(bp + 1)?;
                if mrt != 0 {
                    nd.p(" v2");
                    if mrt != 100 {
                        nd.pf(format_args!(" [max resp time {mrt}]"));
                    }
                } else {
                    nd.p(" v1");
                }
                if nd.be32(bp + 4)? != 0 {
                    let g = nd.ipaddr(bp + 4)?;
                    nd.pf(format_args!(" [gaddr {g}]"));
                }
                if len != 8 {
                    nd.pf(format_args!(" [len {len}]"));
                }
            }
        }
        0x12 => {
            let g = nd.ipaddr(bp + 4)?;
            nd.pf(format_args!("igmp v1 report {g}"));
            if len != 8 {
                nd.pf(format_args!(" [len {len}]"));
            }
        }
        0x16 => {
            let g = nd.ipaddr(bp + 4)?;
            nd.pf(format_args!("igmp v2 report {g}"));
        }
        0x22 => {
            nd.p("igmp v3 report");
            v3_report(nd, bp, len)?;
        }
        0x17 => {
            let g = nd.ipaddr(bp + 4)?;
            nd.pf(format_args!("igmp leave {g}"));
        }
        // DVMRP, PIMv1 and mtrace bodies are not decoded here.
        0x13 => {
            nd.p("igmp dvmrp");
            if len < 8 {
                nd.pf(format_args!(" [len {len}]"));
            }
        }
        0x14 => nd.p("igmp pimv1"),
        t => nd.pf(format_args!("igmp-{t}")),
    }
    if nd.o.verbose > 0 && len >= 4 && nd.ttest(bp, len) && in_cksum(nd.bytes(bp, len)?, 0) != 0 {
        let ck = nd.be16(bp + 2)?;
        nd.pf(format_args!(" bad igmp cksum {ck:x}!"));
    }
    Ok(())
}

fn v3_report(nd: &mut Nd, bp: usize, len: usize) -> R {
    if len < 16 || len & 3 != 0 {
        nd.pf(format_args!(" [invalid len {len}]"));
        return Ok(());
    }
    let ngroups = usize::from(nd.be16(bp + 6)?);
    nd.pf(format_args!(", {ngroups} group record(s)"));
    if nd.o.verbose > 0 {
        let mut group = 8;
        for _ in 0..ngroups {
            if len < group + 8 {
                nd.p(" [invalid number of groups]");
                return Ok(());
            }
            let g = nd.ipaddr(bp + group + 4)?;
            nd.pf(format_args!(" [gaddr {g}"));
            let t = nd.u8(bp + group)?;
            match t {
                1..=6 => nd.pf(format_args!(" {}", REPORT_TYPES[usize::from(t - 1)])),
                _ => nd.pf(format_args!("  [v3-report-#{t}]")),
            }
            let nsrcs = usize::from(nd.be16(bp + group + 2)?);
            if len < group + 8 + (nsrcs << 2) {
                nd.pf(format_args!(" [invalid number of sources {nsrcs}]"));
                return Ok(());
            }
            if nd.o.verbose == 1 {
                nd.pf(format_args!(", {nsrcs} source(s)"));
            } else {
                nd.p(" {");
                for j in 0..nsrcs {
                    let s = nd.ipaddr(bp + group + 8 + (j << 2))?;
                    nd.pf(format_args!(" {s}"));
                }
                nd.p(" }");
            }
            group += 8 + (nsrcs << 2);
            nd.p("]");
        }
    }
    Ok(())
}

fn v3_query(nd: &mut Nd, bp: usize, len: usize) -> R {
    nd.p(" v3");
    if len < 12 || len & 3 != 0 {
        nd.pf(format_args!(" [invalid len {len}]"));
        return Ok(());
    }
    let mrc = u32::from(nd.u8(bp + 1)?);
    let mrt = if mrc < 128 {
        mrc
    } else {
        ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
    };
    if mrc != 100 {
        nd.p(" [max resp time ");
        if mrt < 600 {
            nd.pf(format_args!("{:.1}s", f64::from(mrt) * 0.1));
        } else {
            nd.p(&relts(mrt / 10));
        }
        nd.p("]");
    }
    if nd.be32(bp + 4)? == 0 {
        return Ok(());
    }
    let g = nd.ipaddr(bp + 4)?;
    nd.pf(format_args!(" [gaddr {g}"));
    let nsrcs = usize::from(nd.be16(bp + 10)?);
    if nsrcs > 0 {
        if len < 12 + (nsrcs << 2) {
            nd.p(" [invalid number of sources]");
        } else if nd.o.verbose > 1 {
            nd.p(" {");
            for i in 0..nsrcs {
                let s = nd.ipaddr(bp + 12 + (i << 2))?;
                nd.pf(format_args!(" {s}"));
            }
            nd.p(" }");
        } else {
            nd.pf(format_args!(", {nsrcs} source(s)"));
        }
    }
    nd.p("]");
    Ok(())
}

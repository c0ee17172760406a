//! The time stamp in front of each packet (`ts_print` in tcpdump's util-print.c).

use std::fmt::Write as _;

use crate::{Options, State, TsFormat};

pub(crate) fn ts_print(o: &Options, state: &mut State, sec: i64, nsec: u32, out: &mut String) {
    // tcpdump reads the capture at the precision it asked for: microseconds unless --nano.
    let frac = if o.nano { nsec } else { nsec / 1000 };
    match o.ts {
        TsFormat::Default => {
            hms_frac(o, sec, frac, false, true, out);
            out.push(' ');
        }
        TsFormat::None => {}
        TsFormat::Epoch => {
            if (sec as u32) & 0x8000_0000 != 0 {
                out.push_str("[Error converting time]");
            } else {
                let _ = write!(out, "{}", sec as u32);
                frac_print(o, frac, out);
            }
            out.push(' ');
        }
        TsFormat::Delta | TsFormat::SinceFirst => {
            // The reference is the first packet (and, for -ttt, then the previous one); an
            // all-zero reference counts as unset, as in tcpdump.
            if state.ts_ref == (0, 0) {
                state.ts_ref = (sec, frac);
            }
            let unit: i64 = if o.nano { 1_000_000_000 } else { 1_000_000 };
            let now = (sec, i64::from(frac));
            let reference = (state.ts_ref.0, i64::from(state.ts_ref.1));
            let negative = now < reference;
            let (a, b) = if negative {
                (reference, now)
            } else {
                (now, reference)
            };
            let (mut dsec, mut dfrac) = (a.0.wrapping_sub(b.0), a.1 - b.1);
            if dfrac < 0 {
                dsec -= 1;
                dfrac += unit;
            }
            out.push(if negative { '-' } else { ' ' });
            hms_frac(o, dsec, dfrac as u32, false, false, out);
            out.push(' ');
            if o.ts == TsFormat::Delta {
                state.ts_ref = (sec, frac);
            }
        }
        TsFormat::Date => {
            hms_frac(o, sec, frac, true, true, out);
            out.push(' ');
        }
    }
}

fn frac_print(o: &Options, frac: u32, out: &mut String) {
    if o.nano {
        let _ = write!(out, ".{frac:09}");
    } else {
        let _ = write!(out, ".{frac:06}");
    }
}

/// `[YYYY-MM-DD ]HH:MM:SS.frac`, in local time (the lab's offset) or UTC.
fn hms_frac(o: &Options, sec: i64, frac: u32, date: bool, local: bool, out: &mut String) {
    if (sec as u32) & 0x8000_0000 != 0 {
        out.push_str("[Error converting time]");
        return;
    }
    let t = if local {
        sec.wrapping_add(o.utc_offset_secs)
    } else {
        sec
    };
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    if date {
        let (y, m, d) = civil_from_days(days);
        let _ = write!(out, "{y:04}-{m:02}-{d:02} ");
    }
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    frac_print(o, frac, out);
}

/// The proleptic Gregorian date of a day number counted from 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_675), (2023, 11, 14));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}

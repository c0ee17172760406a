//! IGMP (print-igmp.c).
use crate::nd::{Nd, R};
pub(crate) fn igmp_print(nd: &mut Nd, _bp: usize, length: usize) -> R {
    nd.pf(format_args!(" igmp {length}"));
    Ok(())
}

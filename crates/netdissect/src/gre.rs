//! GRE and VXLAN (print-gre.c, print-vxlan.c).
use crate::nd::{Nd, R};
pub(crate) fn gre_print(nd: &mut Nd, _bp: usize, length: usize) -> R {
    nd.pf(format_args!(" gre {length}"));
    Ok(())
}
pub(crate) fn vxlan_print(nd: &mut Nd, _bp: usize, length: usize) -> R {
    nd.pf(format_args!("UDP, length {length}"));
    Ok(())
}

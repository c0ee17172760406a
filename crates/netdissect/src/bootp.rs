//! BOOTP/DHCP (print-bootp.c).
use crate::nd::{Nd, R};
pub(crate) fn bootp_print(nd: &mut Nd, _bp: usize, length: usize) -> R {
    nd.pf(format_args!("UDP, length {length}"));
    Ok(())
}

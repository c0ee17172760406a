//! IPsec headers as tcpdump prints them without keys (print-esp.c, print-ah.c, and the
//! RFC 3948 UDP encapsulation of print-isakmp.c): `ESP(spi=0x00001000,seq=0x1), length 116`.

use crate::nd::{Nd, R};

/// An ESP packet: its SPI and sequence number; the rest is ciphertext.
pub(crate) fn esp_print(nd: &mut Nd, bp: usize, length: usize) -> R {
    nd.protocol = "esp";
    if bp + 8 >= nd.snapend {
        nd.print_trunc();
        return Ok(());
    }
    let spi = nd.be32(bp)?;
    nd.pf(format_args!("ESP(spi=0x{spi:08x}"));
    let seq = nd.be32(bp + 4)?;
    nd.pf(format_args!(",seq=0x{seq:x}), length {length}"));
    Ok(())
}

/// An AH header (`AH(spi=...,seq=...,icv=...): `); the header length, to skip to the
/// protected payload.
pub(crate) fn ah_print(nd: &mut Nd, bp: usize) -> R<usize> {
    nd.protocol = "ah";
    nd.print_protocol_caps();
    let ah_len = nd.u8(bp + 1)?;
    let hdr_len = (usize::from(ah_len) + 2) * 4;
    nd.p("(");
    if nd.o.verbose > 0 {
        nd.pf(format_args!("length={ah_len}({hdr_len}-bytes),"));
    }
    let reserved = nd.be16(bp + 2)?;
    if reserved != 0 {
        nd.pf(format_args!("reserved=0x{reserved:x}[MustBeZero],"));
    }
    let spi = nd.be32(bp + 4)?;
    nd.pf(format_args!("spi=0x{spi:08x},"));
    let seq = nd.be32(bp + 8)?;
    nd.pf(format_args!("seq=0x{seq:x},"));
    nd.p("icv=0x");
    let mut icv = String::new();
    for p in bp + 12..bp + hdr_len {
        match nd.u8(p) {
            Ok(b) => icv.push_str(&format!("{b:02x}")),
            Err(e) => {
                nd.p(&icv);
                return Err(e);
            }
        }
    }
    nd.p(&icv);
    nd.p("): ");
    Ok(hdr_len)
}

/// UDP port 4500 (RFC 3948): NAT keepalives, IKE behind a non-ESP marker (not decoded), or
/// ESP.
pub(crate) fn rfc3948_print(nd: &mut Nd, bp: usize, length: usize) -> R {
    nd.protocol = "isakmp_rfc3948";
    if length == 1 && nd.u8(bp)? == 0xff {
        nd.p("isakmp-nat-keep-alive");
        return Ok(());
    }
    if length < 4 {
        nd.print_trunc();
        return Ok(());
    }
    if nd.be32(bp)? == 0 {
        nd.p("NONESP-encap: ");
        return Ok(());
    }
    nd.p("UDP-encap: ");
    esp_print(nd, bp, length)
}

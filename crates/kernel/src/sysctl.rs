//! The sysctls a namespace models (`/proc/sys/net/...`), with the kernel's defaults and
//! checks. See Documentation/networking/ip-sysctl.rst.

use tsunagi_engine::{Duration, Rng};

use crate::Errno;

/// Per-namespace settings.
#[derive(Clone, Debug)]
pub(crate) struct Sysctl {
    pub ip_forward: i64,
    pub ip_default_ttl: i64,
    pub icmp_echo_ignore_all: i64,
    pub icmp_echo_ignore_broadcasts: i64,
    pub icmp_ratelimit: i64,
    pub icmp_ratemask: i64,
    pub ip_local_port_range: (i64, i64),
    /// `neigh.default.base_reachable_time_ms` and the randomised value derived from it.
    pub base_reachable_ms: i64,
    pub reachable_time: Duration,
    pub delay_first_probe_ms: i64,
    pub retrans_ms: i64,
    pub mcast_solicit: i64,
    pub ucast_solicit: i64,
    pub gc_stale_ms: i64,
}

/// Every key, sorted as `sysctl -a` lists them.
const KEYS: &[&str] = &[
    "net.ipv4.conf.all.forwarding",
    "net.ipv4.conf.default.forwarding",
    "net.ipv4.icmp_echo_ignore_all",
    "net.ipv4.icmp_echo_ignore_broadcasts",
    "net.ipv4.icmp_ratelimit",
    "net.ipv4.icmp_ratemask",
    "net.ipv4.ip_default_ttl",
    "net.ipv4.ip_forward",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.neigh.default.base_reachable_time_ms",
    "net.ipv4.neigh.default.delay_first_probe_time",
    "net.ipv4.neigh.default.gc_stale_time",
    "net.ipv4.neigh.default.mcast_solicit",
    "net.ipv4.neigh.default.retrans_time_ms",
    "net.ipv4.neigh.default.ucast_solicit",
];

impl Sysctl {
    pub fn new(reachable_time: Duration) -> Self {
        Sysctl {
            ip_forward: 0,
            ip_default_ttl: 64,
            icmp_echo_ignore_all: 0,
            icmp_echo_ignore_broadcasts: 1,
            icmp_ratelimit: 1000,
            icmp_ratemask: 6168,
            ip_local_port_range: (32768, 60999),
            base_reachable_ms: 30_000,
            reachable_time,
            delay_first_probe_ms: 5_000,
            retrans_ms: 1_000,
            mcast_solicit: 3,
            ucast_solicit: 3,
            gc_stale_ms: 60_000,
        }
    }

    /// `neigh_rand_reach_time`: uniform in [base/2, 3*base/2).
    pub fn random_reachable_time(rng: &mut Rng) -> Duration {
        let base = 30_000_000_000u64;
        Duration(rng.range(base / 2, base * 3 / 2))
    }

    pub fn keys() -> Vec<String> {
        KEYS.iter().map(|k| k.to_string()).collect()
    }

    pub fn get(&self, key: &str) -> Result<String, Errno> {
        let v = match key {
            "net.ipv4.ip_forward"
            | "net.ipv4.conf.all.forwarding"
            | "net.ipv4.conf.default.forwarding" => self.ip_forward,
            "net.ipv4.ip_default_ttl" => self.ip_default_ttl,
            "net.ipv4.icmp_echo_ignore_all" => self.icmp_echo_ignore_all,
            "net.ipv4.icmp_echo_ignore_broadcasts" => self.icmp_echo_ignore_broadcasts,
            "net.ipv4.icmp_ratelimit" => self.icmp_ratelimit,
            "net.ipv4.icmp_ratemask" => self.icmp_ratemask,
            "net.ipv4.ip_local_port_range" => {
                let (a, b) = self.ip_local_port_range;
                return Ok(format!("{a}\t{b}"));
            }
            "net.ipv4.neigh.default.base_reachable_time_ms" => self.base_reachable_ms,
            "net.ipv4.neigh.default.delay_first_probe_time" => self.delay_first_probe_ms / 1000,
            "net.ipv4.neigh.default.gc_stale_time" => self.gc_stale_ms / 1000,
            "net.ipv4.neigh.default.mcast_solicit" => self.mcast_solicit,
            "net.ipv4.neigh.default.retrans_time_ms" => self.retrans_ms,
            "net.ipv4.neigh.default.ucast_solicit" => self.ucast_solicit,
            _ => return Err(Errno::ENOENT),
        };
        Ok(v.to_string())
    }

    /// Sets a key from the text written to its file.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Errno> {
        self.get(key)?;
        if key == "net.ipv4.ip_local_port_range" {
            let mut it = value.split_whitespace().map(parse_int);
            let (Some(Ok(a)), Some(Ok(b)), None) = (it.next(), it.next(), it.next()) else {
                return Err(Errno::EINVAL);
            };
            if !(1..=65535).contains(&a) || !(1..=65535).contains(&b) || a > b {
                return Err(Errno::EINVAL);
            }
            self.ip_local_port_range = (a, b);
            return Ok(());
        }
        let v = parse_int(value.trim())?;
        let in_range = |lo: i64, hi: i64| {
            if (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(Errno::EINVAL)
            }
        };
        match key {
            "net.ipv4.ip_forward"
            | "net.ipv4.conf.all.forwarding"
            | "net.ipv4.conf.default.forwarding" => self.ip_forward = v,
            "net.ipv4.ip_default_ttl" => self.ip_default_ttl = in_range(1, 255)?,
            "net.ipv4.icmp_echo_ignore_all" => self.icmp_echo_ignore_all = in_range(0, 1)?,
            "net.ipv4.icmp_echo_ignore_broadcasts" => {
                self.icmp_echo_ignore_broadcasts = in_range(0, 1)?
            }
            "net.ipv4.icmp_ratelimit" => self.icmp_ratelimit = in_range(0, i64::from(i32::MAX))?,
            "net.ipv4.icmp_ratemask" => self.icmp_ratemask = v,
            "net.ipv4.neigh.default.base_reachable_time_ms" => self.base_reachable_ms = v,
            "net.ipv4.neigh.default.delay_first_probe_time" => self.delay_first_probe_ms = v * 1000,
            "net.ipv4.neigh.default.gc_stale_time" => self.gc_stale_ms = v * 1000,
            "net.ipv4.neigh.default.mcast_solicit" => self.mcast_solicit = v,
            "net.ipv4.neigh.default.retrans_time_ms" => self.retrans_ms = v,
            "net.ipv4.neigh.default.ucast_solicit" => self.ucast_solicit = v,
            _ => return Err(Errno::ENOENT),
        }
        Ok(())
    }
}

/// Parses an integer as `proc_dointvec` does (leading whitespace, optional sign).
fn parse_int(s: &str) -> Result<i64, Errno> {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+'))))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    let (num, rest) = t.split_at(end);
    if !rest.trim().is_empty() {
        return Err(Errno::EINVAL);
    }
    num.parse::<i64>().map_err(|_| Errno::EINVAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_checks() {
        let mut s = Sysctl::new(Duration::from_secs(30));
        assert_eq!(s.get("net.ipv4.ip_forward").as_deref(), Ok("0"));
        s.set("net.ipv4.ip_forward", "1\n").unwrap();
        assert_eq!(s.get("net.ipv4.conf.all.forwarding").as_deref(), Ok("1"));
        assert_eq!(s.set("net.ipv4.ip_default_ttl", "0"), Err(Errno::EINVAL));
        assert_eq!(s.set("net.ipv4.ip_forward", "yes"), Err(Errno::EINVAL));
        assert_eq!(s.get("net.ipv4.nope"), Err(Errno::ENOENT));
        assert_eq!(
            s.get("net.ipv4.ip_local_port_range").as_deref(),
            Ok("32768\t60999")
        );
    }
}

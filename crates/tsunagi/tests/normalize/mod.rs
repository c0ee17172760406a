//! The masking the goldens were recorded with (what differs legitimately from run to run:
//! times, ICMP ids, random MACs, ephemeral ports...), rule for rule, so that the tests need
//! nothing outside the repository.

use regex::Regex;

struct Rule {
    re: Regex,
    to: &'static str,
    /// Replace every match (`s///g`) or only the first.
    all: bool,
    /// Apply only to lines matching this (`/addr/ s///`).
    only_if: Option<Regex>,
}

fn rules() -> Vec<Rule> {
    let r = |re: &str, to: &'static str, all: bool| Rule {
        re: Regex::new(re).expect("valid rule"),
        to,
        all,
        only_if: None,
    };
    let flags = || Some(Regex::new(r"Flags \[").expect("valid"));
    vec![
        r(r"time=[0-9.]+ ms", "time=T ms", true),
        r(r", time [0-9]+ms", ", time Tms", false),
        r(
            r"^(rtt|round-trip) min/avg/max/mdev = .*",
            "${1} min/avg/max/mdev = T",
            false,
        ),
        r(r"  [0-9]+\.[0-9]+ ms", "  T ms", true),
        r(r" [0-9]+\.[0-9]+ ms( !?[A-Z])?", " T ms${1}", true),
        r(r"^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} ", "TS ", false),
        r(
            r"(ICMP echo (request|reply)), id [0-9]+,",
            "${1}, id ID,",
            true,
        ),
        r(
            r"\b(02|[0-9a-f][26ae]):([0-9a-f]{2}:){4}[0-9a-f]{2}\b",
            "MAC",
            true,
        ),
        r(r"fe80::200:5eff:fe00:53", "fe80::DOC", true),
        r(
            r"fe80::[0-9a-f]+:[0-9a-f]+:[0-9a-f]+:[0-9a-f]+",
            "fe80::LL",
            true,
        ),
        r(r"fe80::DOC", "fe80::200:5eff:fe00:53", true),
        r(
            r"([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)([.: ])(3[2-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})\b",
            "${1}${2}EPORT",
            true,
        ),
        Rule {
            re: Regex::new(r"(seq|ack) [0-9]{6,}(:[0-9]{6,})?").expect("valid"),
            to: "${1} N",
            all: true,
            only_if: flags(),
        },
        r(r"TS val [0-9]+ ecr [0-9]+", "TS val N ecr N", true),
        Rule {
            re: Regex::new(r"win [0-9]+").expect("valid"),
            to: "win W",
            all: false,
            only_if: flags(),
        },
        r(r"wscale [0-9]+", "wscale S", false),
        r(r"Python/3\.[0-9]+\.[0-9]+", "Python/3.X", false),
        r(r"xid=0x[0-9a-f]+", "xid=X", true),
        r(r"renewal in [0-9]+ seconds", "renewal in N seconds", false),
        r(r"(valid|preferred)_lft [0-9]+sec", "${1}_lft Nsec", true),
        r(r"^(Date|Last-Modified): .*", "${1}: DATE", false),
        r(
            r"\[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4} [0-9:]{8}\]",
            "[DATE]",
            false,
        ),
        r(r"pid=[0-9]+", "pid=P", true),
    ]
}

/// Masks `text` line by line as the recording did.
pub fn normalize(text: &str) -> String {
    let rules = rules();
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut l = line.to_string();
        for rule in &rules {
            if rule.only_if.as_ref().is_some_and(|c| !c.is_match(&l)) {
                continue;
            }
            l = if rule.all {
                rule.re.replace_all(&l, rule.to).into_owned()
            } else {
                rule.re.replace(&l, rule.to).into_owned()
            };
        }
        out.push_str(&l);
    }
    out
}

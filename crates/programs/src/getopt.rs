//! GNU `getopt_long(3)` as glibc 2.36 runs it, for the tools that parse their command line
//! with it (ping, sysctl, tcpdump): option clusters (`-tnel`), arguments attached or in the
//! next word, long options by unique prefix, `--` ending the options, and the permutation
//! that lets options follow operands unless POSIX order is asked for. Errors are glibc's
//! messages; each tool decides whether one ends parsing.

/// Whether a long option takes an argument (`no_argument`, `required_argument`,
/// `optional_argument`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
    Optional,
}

/// One entry of the long option table.
#[derive(Clone, Copy, Debug)]
pub struct LongOpt {
    pub name: &'static str,
    pub has_arg: HasArg,
    /// What `getopt_long` returns for it: the short option it stands for, or a code of the
    /// tool's own outside the option string.
    pub val: char,
}

/// What one step of parsing gave, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// An option (its short letter or long option's `val`) and its argument.
    Opt(char, Option<String>),
    /// A bad option: glibc's message, newline included, as written to stderr.
    Error(String),
}

/// How a short option takes its argument, from the option string.
fn short_spec(optstring: &str, c: char) -> Option<HasArg> {
    if c == ':' || c == '+' || c == '-' {
        return None;
    }
    let pos = optstring.find(c)?;
    let rest = &optstring[pos + c.len_utf8()..];
    Some(if rest.starts_with("::") {
        HasArg::Optional
    } else if rest.starts_with(':') {
        HasArg::Required
    } else {
        HasArg::No
    })
}

/// Parses `args` (without `argv[0]`) as `getopt_long(argc, argv, optstring, longopts)` does
/// in a loop: the options in order, and the operands. `posix` (or an option string starting
/// with `+`) stops at the first operand; otherwise options may come after operands.
pub fn getopt_long(
    prog: &str,
    args: &[String],
    optstring: &str,
    longopts: &[LongOpt],
    posix: bool,
) -> (Vec<Item>, Vec<String>) {
    let posix = posix || optstring.starts_with('+');
    let mut items = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let name = body.split_once('=').map_or(body, |(n, _)| n);
            let inline = body.split_once('=').map(|(_, v)| v.to_string());
            let exact = longopts.iter().find(|o| o.name == name);
            let cands: Vec<&LongOpt> = longopts
                .iter()
                .filter(|o| o.name.starts_with(name))
                .collect();
            // Abbreviations that all mean the same thing are not ambiguous.
            let same = cands
                .windows(2)
                .all(|w| w[0].has_arg == w[1].has_arg && w[0].val == w[1].val);
            let found = match exact {
                Some(o) => o,
                None if !cands.is_empty() && same => cands[0],
                None if cands.is_empty() => {
                    items.push(Item::Error(format!("{prog}: unrecognized option '{a}'\n")));
                    continue;
                }
                None => {
                    let mut m = format!("{prog}: option '{a}' is ambiguous; possibilities:");
                    for c in &cands {
                        m.push_str(&format!(" '--{}'", c.name));
                    }
                    m.push('\n');
                    items.push(Item::Error(m));
                    continue;
                }
            };
            let full = found.name;
            match (found.has_arg, inline) {
                (HasArg::No, Some(_)) => items.push(Item::Error(format!(
                    "{prog}: option '--{full}' doesn't allow an argument\n"
                ))),
                (HasArg::No, None) => items.push(Item::Opt(found.val, None)),
                (HasArg::Required, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        items.push(Item::Opt(found.val, Some(v.clone())));
                    }
                    None => items.push(Item::Error(format!(
                        "{prog}: option '--{full}' requires an argument\n"
                    ))),
                },
                (_, v) => items.push(Item::Opt(found.val, v)),
            }
            continue;
        }
        if a.len() < 2 || !a.starts_with('-') {
            operands.push(a.clone());
            if posix {
                operands.extend(args[i..].iter().cloned());
                break;
            }
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            k += 1;
            match short_spec(optstring, c) {
                None => items.push(Item::Error(format!("{prog}: invalid option -- '{c}'\n"))),
                Some(HasArg::No) => items.push(Item::Opt(c, None)),
                Some(has) => {
                    let rest: String = chars[k..].iter().collect();
                    k = chars.len();
                    if !rest.is_empty() {
                        items.push(Item::Opt(c, Some(rest)));
                    } else if has == HasArg::Optional {
                        items.push(Item::Opt(c, None));
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        items.push(Item::Opt(c, Some(v.clone())));
                    } else {
                        items.push(Item::Error(format!(
                            "{prog}: option requires an argument -- '{c}'\n"
                        )));
                    }
                }
            }
        }
    }
    (items, operands)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &[LongOpt] = &[
        LongOpt {
            name: "nano",
            has_arg: HasArg::No,
            val: 'N',
        },
        LongOpt {
            name: "number",
            has_arg: HasArg::No,
            val: '#',
        },
        LongOpt {
            name: "interface",
            has_arg: HasArg::Required,
            val: 'i',
        },
        LongOpt {
            name: "load",
            has_arg: HasArg::Optional,
            val: 'p',
        },
    ];

    fn run(args: &[&str], posix: bool) -> (Vec<Item>, Vec<String>) {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        getopt_long("t", &v, "c:np::", LONG, posix)
    }

    fn opt(c: char, a: Option<&str>) -> Item {
        Item::Opt(c, a.map(str::to_string))
    }

    #[test]
    fn clusters_arguments_and_permutation() {
        let (items, ops) = run(&["-nc3", "x", "-c", "4", "-p", "-pfile", "y"], false);
        assert_eq!(
            items,
            [
                opt('n', None),
                opt('c', Some("3")),
                opt('c', Some("4")),
                opt('p', None),
                opt('p', Some("file"))
            ]
        );
        assert_eq!(ops, ["x", "y"]);
        let (items, ops) = run(&["x", "-n"], true);
        assert!(items.is_empty());
        assert_eq!(ops, ["x", "-n"]);
        let (_, ops) = run(&["-n", "--", "-c"], false);
        assert_eq!(ops, ["-c"]);
    }

    #[test]
    fn long_options_by_prefix() {
        let (items, _) = run(
            &[
                "--inter=lo",
                "--interface",
                "any",
                "--load",
                "--load=f",
                "--na",
            ],
            false,
        );
        assert_eq!(
            items,
            [
                opt('i', Some("lo")),
                opt('i', Some("any")),
                opt('p', None),
                opt('p', Some("f")),
                opt('N', None)
            ]
        );
    }

    #[test]
    fn glibcs_messages() {
        let err = |args: &[&str]| match &run(args, false).0[0] {
            Item::Error(m) => m.clone(),
            other => panic!("no error: {other:?}"),
        };
        assert_eq!(err(&["-z"]), "t: invalid option -- 'z'\n");
        assert_eq!(err(&["-c"]), "t: option requires an argument -- 'c'\n");
        assert_eq!(err(&["--bogus=1"]), "t: unrecognized option '--bogus=1'\n");
        assert_eq!(
            err(&["--n"]),
            "t: option '--n' is ambiguous; possibilities: '--nano' '--number'\n"
        );
        assert_eq!(
            err(&["--interface"]),
            "t: option '--interface' requires an argument\n"
        );
        assert_eq!(
            err(&["--nano=1"]),
            "t: option '--nano' doesn't allow an argument\n"
        );
    }
}

//! Component tests: scripts run by the shell in a lab, output and status compared with what
//! bash 5.2 prints.

mod common;
use common::check;

#[test]
fn echo_and_status() {
    check("echo hello world\n", "hello world\n", 0);
    check("false\n", "", 1);
    check("exit 3\n", "", 3);
    check("echo a; echo b\n", "a\nb\n", 0);
}

#[test]
fn command_not_found() {
    check(
        "echo a\nnosuch x\necho $?\n",
        "a\nt.sh: line 2: nosuch: command not found\n127\n",
        0,
    );
    check("nosuch\n", "t.sh: line 1: nosuch: command not found\n", 127);
}

#[test]
fn interactive_shell_prompts_reads_lines_and_says_exit_at_eof() {
    let cap = common::Capture::default();
    let lab = tsunagi_lab::Lab::new(tsunagi_lab::LabConfig {
        seed: 1,
        sink: Box::new(cap.clone()),
        input: None,
    });
    tsunagi_shell::register(&lab);
    let pid = lab
        .spawn_on_terminal(vec!["bash".into()], "/root".into())
        .expect("spawn");
    assert!(lab.run_until_exit(pid).is_none(), "waits for input");
    lab.terminal().feed(b"echo hi; x=5\n");
    assert!(lab.run_until_exit(pid).is_none());
    lab.terminal().feed(b"if true; then\necho $x\nfi\nnosuch\n");
    assert!(lab.run_until_exit(pid).is_none());
    lab.terminal().close_input();
    let st = lab.run_until_exit(pid).map(|s| s.code());
    let out = String::from_utf8_lossy(&cap.0.borrow()).into_owned();
    assert_eq!(
        out,
        "root@tsunagi:~# hi\nroot@tsunagi:~# > > 5\nroot@tsunagi:~# bash: nosuch: command not found\nroot@tsunagi:~# exit\n"
    );
    assert_eq!(st, Some(127));
}

#[test]
fn nested_bash_with_stdin_at_end_of_file_exits_at_once() {
    check("bash\necho \"after $?\"\n", "after 0\n", 0);
    check(
        "echo 'echo from-stdin; exit 4' | bash\necho \"st $?\"\n",
        "from-stdin\nst 4\n",
        0,
    );
    check("bash -c 'echo $0 $1' zero one\n", "zero one\n", 0);
    check("sh -c 'exit 3'; echo $?\n", "3\n", 0);
}

#[test]
fn syntax_errors_stop_a_script_after_what_ran() {
    check(
        "echo a\necho b; fi\necho c\n",
        "a\nt.sh: line 2: syntax error near unexpected token `fi'\nt.sh: line 2: `echo b; fi'\n",
        2,
    );
    check(
        "echo a\nif true; then\necho b\n",
        "a\nt.sh: line 4: syntax error: unexpected end of file\n",
        2,
    );
    check(
        "bash -c 'echo x; fi'; echo $?\n",
        "bash: -c: line 1: syntax error near unexpected token `fi'\nbash: -c: line 1: `echo x; fi'\n2\n",
        0,
    );
}

#[test]
fn pipelines_background_jobs_and_signals() {
    check(
        "sleep 5 &\nkill %1\nwait %1; echo \"st $?\"\nsleep 1 & p=$!\nwait $p; echo \"st $?\"\n",
        "st 143\nst 0\n",
        0,
    );
    check(
        "trap 'echo caught' INT\nkill -INT $$\necho after\n",
        "caught\nafter\n",
        0,
    );
    check(
        "yes | head -n 2\necho \"${PIPESTATUS[*]}\"\n",
        "y\ny\n141 0\n",
        0,
    );
    check("set -o pipefail; false | true; echo $?\n", "1\n", 0);
}

#[test]
fn expansions() {
    check(
        "f=archive.tar.gz; echo ${f%.gz} ${f%%.*} ${f#*.} ${f##*.} ${f/tar/zip} ${#f}\n",
        "archive.tar archive tar.gz gz archive.zip.gz 14\n",
        0,
    );
    check(
        "x='a  b'; set -- $x \"$x\"; echo $#; echo {1..3} a{b,c}; echo $((2**10 % 7))\n",
        "3\n1 2 3 ab ac\n2\n",
        0,
    );
    check(
        "echo \"$(echo one; echo two)\" `echo three`\n",
        "one\ntwo three\n",
        0,
    );
    check(
        "set -u; echo ${nope:-d}; echo $nope; echo never\n",
        "d\nt.sh: line 1: nope: unbound variable\n",
        1,
    );
}

#[test]
fn read_takes_one_line_and_leaves_the_rest() {
    check(
        "printf 'a b c\\nd\\n' | { read x y; echo \"[$x][$y]\"; cat; }\n",
        "[a][b c]\nd\n",
        0,
    );
    check(
        "while IFS=: read -r k v; do echo \"$k=$v\"; done <<EOF\nx:1\ny:2\nEOF\n",
        "x=1\ny=2\n",
        0,
    );
}

#[test]
fn utilities() {
    check(
        "printf 'b 2\\na 10\\nc 1\\n' > d\nsort -k2 -n d | head -n 1\ngrep -c a d\nawk '{s+=$2} END {print s}' d\nsed -n 's/a/A/p' d\ncut -d' ' -f1 d | tr -d '\\n'; echo\nwc -l < d\n",
        "c 1\n1\n13\nA 10\nbac\n3\n",
        0,
    );
    check(
        "cat nosuch; echo $?\n",
        "cat: nosuch: No such file or directory\n1\n",
        0,
    );
    check(
        "grep x nosuch; echo $?\n",
        "grep: nosuch: No such file or directory\n2\n",
        0,
    );
    check("sleep 0.5 1s; echo ok\n", "ok\n", 0);
}

#[test]
fn interactive_shell_prompts_before_typed_ahead_input() {
    let cap = common::Capture::default();
    let lab = tsunagi_lab::Lab::new(tsunagi_lab::LabConfig {
        seed: 1,
        sink: Box::new(cap.clone()),
        input: None,
    });
    tsunagi_shell::register(&lab);
    lab.terminal().feed(b"cd /tmp; echo a\n");
    let pid = lab
        .spawn_on_terminal(vec!["bash".into(), "-i".into()], "/root".into())
        .expect("spawn");
    assert!(lab.run_until_exit(pid).is_none());
    lab.terminal().close_input();
    assert_eq!(lab.run_until_exit(pid).map(|s| s.code()), Some(0));
    let out = String::from_utf8_lossy(&cap.0.borrow()).into_owned();
    assert_eq!(out, "root@tsunagi:~# a\nroot@tsunagi:/tmp# exit\n");
}

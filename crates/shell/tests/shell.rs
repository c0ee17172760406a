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

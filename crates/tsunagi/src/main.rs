//! The `tsunagi` command: run a lab script, or open an interactive shell in a lab.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Parser, Subcommand};

mod interactive;

/// A virtual network lab: Linux networking in user space, on virtual time.
///
/// tsunagi runs the commands people type on Linux — ip, ping, traceroute, sysctl and a bash
/// subset — against an emulated kernel: namespaces, veth pairs, routes and neighbours, with
/// the output the real tools print. No root, no VM; the same seed gives the same bytes.
#[derive(Parser)]
#[command(name = "tsunagi", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run FILE as `bash FILE` would on a freshly booted machine, as root, in a new lab.
    Run {
        /// The seed of the lab's one random source (MAC addresses, ICMP ids, timings).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Start from a root namespace holding only `lo`, like a fresh `unshare --net`
        /// (today also the default).
        #[arg(long)]
        bare: bool,
        /// Write every interface's traffic to pcapng files in DIR (created if missing), one
        /// file per network namespace with traffic: root.pcapng for the initial namespace, NAME.pcapng for
        /// `ip netns add NAME` (netns-root.pcapng for a namespace called root). Each device is
        /// an interface with its name; timestamps are virtual time, in nanoseconds.
        #[arg(long, value_name = "DIR")]
        capture: Option<PathBuf>,
        /// The script; `-` reads it from standard input.
        file: String,
        /// Arguments passed to the script as $1, $2, ...
        args: Vec<String>,
    },
    /// An interactive shell in a new lab, its clock paced to the wall clock.
    Shell {
        /// The seed of the lab's one random source.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Let virtual time jump to the next event instead of following the wall clock.
        #[arg(long)]
        fast: bool,
        /// Start from a root namespace holding only `lo` (today also the default).
        #[arg(long)]
        bare: bool,
        /// Write every interface's traffic to pcapng files in DIR (created if missing), one
        /// file per network namespace with traffic: root.pcapng for the initial namespace, NAME.pcapng for
        /// `ip netns add NAME` (netns-root.pcapng for a namespace called root). Each device is
        /// an interface with its name; timestamps are virtual time, in nanoseconds.
        #[arg(long, value_name = "DIR")]
        capture: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    match cli.command {
        Command::Run {
            seed,
            bare: _,
            capture,
            file,
            args,
        } => {
            let lab = tsunagi::new_lab(
                seed,
                Box::new(tsunagi::StdSink),
                Some(Box::new(std::io::stdin())),
            );
            if let Some(dir) = &capture {
                if let Err(e) = tsunagi::start_capture(&lab, dir) {
                    eprintln!("tsunagi: {e}");
                    return ExitCode::from(1);
                }
            }
            // Programs see a tty where the user has one, as `bash FILE` would in a terminal
            // (`ls` in columns, line-buffered output); pipes and files stay what they are.
            lab.terminal().set_tty_streams([
                file != "-" && std::io::stdin().is_terminal(),
                std::io::stdout().is_terminal(),
                std::io::stderr().is_terminal(),
            ]);
            let script = if file == "-" {
                let mut text = String::new();
                if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                    eprintln!("tsunagi: cannot read the script from standard input: {e}");
                    return ExitCode::from(2);
                }
                tsunagi::Script::Text(text)
            } else {
                if let Err(e) = std::fs::metadata(&file) {
                    // What bash says for a script it cannot open.
                    eprintln!("bash: {file}: {}", tsunagi_lab::io_errno(e).strerror());
                    return ExitCode::from(127);
                }
                tsunagi::Script::File(PathBuf::from(&file))
            };
            let status = tsunagi::run_script_with_args(&lab, script, args, cwd);
            let code = match status {
                Some(s) => (s.code() & 0xff) as u8,
                None => {
                    eprintln!(
                        "tsunagi: the script waits for something that can never happen; stopping"
                    );
                    124
                }
            };
            // The capture files are complete whatever the script's exit status.
            if let Err(e) = tsunagi::finish_capture(&lab) {
                eprintln!("tsunagi: {e}");
                return ExitCode::from(if code == 0 { 1 } else { code });
            }
            ExitCode::from(code)
        }
        Command::Shell {
            seed,
            fast,
            bare: _,
            capture,
        } => {
            let interrupted = Arc::new(AtomicBool::new(false));
            let flag = interrupted.clone();
            let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
            interactive::run(seed, fast, capture, cwd, interrupted)
        }
    }
}

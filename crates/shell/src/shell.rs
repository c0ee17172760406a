//! The interpreter: runs the syntax tree on the lab's process model.
//!
//! One `Shell` is one bash process. It owns its [`State`] and its [`Proc`]. Simple commands
//! that name a lab program are spawned as child processes; builtins and functions run in the
//! shell itself with the command's redirections applied to its descriptor table and undone
//! afterwards. Whatever bash runs in a forked child — pipeline stages, `( ... )`, `$( ... )`,
//! background jobs — runs here in a forked lab process ([`Proc::fork`]) holding a copy of the
//! state, so that pids, `$!`, `kill`, `wait` and `SIGPIPE` behave as on Linux; a forked child
//! whose last act is an external command replaces itself with it (`exec`), as bash does.
//!
//! Control flow (`break`, `return`, `exit`, an expansion error that abandons the command line)
//! travels up as the `Err` side of [`Flow`]; the exit status of the last command lives in
//! `State::status`.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use tsunagi_lab::{
    Duration, Errno, ExitStatus, FileRef, OpenFile, OpenMode, Pid, Pipe, Proc, Signal, SpawnSpec,
};

use crate::ast::*;
use crate::parser::{ParseError, ParseErrorKind, Parser};
use crate::state::{Job, Mode, Options, State, Var};

/// A boxed future borrowing the shell (async recursion).
pub(crate) type Lbf<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Why execution stops going forward.
pub(crate) enum Ctl {
    Break(u32),
    Continue(u32),
    Return,
    /// Leave the shell (`exit`, `set -e`, a fatal error); the status is in `State::status`.
    Exit,
    /// Abandon the current command line (an expansion error) and go on with the next.
    Abort,
    /// Replace the process with a program (`exec`, or a forked child's last command).
    Exec(Box<ExecReq>),
}

/// A program to `exec`.
pub(crate) struct ExecReq {
    pub argv: Vec<String>,
    pub env: BTreeMap<String, String>,
    pub fds: BTreeMap<u32, FileRef>,
}

pub(crate) type Flow = Result<(), Ctl>;

/// One shell process.
pub struct Shell {
    pub(crate) proc: Proc,
    pub(crate) st: State,
    /// The status of the last command substitution of the command being expanded.
    pub(crate) last_subst_status: Option<i32>,
    /// `exec` without a command: keep its redirections.
    pub(crate) keep_fds: bool,
    /// `getopts`' position inside a bundle of options (`-abc`).
    pub(crate) getopts_sub: usize,
    /// Trapped signals taken from the lab but not yet handled.
    pub(crate) pending_signals: Vec<Signal>,
    /// Pipes of process substitutions made for the command being run, by descriptor.
    pub(crate) procsubs: Vec<(u32, FileRef)>,
}

impl Shell {
    pub(crate) fn new(proc: Proc, st: State) -> Shell {
        Shell {
            proc,
            st,
            last_subst_status: None,
            keep_fds: false,
            getopts_sub: 0,
            pending_signals: Vec::new(),
            procsubs: Vec::new(),
        }
    }
}

const VERSION: &str = "5.2.15(1)-release";
/// How deeply functions may nest (bash has no limit but crashes when it runs out of stack;
/// an async interpreter needs a bound well before the stack ends).
const MAX_FUNC_DEPTH: u32 = 100;

/// The `bash` program.
pub fn bash_main(proc: Proc) -> tsunagi_lab::LocalBoxFuture<i32> {
    Box::pin(Shell::main(proc))
}

/// What the shell reads its commands from.
enum Source {
    File(String),
    Text(String),
    Stdin,
}

fn usage(name: &str) -> String {
    format!(
        "Usage:\t{name} [GNU long option] [option] ...\n\t{name} [GNU long option] [option] script-file ...\n"
    )
}

impl Shell {
    async fn main(proc: Proc) -> i32 {
        let name = proc.name().to_string();
        let args: Vec<String> = proc.argv.iter().skip(1).cloned().collect();
        let mut opts = Options::default();
        let mut command = false;
        let mut force_interactive = false;
        let mut read_stdin = false;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            match a.as_str() {
                "--" => {
                    i += 1;
                    break;
                }
                "--norc" | "--noprofile" | "--login" | "--posix" | "--noediting" => {}
                "--version" => {
                    proc.out(format!(
                        "GNU bash, version {VERSION} (x86_64-pc-linux-gnu)\nCopyright (C) 2022 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>\n\nThis is free software; you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n"
                    ));
                    return 0;
                }
                "-o" | "+o" => {
                    let on = a.starts_with('-');
                    i += 1;
                    let Some(o) = args.get(i) else {
                        proc.err(format!("{name}: -o: option requires an argument\n"));
                        return 2;
                    };
                    if !set_long_option(&mut opts, o, on) {
                        proc.err(format!("{name}: {o}: invalid option name\n"));
                        return 2;
                    }
                }
                s if (s.starts_with('-') || s.starts_with('+'))
                    && s.len() > 1
                    && !s.starts_with("--") =>
                {
                    let on = s.starts_with('-');
                    for c in s[1..].chars() {
                        match c {
                            'c' => command = true,
                            'i' => force_interactive = true,
                            's' => read_stdin = true,
                            'l' => {}
                            _ => {
                                if !set_short_option(&mut opts, c, on) {
                                    proc.err(format!(
                                        "{name}: -{c}: invalid option\n{}",
                                        usage(&name)
                                    ));
                                    return 2;
                                }
                            }
                        }
                    }
                }
                s if s.starts_with("--") => {
                    proc.err(format!("{name}: {s}: invalid option\n{}", usage(&name)));
                    return 2;
                }
                _ => break,
            }
            i += 1;
        }
        let rest: Vec<String> = args[i.min(args.len())..].to_vec();
        let (source, arg0, positional, mode) = if command {
            let Some(text) = rest.first() else {
                proc.err(format!("{name}: -c: option requires an argument\n"));
                return 2;
            };
            (
                Source::Text(text.clone()),
                rest.get(1).cloned().unwrap_or_else(|| name.clone()),
                rest.iter().skip(2).cloned().collect(),
                Mode::Command,
            )
        } else if !rest.is_empty() && !read_stdin {
            (
                Source::File(rest[0].clone()),
                rest[0].clone(),
                rest[1..].to_vec(),
                Mode::Script(rest[0].clone()),
            )
        } else {
            let tty = proc.fd(0).is_some_and(|f| f.is_terminal());
            let mode = if tty || force_interactive {
                Mode::Interactive
            } else {
                Mode::Stdin
            };
            (Source::Stdin, name.clone(), rest, mode)
        };
        let mut st = initial_state(&proc, name, arg0, positional, opts, mode);
        if let Mode::Script(path) = &st.mode {
            let path = path.clone();
            let _ = st.set_array("BASH_SOURCE", vec![path]);
        }
        let mut sh = Shell::new(proc, st);
        let r = match source {
            Source::File(path) => sh.run_file(&path).await,
            Source::Text(text) => sh.run_text(&text, 1).await,
            Source::Stdin => sh.run_stdin().await,
        };
        sh.finish(r).await
    }

    /// Ends a shell process (the top one or a forked child): runs an `exec` if one was asked
    /// for, else the EXIT trap, and gives the exit status.
    pub(crate) async fn finish(mut self, r: Flow) -> i32 {
        if let Err(Ctl::Exec(req)) = r {
            return self.do_exec(*req).await;
        }
        self.run_exit_trap().await;
        self.st.status & 0xff
    }

    async fn do_exec(self, req: ExecReq) -> i32 {
        let Shell { mut proc, st, .. } = self;
        proc.fds = req.fds;
        proc.env = req.env;
        proc.cwd = st.cwd.clone();
        let argv = req.argv;
        match proc.exec(argv.clone()).await {
            Ok(code) => code,
            Err((_, proc)) => {
                let name = argv.first().cloned().unwrap_or_default();
                let sh = Shell::new(proc, st);
                sh.command_not_found(&name, None);
                127
            }
        }
    }

    // --- messages ---------------------------------------------------------------------------

    /// `FILE: line N: ` for scripts, `bash: ` otherwise.
    pub(crate) fn prefix(&self) -> String {
        if self.dash() {
            // dash: `sh: 1: ` or `script: 3: `.
            let file = match (&self.st.source_name, &self.st.mode) {
                (Some(src), _) => src.clone(),
                (None, Mode::Script(name)) => name.clone(),
                _ => self.st.name.clone(),
            };
            return format!("{file}: {}: ", self.st.lineno.max(1));
        }
        match (&self.st.source_name, &self.st.mode) {
            (Some(src), _) => format!("{src}: line {}: ", self.st.lineno),
            (None, Mode::Script(name)) => format!("{name}: line {}: ", self.st.lineno),
            (None, Mode::Interactive) => format!("{}: ", self.st.name),
            // bash names a function defined by `-c` text "environment" in its messages.
            (None, Mode::Command) if self.st.func_depth > 0 => {
                format!("environment: line {}: ", self.st.lineno)
            }
            (None, _) => format!("{}: line {}: ", self.st.name, self.st.lineno),
        }
    }

    /// Writes `prefix` + `msg` to standard error.
    pub(crate) fn error(&self, msg: &str) {
        let text = format!("{}{msg}\n", self.prefix());
        self.write_err(text.as_bytes());
    }

    /// Writes to the shell's standard error, ignoring failures.
    pub(crate) fn write_err(&self, data: &[u8]) {
        if let Some(f) = self.st.fds.get(&2) {
            let _ = f.write(data);
        }
    }

    /// Writes to descriptor `fd`; a broken pipe kills the shell with SIGPIPE, as on Linux.
    pub(crate) fn write_fd(&self, fd: u32, data: &[u8]) -> Flow {
        let Some(f) = self.st.fds.get(&fd) else {
            return Ok(());
        };
        match f.write(data) {
            Ok(()) => Ok(()),
            Err(Errno::EPIPE) => {
                let _ = self.proc.sys.kill(self.proc.pid, Signal::Pipe);
                Err(Ctl::Exit)
            }
            Err(_) => Ok(()),
        }
    }

    fn syntax_error(&self, e: &ParseError) {
        if self.dash() {
            let file = match (&self.st.source_name, &self.st.mode) {
                (Some(src), _) => src.clone(),
                (None, Mode::Script(name)) => name.clone(),
                _ => self.st.name.clone(),
            };
            let what = match &e.kind {
                ParseErrorKind::UnexpectedToken(t) if t == "newline" => {
                    "newline unexpected".to_string()
                }
                ParseErrorKind::UnexpectedToken(t) => format!("\"{t}\" unexpected"),
                ParseErrorKind::UnexpectedEof => "end of file unexpected".to_string(),
                ParseErrorKind::Unmatched('\'') | ParseErrorKind::Unmatched('"') => {
                    "Unterminated quoted string".to_string()
                }
                ParseErrorKind::Unmatched(_) => "end of file unexpected".to_string(),
                ParseErrorKind::NotIdentifier(s) => format!("Bad for loop variable {s}"),
                ParseErrorKind::TooDeep => "nesting too deep".to_string(),
            };
            let text = format!("{file}: {}: Syntax error: {what}\n", e.line);
            self.write_err(text.as_bytes());
            return;
        }
        let ev = if self.st.in_eval > 0 { "eval: " } else { "" };
        let (pre, interactive) = match (&self.st.source_name, &self.st.mode) {
            (Some(src), _) => (format!("{src}: {ev}line {}: ", e.line), false),
            (None, Mode::Script(name)) => (format!("{name}: {ev}line {}: ", e.line), false),
            (None, Mode::Command) if ev.is_empty() => {
                (format!("{}: -c: line {}: ", self.st.name, e.line), false)
            }
            (None, Mode::Interactive) if ev.is_empty() => (format!("{}: ", self.st.name), true),
            (None, _) => (format!("{}: {ev}line {}: ", self.st.name, e.line), false),
        };
        let mut text = format!("{pre}{e}\n");
        if let (ParseErrorKind::UnexpectedToken(_), Some(line), false) =
            (&e.kind, &e.source_line, interactive)
        {
            text.push_str(&format!("{pre}`{line}'\n"));
        }
        self.write_err(text.as_bytes());
    }

    fn print_warnings(&self, p: &mut Parser) {
        for (line, w) in std::mem::take(&mut p.warnings) {
            let pre = match (&self.st.source_name, &self.st.mode) {
                (Some(src), _) => format!("{src}: line {line}: "),
                (None, Mode::Script(name)) => format!("{name}: line {line}: "),
                (None, Mode::Command) => format!("{}: -c: line {line}: ", self.st.name),
                _ => format!("{}: line {line}: ", self.st.name),
            };
            self.write_err(format!("{pre}{w}\n").as_bytes());
        }
    }

    /// True when running as `sh`, which on Debian is dash: its messages differ.
    pub(crate) fn dash(&self) -> bool {
        self.st.name == "sh"
    }

    pub(crate) fn command_not_found(&self, name: &str, fds: Option<&BTreeMap<u32, FileRef>>) {
        let text = if self.dash() {
            format!("{}{name}: not found\n", self.prefix())
        } else {
            format!("{}{name}: command not found\n", self.prefix())
        };
        let f = fds.unwrap_or(&self.st.fds).get(&2);
        if let Some(f) = f {
            let _ = f.write(text.as_bytes());
        }
    }

    // --- running text --------------------------------------------------------------------------

    async fn run_file(&mut self, path: &str) -> Flow {
        let sys = self.proc.sys.clone();
        let text = match sys.open(&self.st.cwd, path, OpenMode::READ, self.proc.netns) {
            Ok(f) => match f.read_to_end().await {
                Ok(d) => String::from_utf8_lossy(&d).into_owned(),
                Err(e) => {
                    self.write_err(format!("{}: {path}: {e}\n", self.st.name).as_bytes());
                    self.st.status = 126;
                    return Err(Ctl::Exit);
                }
            },
            Err(e) => {
                self.write_err(format!("{}: {path}: {e}\n", self.st.name).as_bytes());
                self.st.status = 127;
                return Err(Ctl::Exit);
            }
        };
        self.run_text(&text, 1).await
    }

    /// Parses and runs `text` one complete command at a time. A syntax error ends a
    /// non-interactive shell with status 2.
    pub(crate) fn run_text<'a>(&'a mut self, text: &'a str, first_line: u32) -> Lbf<'a, Flow> {
        Box::pin(async move {
            // `source` and `eval` nest on the stack as functions do.
            if self.st.source_depth + self.st.in_eval + self.st.func_depth > 2 * MAX_FUNC_DEPTH {
                self.error(&format!(
                    "maximum nesting level exceeded ({})",
                    2 * MAX_FUNC_DEPTH
                ));
                self.st.status = 1;
                return Err(Ctl::Abort);
            }
            let mut p = Parser::with_line(text, first_line);
            loop {
                let cmd = match p.next_command() {
                    Ok(Some(c)) => c,
                    Ok(None) => {
                        self.print_warnings(&mut p);
                        return Ok(());
                    }
                    Err(e) => {
                        self.print_warnings(&mut p);
                        self.syntax_error(&e);
                        self.st.status = e.status();
                        if self.st.in_eval > 0 {
                            return Ok(());
                        }
                        return Err(Ctl::Exit);
                    }
                };
                self.print_warnings(&mut p);
                if self.st.opts.noexec {
                    continue;
                }
                match self.run_list(&cmd).await {
                    Ok(()) | Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => {}
                    Err(Ctl::Abort) => {
                        if self.st.subshell > 0 && self.st.func_depth == 0 {
                            // A forked child abandons its command, which is all it runs.
                            return Err(Ctl::Exit);
                        }
                        if self.st.source_depth > 0 || self.st.func_depth > 0 {
                            return Err(Ctl::Abort);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
        })
    }

    /// Reads commands from standard input, a line at a time (with a prompt if interactive).
    async fn run_stdin(&mut self) -> Flow {
        let interactive = self.st.mode == Mode::Interactive;
        if interactive {
            // A terminal already at end of input: nothing to do, as `bash </dev/null`.
            let Some(input) = self.st.fds.get(&0).cloned() else {
                return Ok(());
            };
            let mut first = std::pin::pin!(input.read());
            let polled =
                std::future::poll_fn(|cx| std::task::Poll::Ready(first.as_mut().poll(cx))).await;
            let (data, prompted) = match polled {
                std::task::Poll::Ready(d) => (d.unwrap_or_default(), false),
                std::task::Poll::Pending => {
                    self.prompt(false);
                    (first.await.unwrap_or_default(), true)
                }
            };
            if data.is_empty() {
                if prompted {
                    self.write_err(b"exit\n");
                }
                return Ok(());
            }
            input.unread(&data);
            self.proc.trap(Signal::Int);
            self.run_lines(true, prompted).await
        } else {
            self.run_lines(false, false).await
        }
    }

    fn prompt(&self, continuation: bool) {
        let p = if continuation {
            self.st.get("PS2").unwrap_or_else(|| "> ".to_string())
        } else {
            let home = self.st.get("HOME").unwrap_or_default();
            let cwd = self.st.cwd.to_string_lossy().into_owned();
            let dir = if !home.is_empty() && cwd == home {
                "~".to_string()
            } else if !home.is_empty() && cwd.starts_with(&format!("{home}/")) {
                format!("~{}", &cwd[home.len()..])
            } else {
                cwd
            };
            format!("root@tsunagi:{dir}# ")
        };
        self.write_err(p.as_bytes());
    }

    async fn run_lines(&mut self, interactive: bool, prompted: bool) -> Flow {
        let mut buf = String::new();
        let mut line_no: u32 = 1;
        let mut start_line: u32 = 1;
        let mut need_prompt = !prompted;
        loop {
            if interactive && need_prompt {
                self.prompt(!buf.is_empty());
            }
            need_prompt = true;
            let Some(input) = self.st.fds.get(&0).cloned() else {
                return Ok(());
            };
            let (line, _) = read_line(&input, b'\n').await;
            let eof = line.is_none();
            if let Some(l) = line {
                buf.push_str(&String::from_utf8_lossy(&l));
                buf.push('\n');
                line_no += 1;
            } else if buf.is_empty() {
                if interactive {
                    self.write_err(b"exit\n");
                }
                return Ok(());
            }
            // Try to parse what we have; an incomplete command waits for more lines.
            let mut p = Parser::with_line(&buf, start_line);
            let mut cmds = Vec::new();
            let mut err = None;
            loop {
                match p.next_command() {
                    Ok(Some(c)) => cmds.push(c),
                    Ok(None) => break,
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            let incomplete = match &err {
                Some(e) => matches!(
                    e.kind,
                    ParseErrorKind::UnexpectedEof | ParseErrorKind::Unmatched(_)
                ),
                None => p.heredoc_at_eof(),
            };
            if incomplete && !eof {
                continue;
            }
            if err.is_none() || !cmds.is_empty() {
                // Complete commands before an error still run? bash parses line by line; a
                // complete line is run before the next is read, so only a single buffer
                // holding several complete commands gets here, and they all run.
            }
            self.print_warnings(&mut p);
            let run_err = err.clone();
            if run_err.is_none() {
                for cmd in &cmds {
                    match self.run_list(cmd).await {
                        Ok(()) | Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) | Err(Ctl::Abort) => {}
                        Err(e) => return Err(e),
                    }
                    if interactive {
                        self.report_done_jobs();
                    }
                }
            }
            if let Some(e) = run_err {
                self.syntax_error(&e);
                self.st.status = e.status();
                if !interactive {
                    return Err(Ctl::Exit);
                }
            }
            buf.clear();
            start_line = line_no;
            if eof {
                if interactive {
                    self.write_err(b"exit\n");
                }
                return Ok(());
            }
        }
    }

    /// Interactive: `[1]+  Done   cmd` for jobs that ended.
    fn report_done_jobs(&mut self) {
        let mut done = Vec::new();
        for j in &mut self.st.jobs {
            if j.status.is_none() {
                if let Some(s) = self.proc.sys.status(j.pid) {
                    j.status = Some(s);
                    done.push(j.clone());
                }
            }
        }
        for j in done {
            let line = format!("[{}]+  {:<24}{}\n", j.id, status_word(j.status), j.text);
            self.write_err(line.as_bytes());
        }
        self.st.jobs.retain(|j| j.status.is_none());
    }

    // --- lists -----------------------------------------------------------------------------------

    pub(crate) fn run_list<'a>(&'a mut self, list: &'a List) -> Lbf<'a, Flow> {
        Box::pin(async move {
            for item in &list.items {
                if item.background {
                    self.run_background(item);
                } else {
                    self.run_and_or(&item.and_or).await?;
                }
            }
            Ok(())
        })
    }

    async fn run_and_or(&mut self, ao: &AndOr) -> Flow {
        let n = ao.rest.len();
        if n > 0 {
            self.st.errexit_off += 1;
        }
        let r = self.run_pipeline(&ao.first).await;
        if n > 0 {
            self.st.errexit_off -= 1;
        }
        r?;
        for (i, (conn, p)) in ao.rest.iter().enumerate() {
            let run = match conn {
                Connector::And => self.st.status == 0,
                Connector::Or => self.st.status != 0,
            };
            if !run {
                continue;
            }
            let last = i + 1 == n;
            if !last {
                self.st.errexit_off += 1;
            }
            let r = self.run_pipeline(p).await;
            if !last {
                self.st.errexit_off -= 1;
            }
            r?;
        }
        Ok(())
    }

    fn run_background(&mut self, item: &Item) {
        let mut fds = self.st.fds.clone();
        if self.st.mode != Mode::Interactive {
            fds.insert(0, Rc::new(OpenFile::Null));
        }
        let ao = item.and_or.clone();
        let pid = self.fork_with(fds, move |mut sh| {
            Box::pin(async move {
                let r = sh.child_and_or(&ao).await;
                sh.finish(r).await
            })
        });
        // Set up by the parent before the child first runs, so no Ctrl-C can fall between.
        let sys = &self.proc.sys;
        if self.st.mode == Mode::Interactive {
            // Job control: a process group of its own, out of the terminal's foreground.
            let _ = sys.set_pgid(pid, pid);
        } else {
            // Without job control, bash starts asynchronous commands with SIGINT and SIGQUIT
            // ignored, so a Ctrl-C meant for the script leaves them running.
            sys.ignore(pid, Signal::Int);
            sys.ignore(pid, Signal::Quit);
        }
        self.st.last_bg = Some(pid);
        let id = self.st.jobs.iter().map(|j| j.id).max().unwrap_or(0) + 1;
        self.st.jobs.push(Job {
            id,
            pid,
            text: item.text.clone(),
            status: None,
            inherited: false,
        });
        if self.st.mode == Mode::Interactive {
            self.write_err(format!("[{id}] {}\n", pid.0).as_bytes());
        }
        self.st.status = 0;
    }

    /// Runs an and-or list as a forked child's whole job.
    async fn child_and_or(&mut self, ao: &AndOr) -> Flow {
        if ao.rest.is_empty() && !ao.first.bang && ao.first.commands.len() == 1 {
            return self.child_command(&ao.first.commands[0]).await;
        }
        self.run_and_or(ao).await
    }

    /// Runs a command as a forked child's whole job: a simple external command replaces the
    /// child (`exec`).
    pub(crate) async fn child_command(&mut self, cmd: &Command) -> Flow {
        if matches!(cmd.kind, CommandKind::Simple { .. }) {
            self.run_simple(cmd, true).await
        } else {
            self.run_command(cmd).await
        }
    }

    /// Starts a forked child of this shell running `f` with a copy of the state.
    pub(crate) fn fork_with<F>(&self, fds: BTreeMap<u32, FileRef>, f: F) -> Pid
    where
        F: FnOnce(Shell) -> Pin<Box<dyn Future<Output = i32>>> + 'static,
    {
        let st = self.st.for_subshell(fds.clone());
        let spec = SpawnSpec {
            argv: self.proc.argv.clone(),
            env: self.proc.env.clone(),
            cwd: self.st.cwd.clone(),
            netns: self.proc.netns,
            fds,
            pgid: Some(self.proc.sys.pgid(self.proc.pid).unwrap_or(self.proc.pid)),
        };
        self.proc
            .fork(spec, Box::new(move |proc| f(Shell::new(proc, st))))
    }

    async fn run_pipeline(&mut self, p: &Pipeline) -> Flow {
        if p.bang {
            self.st.errexit_off += 1;
        }
        let r = if p.commands.len() == 1 {
            let r = self.run_command(&p.commands[0]).await;
            if r.is_ok() {
                let st = self.st.status.to_string();
                let _ = self.st.set_array("PIPESTATUS", vec![st]);
            }
            r
        } else {
            self.run_multi(p).await
        };
        if p.bang {
            self.st.errexit_off -= 1;
        }
        r?;
        if p.bang {
            self.st.status = i32::from(self.st.status == 0);
        }
        self.after_command().await?;
        if !p.bang {
            self.check_errexit(p).await?;
        }
        Ok(())
    }

    async fn run_multi(&mut self, p: &Pipeline) -> Flow {
        let n = p.commands.len();
        let mut pids = Vec::with_capacity(n);
        let mut prev: Option<FileRef> = None;
        for (i, cmd) in p.commands.iter().enumerate() {
            let mut fds = self.st.fds.clone();
            if let Some(r) = prev.take() {
                fds.insert(0, r);
            }
            if i + 1 < n {
                let (r, w) = Pipe::new_pair();
                fds.insert(1, w);
                prev = Some(r);
            }
            let cmd = cmd.clone();
            pids.push(self.fork_with(fds, move |mut sh| {
                Box::pin(async move {
                    let r = sh.child_command(&cmd).await;
                    sh.finish(r).await
                })
            }));
        }
        let mut statuses = Vec::with_capacity(n);
        for pid in pids {
            let st = self.wait_child(pid).await;
            statuses.push(st.code());
        }
        let last = statuses.last().copied().unwrap_or(0);
        self.st.status = if self.st.opts.pipefail {
            statuses
                .iter()
                .rev()
                .find(|&&s| s != 0)
                .copied()
                .unwrap_or(0)
        } else {
            last
        };
        let _ = self.st.set_array(
            "PIPESTATUS",
            statuses.iter().map(|s| s.to_string()).collect(),
        );
        Ok(())
    }

    /// After each pipeline: stop if the shell was killed, run traps for signals that came.
    pub(crate) async fn after_command(&mut self) -> Flow {
        if !self.proc.sys.alive(self.proc.pid) {
            return Err(Ctl::Exit);
        }
        let mut sigs = std::mem::take(&mut self.pending_signals);
        while let Some(sig) = self.proc.take_signal() {
            sigs.push(sig);
        }
        for sig in sigs {
            let handler = self.st.traps.get(sig.name()).cloned();
            match handler {
                Some(h) if !h.is_empty() => {
                    self.run_trap(&h).await?;
                }
                Some(_) => {}
                None => {
                    if sig == Signal::Int && self.st.mode == Mode::Interactive {
                        continue;
                    }
                    // Trapped by default only in an interactive shell; otherwise the signal
                    // ends us as it would have.
                    self.st.status = 128 + sig.number();
                    return Err(Ctl::Exit);
                }
            }
        }
        self.st.busy += 1;
        if self.st.busy >= 4096 {
            self.st.busy = 0;
            // Let the rest of the lab run (and Ctrl-C reach us) in a long busy loop.
            self.proc.sleep(Duration::from_nanos(1)).await;
        }
        Ok(())
    }

    /// `set -e` and the ERR trap, after a pipeline that failed outside a condition.
    async fn check_errexit(&mut self, p: &Pipeline) -> Flow {
        if self.st.status == 0 || self.st.errexit_off > 0 {
            return Ok(());
        }
        // A compound command's failure came from a command inside it, which was checked.
        if p.commands.len() == 1
            && matches!(
                p.commands[0].kind,
                CommandKind::Group(_)
                    | CommandKind::If { .. }
                    | CommandKind::Loop { .. }
                    | CommandKind::For { .. }
                    | CommandKind::ArithFor { .. }
                    | CommandKind::Case { .. }
            )
        {
            return Ok(());
        }
        // The ERR trap is not inherited by functions (without `set -E`).
        let inherited = self.st.func_depth == 0 || self.st.opts.errtrace;
        if let Some(h) = self.st.traps.get("ERR").cloned().filter(|_| inherited) {
            if !h.is_empty() && !self.st.in_trap {
                let status = self.st.status;
                self.run_trap(&h).await?;
                self.st.status = status;
            }
        }
        if self.st.opts.errexit {
            return Err(Ctl::Exit);
        }
        Ok(())
    }

    /// Runs a trap's command text, keeping `$?`.
    pub(crate) async fn run_trap(&mut self, text: &str) -> Flow {
        let status = self.st.status;
        let was = self.st.in_trap;
        self.st.in_trap = true;
        let saved_line = self.st.lineno;
        self.st.in_eval += 1;
        let r = self.run_text(text, self.st.lineno).await;
        self.st.in_eval -= 1;
        self.st.in_trap = was;
        self.st.lineno = saved_line;
        match r {
            Err(Ctl::Exit) => return Err(Ctl::Exit),
            Err(Ctl::Exec(e)) => return Err(Ctl::Exec(e)),
            _ => {}
        }
        self.st.status = status;
        Ok(())
    }

    pub(crate) async fn run_exit_trap(&mut self) {
        if let Some(h) = self.st.traps.remove("EXIT") {
            if !h.is_empty() {
                let status = self.st.status;
                let r = self.run_trap(&h).await;
                if r.is_ok() {
                    self.st.status = status;
                }
            }
        }
    }

    // --- commands --------------------------------------------------------------------------------

    pub(crate) fn run_command<'a>(&'a mut self, cmd: &'a Command) -> Lbf<'a, Flow> {
        Box::pin(async move {
            match &cmd.kind {
                CommandKind::Simple { .. } => self.run_simple(cmd, false).await,
                CommandKind::Function { name, body } => {
                    self.st.lineno = cmd.line;
                    self.st.funcs.insert(name.clone(), body.clone());
                    self.st.status = 0;
                    Ok(())
                }
                kind => {
                    self.st.lineno = cmd.line;
                    let saved = self.st.fds.clone();
                    let mut fds = self.st.fds.clone();
                    match self.apply_redirs(&cmd.redirs, &mut fds).await {
                        Ok(true) => {}
                        Ok(false) => {
                            self.st.status = 1;
                            self.procsubs.clear();
                            return Ok(());
                        }
                        Err(e) => return Err(e),
                    }
                    self.add_procsubs(&mut fds);
                    self.procsubs.clear();
                    self.st.fds = fds;
                    let r = self.run_compound(kind).await;
                    self.st.fds = saved;
                    r
                }
            }
        })
    }

    async fn run_compound(&mut self, kind: &CommandKind) -> Flow {
        match kind {
            CommandKind::Group(l) => self.run_list(l).await,
            CommandKind::Subshell(l) => {
                let l = l.clone();
                let fds = self.st.fds.clone();
                let pid = self.fork_with(fds, move |mut sh| {
                    Box::pin(async move {
                        let r = sh.run_list(&l).await;
                        let r = match r {
                            Err(Ctl::Abort) | Err(Ctl::Return) => Ok(()),
                            other => other,
                        };
                        sh.finish(r).await
                    })
                });
                self.st.status = self.wait_fg(pid, None).await;
                Ok(())
            }
            CommandKind::If { arms, otherwise } => {
                for (cond, body) in arms {
                    self.st.errexit_off += 1;
                    let r = self.run_list(cond).await;
                    self.st.errexit_off -= 1;
                    r?;
                    if self.st.status == 0 {
                        return self.run_list(body).await;
                    }
                }
                match otherwise {
                    Some(b) => self.run_list(b).await,
                    None => {
                        self.st.status = 0;
                        Ok(())
                    }
                }
            }
            CommandKind::Loop { until, cond, body } => {
                let mut last = 0;
                self.st.loop_depth += 1;
                let r = loop {
                    self.st.errexit_off += 1;
                    let r = self.run_list(cond).await;
                    self.st.errexit_off -= 1;
                    match self.loop_ctl(r) {
                        LoopStep::Next => {}
                        LoopStep::Stop => break Ok(()),
                        LoopStep::Leave(e) => break Err(e),
                        LoopStep::Skip => continue,
                    }
                    if (self.st.status == 0) == *until {
                        break Ok(());
                    }
                    let r = self.run_list(body).await;
                    last = self.st.status;
                    match self.loop_ctl(r) {
                        LoopStep::Next | LoopStep::Skip => {}
                        LoopStep::Stop => break Ok(()),
                        LoopStep::Leave(e) => break Err(e),
                    }
                    self.yield_sometimes().await;
                };
                self.st.loop_depth -= 1;
                r?;
                self.st.status = last;
                Ok(())
            }
            CommandKind::For {
                var,
                words,
                text,
                body,
            } => {
                let items = match words {
                    Some(ws) => self.expand_words(ws).await?,
                    None => self.st.positional.clone(),
                };
                let shown = match words {
                    Some(_) => format!("for {var} in {text}"),
                    None => format!("for {var} in \"$@\""),
                };
                let mut last = 0;
                self.st.loop_depth += 1;
                let mut r = Ok(());
                for it in items {
                    if self.st.opts.xtrace {
                        self.xtrace_raw(&shown);
                    }
                    if let Err(m) = self.st.set(var, it) {
                        self.error(&m);
                        self.st.status = 1;
                        r = Err(Ctl::Abort);
                        break;
                    }
                    let br = self.run_list(body).await;
                    last = self.st.status;
                    match self.loop_ctl(br) {
                        LoopStep::Next | LoopStep::Skip => {}
                        LoopStep::Stop => break,
                        LoopStep::Leave(e) => {
                            r = Err(e);
                            break;
                        }
                    }
                    self.yield_sometimes().await;
                }
                self.st.loop_depth -= 1;
                r?;
                self.st.status = last;
                Ok(())
            }
            CommandKind::ArithFor {
                init,
                cond,
                step,
                body,
            } => {
                let init = self.expand_arith_text(init).await?;
                self.arith(&init)?;
                let mut last = 0;
                self.st.loop_depth += 1;
                let r = loop {
                    let c = match self.expand_arith_text(cond).await {
                        Ok(c) => c,
                        Err(e) => break Err(e),
                    };
                    let v = if c.trim().is_empty() {
                        1
                    } else {
                        match self.arith(&c) {
                            Ok(v) => v,
                            Err(e) => break Err(e),
                        }
                    };
                    if v == 0 {
                        break Ok(());
                    }
                    let br = self.run_list(body).await;
                    last = self.st.status;
                    match self.loop_ctl(br) {
                        LoopStep::Next | LoopStep::Skip => {}
                        LoopStep::Stop => break Ok(()),
                        LoopStep::Leave(e) => break Err(e),
                    }
                    let s = match self.expand_arith_text(step).await {
                        Ok(s) => s,
                        Err(e) => break Err(e),
                    };
                    if let Err(e) = self.arith(&s) {
                        break Err(e);
                    }
                    self.yield_sometimes().await;
                };
                self.st.loop_depth -= 1;
                r?;
                self.st.status = last;
                Ok(())
            }
            CommandKind::Case { word, text, arms } => {
                let w = self.expand_string(word).await?;
                if self.st.opts.xtrace {
                    self.xtrace_raw(&format!("case {text} in"));
                }
                self.st.status = 0;
                let mut i = 0;
                let mut fall = false;
                while i < arms.len() {
                    let arm = &arms[i];
                    let mut hit = fall;
                    if !hit {
                        for p in &arm.patterns {
                            let pat = self.expand_pattern(p).await?;
                            if pat.matches(&w) {
                                hit = true;
                                break;
                            }
                        }
                    }
                    if hit {
                        self.run_list(&arm.body).await?;
                        match arm.end {
                            CaseEnd::Break => return Ok(()),
                            CaseEnd::FallThrough => fall = true,
                            CaseEnd::Continue => fall = false,
                        }
                    }
                    i += 1;
                }
                Ok(())
            }
            CommandKind::Arith(w) => {
                let text = self.expand_arith_text(w).await?;
                if self.st.opts.xtrace {
                    self.xtrace_raw(&format!("(( {text} ))"));
                }
                let v = self.arith(&text)?;
                self.st.status = i32::from(v == 0);
                Ok(())
            }
            CommandKind::Cond(e) => {
                let r = self.eval_cond(e, false).await?;
                self.st.status = r;
                Ok(())
            }
            CommandKind::Simple { .. } | CommandKind::Function { .. } => Ok(()),
        }
    }

    pub(crate) fn xtrace_raw(&self, text: &str) {
        let ps4 = self.st.get("PS4").unwrap_or_else(|| "+ ".to_string());
        let first: String = ps4.chars().next().map(String::from).unwrap_or_default();
        let rest: String = ps4.chars().skip(1).collect();
        self.write_err(
            format!("{}{rest}{text}\n", first.repeat(self.st.trace_level + 1)).as_bytes(),
        );
    }

    async fn yield_sometimes(&mut self) {
        self.st.busy += 1;
        if self.st.busy >= 4096 {
            self.st.busy = 0;
            self.proc.sleep(Duration::from_nanos(1)).await;
        }
    }

    fn loop_ctl(&mut self, r: Flow) -> LoopStep {
        match r {
            Ok(()) => LoopStep::Next,
            Err(Ctl::Break(n)) => {
                if n > 1 {
                    LoopStep::Leave(Ctl::Break(n - 1))
                } else {
                    LoopStep::Stop
                }
            }
            Err(Ctl::Continue(n)) => {
                if n > 1 {
                    LoopStep::Leave(Ctl::Continue(n - 1))
                } else {
                    LoopStep::Skip
                }
            }
            Err(e) => LoopStep::Leave(e),
        }
    }

    /// Evaluates an arithmetic expression; an error is reported and abandons the command line.
    pub(crate) fn arith(&mut self, expr: &str) -> Result<i64, Ctl> {
        let mut env = ArithVars { sh: self };
        match crate::arith::eval(expr, &mut env) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.error(&e.0);
                self.st.status = 1;
                Err(Ctl::Abort)
            }
        }
    }

    // --- simple commands -------------------------------------------------------------------------

    pub(crate) async fn run_simple(&mut self, cmd: &Command, in_child: bool) -> Flow {
        let r = self.run_simple_inner(cmd, in_child).await;
        // The pipes of process substitutions belong to this command only.
        self.procsubs.clear();
        r
    }

    /// Gives a command the pipes of the process substitutions in its words.
    fn add_procsubs(&self, fds: &mut BTreeMap<u32, FileRef>) {
        for (n, f) in &self.procsubs {
            fds.entry(*n).or_insert_with(|| f.clone());
        }
    }

    async fn run_simple_inner(&mut self, cmd: &Command, in_child: bool) -> Flow {
        let CommandKind::Simple { assigns, words } = &cmd.kind else {
            return Ok(());
        };
        self.st.lineno = cmd.line;
        self.last_subst_status = None;
        let argv = self.expand_command_words(words).await?;
        if argv.is_empty() {
            // Assignments (and redirections) only.
            let mut trace = Vec::new();
            for a in assigns {
                let t = self.do_assign(a, false).await?;
                trace.push(t);
            }
            if self.st.opts.xtrace {
                for t in &trace {
                    self.xtrace_raw(t);
                }
            }
            let mut fds = self.st.fds.clone();
            let ok = self.apply_redirs(&cmd.redirs, &mut fds).await?;
            self.st.status = if !ok {
                1
            } else {
                self.last_subst_status.unwrap_or(0)
            };
            return Ok(());
        }
        // Prefix assignments apply to this command only.
        let mut temp: Vec<(String, String)> = Vec::new();
        let mut trace: Vec<String> = Vec::new();
        for a in assigns {
            let v = self.assign_value(a).await?;
            trace.push(format!("{}={}", a.name, quote_for_trace(&v)));
            temp.push((a.name.clone(), v));
        }
        if self.st.opts.xtrace {
            let mut t: Vec<String> = Vec::new();
            let mut line = trace.join(" ");
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(
                &argv
                    .iter()
                    .map(|w| quote_for_trace(w))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            t.push(line);
            self.xtrace_raw(&t.join(""));
        }
        let name = argv[0].clone();
        if let Some(body) = self.st.funcs.get(&name).cloned() {
            let saved = self.st.fds.clone();
            let mut fds = self.st.fds.clone();
            if !self.apply_redirs(&cmd.redirs, &mut fds).await? {
                self.st.status = 1;
                return Ok(());
            }
            self.add_procsubs(&mut fds);
            self.st.fds = fds;
            let r = self.call_function(body, argv, temp).await;
            self.st.fds = saved;
            return r;
        }
        if crate::builtins::is_builtin(&name) {
            let saved = self.st.fds.clone();
            let mut fds = self.st.fds.clone();
            if !self.apply_redirs(&cmd.redirs, &mut fds).await? {
                self.st.status = 1;
                return Ok(());
            }
            self.add_procsubs(&mut fds);
            self.st.fds = fds;
            // Temporary assignments.
            let mut restore: Vec<(String, Option<Var>)> = Vec::new();
            for (k, v) in &temp {
                restore.push((k.clone(), self.st.vars.get(k).cloned()));
                if let Err(m) = self.st.set(k, v.clone()) {
                    self.error(&m);
                }
            }
            let r = self.run_builtin(&argv).await;
            for (k, old) in restore.into_iter().rev() {
                match old {
                    Some(v) => {
                        self.st.vars.insert(k, v);
                    }
                    None => {
                        self.st.vars.remove(&k);
                    }
                }
            }
            if self.keep_fds {
                self.keep_fds = false;
            } else {
                self.st.fds = saved;
            }
            return r;
        }
        // An external command.
        let mut env = self.st.env();
        for (k, v) in temp {
            env.insert(k, v);
        }
        let mut fds = self.st.fds.clone();
        if !self.apply_redirs(&cmd.redirs, &mut fds).await? {
            self.st.status = 1;
            return Ok(());
        }
        self.add_procsubs(&mut fds);
        self.procsubs.clear();
        let argv = match self.resolve_program(argv, &fds) {
            Ok(a) => a,
            Err(code) => {
                self.st.status = code;
                return Ok(());
            }
        };
        if in_child {
            return Err(Ctl::Exec(Box::new(ExecReq { argv, env, fds })));
        }
        let spec = SpawnSpec {
            argv: argv.clone(),
            env,
            cwd: self.st.cwd.clone(),
            netns: self.proc.netns,
            fds,
            pgid: Some(self.proc.sys.pgid(self.proc.pid).unwrap_or(self.proc.pid)),
        };
        match self.proc.spawn(spec) {
            Ok(pid) => {
                let text = argv.join(" ");
                self.st.status = self.wait_fg(pid, Some(&text)).await;
            }
            Err(_) => {
                self.st.status = 127;
            }
        }
        Ok(())
    }

    /// Checks that `argv[0]` names a program. A path names a lab program by its last
    /// component, or a script file run by bash. On failure prints bash's message (to the
    /// command's own stderr) and gives the status.
    pub(crate) fn resolve_program(
        &self,
        argv: Vec<String>,
        fds: &BTreeMap<u32, FileRef>,
    ) -> Result<Vec<String>, i32> {
        let name = argv[0].clone();
        if self.proc.has_program(&name) && !name.contains('/') {
            return Ok(argv);
        }
        if name.contains('/') {
            let base = name.rsplit('/').next().unwrap_or("");
            match self.proc.sys.stat(&self.st.cwd, &name, self.proc.netns) {
                Some(true) => {
                    self.msg_to(fds, &format!("{name}: Is a directory"));
                    return Err(126);
                }
                Some(false) => {
                    if self.proc.has_program(base) && is_system_dir(&name) {
                        return Ok(argv);
                    }
                    if let tsunagi_lab::VPath::Real(p) =
                        tsunagi_lab::VPath::resolve(&self.st.cwd, &name)
                    {
                        use std::os::unix::fs::PermissionsExt;
                        let exec = std::fs::metadata(&p)
                            .map(|m| m.permissions().mode() & 0o111 != 0)
                            .unwrap_or(false);
                        if !exec {
                            self.msg_to(fds, &format!("{name}: Permission denied"));
                            return Err(126);
                        }
                    }
                    // A script: run it with its `#!` interpreter (bash without one).
                    let mut a = match self.shebang(&name) {
                        Some(interp) => {
                            let prog = interp.first().cloned().unwrap_or_default();
                            if !self.proc.has_program(&prog) {
                                self.msg_to(
                                    fds,
                                    &format!("{name}: cannot execute: required file not found"),
                                );
                                return Err(127);
                            }
                            interp
                        }
                        None => vec!["bash".to_string()],
                    };
                    a.extend(argv);
                    return Ok(a);
                }
                None => {
                    if !base.is_empty() && self.proc.has_program(base) && is_system_dir(&name) {
                        return Ok(argv);
                    }
                    self.msg_to(fds, &format!("{name}: No such file or directory"));
                    return Err(127);
                }
            }
        }
        self.command_not_found(&name, Some(fds));
        Err(127)
    }

    /// The interpreter named by a script's `#!` line, as a lab program and its arguments
    /// (`#!/usr/bin/env python3` gives `python3`).
    fn shebang(&self, path: &str) -> Option<Vec<String>> {
        let tsunagi_lab::VPath::Real(p) = tsunagi_lab::VPath::resolve(&self.st.cwd, path) else {
            return None;
        };
        let mut f = std::fs::File::open(p).ok()?;
        let mut buf = [0u8; 256];
        let n = std::io::Read::read(&mut f, &mut buf).ok()?;
        let head = String::from_utf8_lossy(&buf[..n]).into_owned();
        let line = head.lines().next()?.strip_prefix("#!")?.trim().to_string();
        let mut words = line.split_whitespace();
        let interp = words.next()?;
        let base = interp.rsplit('/').next().unwrap_or(interp).to_string();
        let rest: Vec<String> = words.map(str::to_string).collect();
        if base == "env" {
            let mut it = rest.into_iter().filter(|w| !w.starts_with('-'));
            let prog = it.next()?;
            let mut v = vec![prog];
            v.extend(it);
            return Some(v);
        }
        let base = if base == "dash" {
            "sh".to_string()
        } else {
            base
        };
        let mut v = vec![base];
        // Linux passes the rest of the line as one argument.
        if !rest.is_empty() {
            v.push(rest.join(" "));
        }
        Some(v)
    }

    fn msg_to(&self, fds: &BTreeMap<u32, FileRef>, msg: &str) {
        if let Some(f) = fds.get(&2) {
            let _ = f.write(format!("{}{msg}\n", self.prefix()).as_bytes());
        }
    }

    /// Waits for a foreground child and reports a death by signal as bash does.
    pub(crate) async fn wait_fg(&mut self, pid: Pid, text: Option<&str>) -> i32 {
        let st = self.wait_child(pid).await;
        if let ExitStatus::Signaled(sig) = st {
            match sig {
                Signal::Int | Signal::Pipe => {}
                Signal::Term => self.write_err(b"Terminated\n"),
                _ => {
                    if let Some(t) = text {
                        let line = format!(
                            "{}{:>5} {:<24}{}\n",
                            self.prefix(),
                            pid.0,
                            signal_desc(sig),
                            t
                        );
                        self.write_err(line.as_bytes());
                    } else {
                        self.write_err(format!("{}\n", signal_desc(sig)).as_bytes());
                    }
                }
            }
        }
        st.code()
    }

    /// Waits for a foreground child as bash does with SIGINT ("wait and cooperative exit"):
    /// a Ctrl-C that arrives meanwhile ends the shell only if it ended the child too; a child
    /// that handled it (ping printing its summary) lets the script go on.
    pub(crate) async fn wait_child(&mut self, pid: Pid) -> ExitStatus {
        let own = self.st.traps.contains_key("INT") || self.st.mode == Mode::Interactive;
        if !own {
            self.proc.trap(Signal::Int);
        }
        let st = self.proc.wait(pid).await;
        if !own {
            self.proc.untrap(Signal::Int);
            let mut got_int = false;
            while let Some(sig) = self.proc.take_signal() {
                if sig == Signal::Int {
                    got_int = true;
                } else {
                    self.pending_signals.push(sig);
                }
            }
            if got_int && st == ExitStatus::Signaled(Signal::Int) {
                let _ = self.proc.sys.kill(self.proc.pid, Signal::Int);
            }
        }
        st
    }

    async fn call_function(
        &mut self,
        body: Rc<Command>,
        argv: Vec<String>,
        temp: Vec<(String, String)>,
    ) -> Flow {
        if self.st.func_depth >= MAX_FUNC_DEPTH {
            self.error(&format!(
                "{}: maximum function nesting level exceeded ({MAX_FUNC_DEPTH})",
                argv[0]
            ));
            self.st.status = 1;
            return Err(Ctl::Abort);
        }
        let saved_pos = std::mem::replace(&mut self.st.positional, argv[1..].to_vec());
        self.st.scopes.push(BTreeMap::new());
        for (k, v) in temp {
            self.st.make_local(&k);
            self.st.export(&k);
            let _ = self.st.set(&k, v);
        }
        let return_trap = self.st.traps.get("RETURN").cloned();
        let saved_funcname = self.st.vars.get("FUNCNAME").cloned();
        let mut names = self.st.array("FUNCNAME");
        if names.is_empty() && !matches!(self.st.mode, Mode::Interactive) {
            names.push("main".to_string());
        }
        names.insert(0, argv[0].clone());
        let _ = self.st.set_array("FUNCNAME", names);
        self.st.func_depth += 1;
        let r = self.run_command(&body).await;
        self.st.func_depth -= 1;
        match saved_funcname {
            Some(v) => {
                self.st.vars.insert("FUNCNAME".to_string(), v);
            }
            None => {
                self.st.vars.remove("FUNCNAME");
            }
        }
        // A RETURN trap set while the function ran fires as it returns.
        if let Some(h) = self.st.traps.get("RETURN").cloned() {
            if return_trap.as_ref() != Some(&h) && !h.is_empty() {
                let _ = self.run_trap(&h).await;
            }
        }
        self.st.pop_scope();
        self.st.positional = saved_pos;
        match r {
            Err(Ctl::Return) => Ok(()),
            other => other,
        }
    }

    /// Performs an assignment word in the shell; gives its `set -x` text.
    pub(crate) async fn do_assign(&mut self, a: &Assign, local: bool) -> Result<String, Ctl> {
        if local {
            self.st.make_local(&a.name);
        }
        let r = match &a.value {
            AssignValue::Array(items) => {
                // Elements may be `[key]=value`.
                let mut keyed: Vec<(Option<String>, String)> = Vec::new();
                for w in items {
                    match split_keyed(w) {
                        Some((kw, vw)) => {
                            let k = self.expand_string(&kw).await?;
                            let v = self.expand_string(&vw).await?;
                            keyed.push((Some(k), v));
                        }
                        None => {
                            for v in self.expand_words(std::slice::from_ref(w)).await? {
                                keyed.push((None, v));
                            }
                        }
                    }
                }
                let trace = format!(
                    "{}=({})",
                    a.name,
                    keyed
                        .iter()
                        .map(|(k, v)| match k {
                            Some(k) => format!("[{k}]={}", quote_for_trace(v)),
                            None => quote_for_trace(v),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                let assoc = self.st.is_assoc(&a.name);
                let r = if assoc {
                    if !a.append {
                        if let Some(v) = self.st.vars.get_mut(&a.name) {
                            v.value = Some(crate::state::Value::Assoc(Vec::new()));
                        }
                    }
                    let mut r = Ok(());
                    for (k, v) in keyed {
                        let k = k.unwrap_or_else(|| "0".to_string());
                        r = r.and(self.st.assoc_set(&a.name, &k, v));
                    }
                    r
                } else {
                    let mut r = if a.append {
                        Ok(())
                    } else {
                        self.st.set_array(&a.name, Vec::new())
                    };
                    let mut next = if a.append {
                        self.st
                            .keys(&a.name)
                            .iter()
                            .filter_map(|k| k.parse::<i64>().ok())
                            .max()
                            .map(|m| m + 1)
                            .unwrap_or(0)
                    } else {
                        0
                    };
                    for (k, v) in keyed {
                        let i = match k {
                            Some(k) => self.arith(&k)?,
                            None => next,
                        };
                        next = i + 1;
                        r = r.and(self.st.set_index(&a.name, i, v));
                    }
                    r
                };
                r.map(|_| trace)
            }
            AssignValue::Scalar(w) => {
                let mut v = self.expand_assign_word(w).await?;
                let integer = self.st.vars.get(&a.name).is_some_and(|v| v.integer);
                if integer {
                    let cur = if a.append {
                        self.st.get(&a.name).unwrap_or_default()
                    } else {
                        String::new()
                    };
                    let expr = if a.append && !cur.is_empty() {
                        format!("{cur}+({v})")
                    } else {
                        v.clone()
                    };
                    v = self.arith(&expr)?.to_string();
                } else if a.append {
                    let cur = match &a.index {
                        Some(_) => String::new(),
                        None => self.st.get(&a.name).unwrap_or_default(),
                    };
                    v = format!("{cur}{v}");
                }
                match &a.index {
                    Some(iw) if self.st.is_assoc(&a.name) => {
                        let key = self.expand_string(iw).await?;
                        let v2 = if a.append {
                            format!(
                                "{}{}",
                                self.st.assoc_get(&a.name, &key).unwrap_or_default(),
                                v
                            )
                        } else {
                            v.clone()
                        };
                        self.st
                            .assoc_set(&a.name, &key, v2.clone())
                            .map(|_| format!("{}[{key}]={}", a.name, quote_for_trace(&v2)))
                    }
                    Some(iw) => {
                        let t = self.expand_arith_text(iw).await?;
                        let i = self.arith(&t)?;
                        let v2 = if a.append {
                            format!("{}{}", self.st.array_get(&a.name, i).unwrap_or_default(), v)
                        } else {
                            v.clone()
                        };
                        self.st
                            .set_index(&a.name, i, v2.clone())
                            .map(|_| format!("{}[{i}]={}", a.name, quote_for_trace(&v2)))
                    }
                    None => {
                        let trace = format!("{}={}", a.name, quote_for_trace(&v));
                        self.st.set(&a.name, v).map(|_| trace)
                    }
                }
            }
        };
        match r {
            Ok(t) => Ok(t),
            Err(m) => {
                self.error(&m);
                self.st.status = 1;
                Err(Ctl::Abort)
            }
        }
    }

    /// The value of a prefix assignment (`A=1 cmd`).
    async fn assign_value(&mut self, a: &Assign) -> Result<String, Ctl> {
        match &a.value {
            AssignValue::Scalar(w) => self.expand_assign_word(w).await,
            AssignValue::Array(items) => Ok(self.expand_words(items).await?.join(" ")),
        }
    }

    // --- redirections ----------------------------------------------------------------------------

    /// Applies redirections to `fds`. `Ok(false)`: one failed (message printed), the command
    /// must not run and its status is 1.
    pub(crate) async fn apply_redirs(
        &mut self,
        redirs: &[Redir],
        fds: &mut BTreeMap<u32, FileRef>,
    ) -> Result<bool, Ctl> {
        for r in redirs {
            let default_fd = match r.op {
                RedirOp::In
                | RedirOp::ReadWrite
                | RedirOp::DupIn
                | RedirOp::HereDoc
                | RedirOp::HereString => 0,
                _ => 1,
            };
            let fd = r.fd.unwrap_or(default_fd);
            match (&r.op, &r.target) {
                (RedirOp::HereDoc, RedirTarget::Here(hd)) => {
                    let body = hd.body.borrow().clone();
                    let text = if hd.quoted {
                        body
                    } else {
                        self.expand_heredoc(&body, hd.line).await?
                    };
                    let (rd, wr) = Pipe::new_pair();
                    let _ = wr.write(text.as_bytes());
                    drop(wr);
                    fds.insert(fd, rd);
                }
                (RedirOp::HereString, RedirTarget::Word(w)) => {
                    let mut text = self.expand_string(w).await?;
                    text.push('\n');
                    let (rd, wr) = Pipe::new_pair();
                    let _ = wr.write(text.as_bytes());
                    drop(wr);
                    fds.insert(fd, rd);
                }
                (RedirOp::DupIn | RedirOp::DupOut, RedirTarget::Word(w)) => {
                    let t = self.expand_string(w).await?;
                    if t == "-" {
                        fds.remove(&fd);
                        continue;
                    }
                    let (num, close) = match t.strip_suffix('-') {
                        Some(n) => (n, true),
                        None => (t.as_str(), false),
                    };
                    match num.parse::<u32>() {
                        Ok(src) => match fds.get(&src).cloned() {
                            Some(f) => {
                                fds.insert(fd, f);
                                if close {
                                    fds.remove(&src);
                                }
                            }
                            None => {
                                self.error(&format!("{src}: Bad file descriptor"));
                                return Ok(false);
                            }
                        },
                        Err(_) if r.op == RedirOp::DupOut && r.fd.is_none() => {
                            // `>&file`: stdout and stderr to a file.
                            match self.open_target(&t, OpenMode::WRITE, fds) {
                                Some(f) => {
                                    fds.insert(1, f.clone());
                                    fds.insert(2, f);
                                }
                                None => return Ok(false),
                            }
                        }
                        Err(_) => {
                            self.error(&format!("{t}: ambiguous redirect"));
                            return Ok(false);
                        }
                    }
                }
                (op, RedirTarget::Word(w)) => {
                    let Some(path) = self.redir_target(w).await? else {
                        return Ok(false);
                    };
                    if self.st.opts.noclobber
                        && matches!(op, RedirOp::Out | RedirOp::OutErr)
                        && self.proc.sys.stat(&self.st.cwd, &path, self.proc.netns) == Some(false)
                        && !matches!(
                            tsunagi_lab::VPath::resolve(&self.st.cwd, &path),
                            tsunagi_lab::VPath::Null
                        )
                    {
                        self.error(&format!("{path}: cannot overwrite existing file"));
                        return Ok(false);
                    }
                    let mode = match op {
                        RedirOp::In => OpenMode::READ,
                        RedirOp::Out | RedirOp::Clobber | RedirOp::OutErr => OpenMode::WRITE,
                        RedirOp::Append | RedirOp::AppendErr => OpenMode::APPEND,
                        RedirOp::ReadWrite => OpenMode {
                            read: true,
                            write: true,
                            append: false,
                            create: true,
                            truncate: false,
                        },
                        _ => OpenMode::READ,
                    };
                    let Some(f) = self.open_target(&path, mode, fds) else {
                        return Ok(false);
                    };
                    if matches!(op, RedirOp::OutErr | RedirOp::AppendErr) {
                        fds.insert(1, f.clone());
                        fds.insert(2, f);
                    } else {
                        fds.insert(fd, f);
                    }
                }
                (_, RedirTarget::Here(_)) => {}
            }
        }
        Ok(true)
    }

    fn open_target(
        &self,
        path: &str,
        mode: OpenMode,
        fds: &BTreeMap<u32, FileRef>,
    ) -> Option<FileRef> {
        // bash itself gives these names their meaning in redirections.
        let fd = match path {
            "/dev/stdin" => Some(0),
            "/dev/stdout" => Some(1),
            "/dev/stderr" => Some(2),
            p => p
                .strip_prefix("/dev/fd/")
                .and_then(|n| n.parse::<u32>().ok()),
        };
        if let Some(f) = fd.and_then(|n| fds.get(&n)) {
            return Some(f.clone());
        }
        if let Some((_, f)) = fd.and_then(|n| self.procsubs.iter().find(|(k, _)| *k == n)) {
            return Some(f.clone());
        }
        match self
            .proc
            .sys
            .open(&self.st.cwd, path, mode, self.proc.netns)
        {
            Ok(f) => Some(f),
            Err(e) => {
                self.error(&format!("{path}: {e}"));
                None
            }
        }
    }

    /// Expands a redirection's target word: exactly one field, or "ambiguous redirect".
    async fn redir_target(&mut self, w: &Word) -> Result<Option<String>, Ctl> {
        let fields = self.expand_words(std::slice::from_ref(w)).await?;
        if fields.len() != 1 {
            let raw = word_source(w);
            self.error(&format!("{raw}: ambiguous redirect"));
            return Ok(None);
        }
        Ok(fields.into_iter().next())
    }

    /// Evaluates a `[[ ]]` expression: 0 true, 1 false, 2 error. With `set -x`, each
    /// primary is traced as bash does (`[[ -n a b ]]`, `[[ ! -f x ]]`).
    fn eval_cond<'a>(&'a mut self, e: &'a CondExpr, negated: bool) -> Lbf<'a, Result<i32, Ctl>> {
        Box::pin(async move {
            let bang = if negated { "! " } else { "" };
            Ok(match e {
                CondExpr::And(a, b) => {
                    let l = self.eval_cond(a, false).await?;
                    if l != 0 {
                        l
                    } else {
                        self.eval_cond(b, false).await?
                    }
                }
                CondExpr::Or(a, b) => {
                    let l = self.eval_cond(a, false).await?;
                    if l == 0 {
                        0
                    } else {
                        self.eval_cond(b, false).await?
                    }
                }
                CondExpr::Not(a) => {
                    let r = self.eval_cond(a, !negated).await?;
                    if r == 2 {
                        2
                    } else {
                        i32::from(r == 0)
                    }
                }
                CondExpr::Word(w) => {
                    let s = self.expand_string(w).await?;
                    if self.st.opts.xtrace {
                        self.xtrace_raw(&format!("[[ {bang}-n {s} ]]"));
                    }
                    i32::from(s.is_empty())
                }
                CondExpr::Unary(op, w) => {
                    let s = self.expand_string(w).await?;
                    if self.st.opts.xtrace {
                        self.xtrace_raw(&format!("[[ {bang}{op} {s} ]]"));
                    }
                    if op == "-v" {
                        i32::from(!self.st.is_set(&s))
                    } else {
                        let t = crate::test::Tester {
                            sys: &self.proc.sys,
                            cwd: &self.st.cwd,
                            netns: self.proc.netns,
                            fds: &self.st.fds,
                        };
                        i32::from(!t.unary(op, &s))
                    }
                }
                CondExpr::Binary(l, op, r) => {
                    let ls = self.expand_string(l).await?;
                    match op.as_str() {
                        "==" | "=" | "!=" => {
                            let pat = self.expand_pattern(r).await?;
                            if self.st.opts.xtrace {
                                let shown = self.pattern_text(r).await?;
                                self.xtrace_raw(&format!("[[ {bang}{ls} {op} {shown} ]]"));
                            }
                            let m = pat.matches(&ls);
                            i32::from(m == (op == "!="))
                        }
                        "=~" => {
                            let re = self.expand_regex_word(r).await?;
                            if self.st.opts.xtrace {
                                self.xtrace_raw(&format!("[[ {bang}{ls} {op} {re} ]]"));
                            }
                            match crate::regex::Regex::new(&re, true, false) {
                                Ok(rx) => match rx.captures(&ls) {
                                    Some(caps) => {
                                        let _ = self.st.set_array("BASH_REMATCH", caps);
                                        0
                                    }
                                    None => {
                                        let _ = self.st.set_array("BASH_REMATCH", Vec::new());
                                        1
                                    }
                                },
                                Err(_) => 2,
                            }
                        }
                        _ => {
                            let rs = self.expand_string(r).await?;
                            if self.st.opts.xtrace {
                                self.xtrace_raw(&format!("[[ {bang}{ls} {op} {rs} ]]"));
                            }
                            match op.as_str() {
                                "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                                    let a = self.arith(&ls)?;
                                    let b = self.arith(&rs)?;
                                    let t = match op.as_str() {
                                        "-eq" => a == b,
                                        "-ne" => a != b,
                                        "-lt" => a < b,
                                        "-le" => a <= b,
                                        "-gt" => a > b,
                                        _ => a >= b,
                                    };
                                    i32::from(!t)
                                }
                                "<" => i32::from(ls >= rs),
                                ">" => i32::from(ls <= rs),
                                _ => {
                                    let t = crate::test::Tester {
                                        sys: &self.proc.sys,
                                        cwd: &self.st.cwd,
                                        netns: self.proc.netns,
                                        fds: &self.st.fds,
                                    };
                                    match t.binary(&ls, op, &rs) {
                                        Ok(b) => i32::from(!b),
                                        Err(_) => 2,
                                    }
                                }
                            }
                        }
                    }
                }
            })
        })
    }
}

enum LoopStep {
    Next,
    Skip,
    Stop,
    Leave(Ctl),
}

/// Arithmetic's view of the shell's variables.
struct ArithVars<'a> {
    sh: &'a mut Shell,
}

impl crate::arith::ArithEnv for ArithVars<'_> {
    fn get_var(&mut self, name: &str) -> Option<String> {
        if let Some((n, idx)) = name.split_once('[') {
            let idx = idx.trim_end_matches(']');
            let i = crate::arith::eval(idx, self).unwrap_or(0);
            return self.sh.st.array_get(n, i);
        }
        self.sh.special_or_var(name)
    }
    fn set_var(&mut self, name: &str, value: i64) -> Result<(), String> {
        if let Some((n, idx)) = name.split_once('[') {
            let idx = idx.trim_end_matches(']');
            let i = crate::arith::eval(idx, self).map_err(|e| e.0)?;
            return self.sh.st.set_index(n, i, value.to_string());
        }
        self.sh.st.set(name, value.to_string())
    }
}

fn is_system_dir(path: &str) -> bool {
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    matches!(
        dir,
        "/bin" | "/sbin" | "/usr/bin" | "/usr/sbin" | "/usr/local/bin" | "/usr/local/sbin"
    )
}

/// Splits an array element `[key]=value` into its key and value words.
fn split_keyed(w: &Word) -> Option<(Word, Word)> {
    let WordPart::Lit(first) = w.parts.first()? else {
        return None;
    };
    let rest = first.strip_prefix('[')?;
    // The key ends at the first `]=` in literal text.
    let mut key = Vec::new();
    let mut value = Vec::new();
    let mut found = false;
    let parts =
        std::iter::once(WordPart::Lit(rest.to_string())).chain(w.parts.iter().skip(1).cloned());
    for p in parts {
        if found {
            value.push(p);
            continue;
        }
        match p {
            WordPart::Lit(s) => match s.find("]=") {
                Some(i) => {
                    if i > 0 {
                        key.push(WordPart::Lit(s[..i].to_string()));
                    }
                    if s.len() > i + 2 {
                        value.push(WordPart::Lit(s[i + 2..].to_string()));
                    }
                    found = true;
                }
                None => key.push(WordPart::Lit(s)),
            },
            other => key.push(other),
        }
    }
    found.then_some((Word { parts: key }, Word { parts: value }))
}

/// The text of a word as written (for messages such as "ambiguous redirect").
pub(crate) fn word_source(w: &Word) -> String {
    let mut s = String::new();
    for p in &w.parts {
        match p {
            WordPart::Lit(t) => s.push_str(t),
            WordPart::Quoted(t) => s.push_str(t),
            WordPart::Double(inner) => {
                s.push('"');
                s.push_str(&word_source(&Word {
                    parts: inner.clone(),
                }));
                s.push('"');
            }
            WordPart::Param(p) => {
                if matches!(p.op, ParamOp::Plain) && p.index.is_none() && !p.indirect {
                    s.push('$');
                    s.push_str(&p.name);
                } else {
                    s.push_str("${");
                    s.push_str(&p.name);
                    s.push('}');
                }
            }
            WordPart::Command(_) => s.push_str("$(...)"),
            WordPart::Arith(_) => s.push_str("$((...))"),
            WordPart::ProcSubst { output, .. } => {
                s.push_str(if *output { ">(...)" } else { "<(...)" })
            }
        }
    }
    s
}

/// The text `strsignal` gives, as bash prints it for a killed job.
pub(crate) fn signal_desc(sig: Signal) -> &'static str {
    match sig {
        Signal::Hup => "Hangup",
        Signal::Int => "Interrupt",
        Signal::Quit => "Quit",
        Signal::Kill => "Killed",
        Signal::Usr1 => "User defined signal 1",
        Signal::Usr2 => "User defined signal 2",
        Signal::Pipe => "Broken pipe",
        Signal::Alrm => "Alarm clock",
        Signal::Term => "Terminated",
    }
}

/// How `jobs` describes a job's state.
pub(crate) fn status_word(st: Option<ExitStatus>) -> String {
    match st {
        None => "Running".to_string(),
        Some(ExitStatus::Code(0)) => "Done".to_string(),
        Some(ExitStatus::Code(n)) => format!("Exit {n}"),
        Some(ExitStatus::Signaled(s)) => signal_desc(s).to_string(),
    }
}

/// Quotes a word as `set -x` shows it.
pub(crate) fn quote_for_trace(s: &str) -> String {
    if let Some((head, body)) = s.split_once(crate::parser::COMPOUND_MARK) {
        // A compound assignment given to `declare`: show it as written.
        let elems: Vec<String> = body
            .split(crate::parser::ELEMENT_SEP)
            .map(quote_for_trace)
            .collect();
        return format!("{head}({})", elems.join(" "));
    }
    let needs = s.is_empty()
        || s.chars().enumerate().any(|(i, c)| {
            matches!(
                c,
                ' ' | '\t'
                    | '\n'
                    | '\''
                    | '"'
                    | '\\'
                    | '|'
                    | '&'
                    | ';'
                    | '('
                    | ')'
                    | '<'
                    | '>'
                    | '!'
                    | '{'
                    | '}'
                    | '*'
                    | '['
                    | '?'
                    | ']'
                    | '^'
                    | '$'
                    | '`'
            ) || (i == 0 && (c == '~' || c == '#'))
                || c.is_control()
        });
    if !needs {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn set_short_option(o: &mut Options, c: char, on: bool) -> bool {
    match c {
        'e' => o.errexit = on,
        'u' => o.nounset = on,
        'x' => o.xtrace = on,
        'f' => o.noglob = on,
        'n' => o.noexec = on,
        'v' => o.verbose = on,
        'a' => o.allexport = on,
        'C' => o.noclobber = on,
        'E' => o.errtrace = on,
        'h' | 'B' | 'H' | 'm' | 'b' | 'k' | 'p' | 't' | 'P' | 'T' => {}
        _ => return false,
    }
    true
}

/// `set -o NAME`; false for an unknown name.
pub(crate) fn set_long_option(o: &mut Options, name: &str, on: bool) -> bool {
    match name {
        "errexit" => o.errexit = on,
        "nounset" => o.nounset = on,
        "xtrace" => o.xtrace = on,
        "pipefail" => o.pipefail = on,
        "noglob" => o.noglob = on,
        "noexec" => o.noexec = on,
        "verbose" => o.verbose = on,
        "allexport" => o.allexport = on,
        "noclobber" => o.noclobber = on,
        "errtrace" => o.errtrace = on,
        "braceexpand"
        | "hashall"
        | "interactive-comments"
        | "monitor"
        | "posix"
        | "emacs"
        | "vi"
        | "histexpand"
        | "history"
        | "ignoreeof"
        | "notify"
        | "physical"
        | "privileged"
        | "functrace"
        | "keyword"
        | "onecmd"
        | "nolog" => {}
        _ => return false,
    }
    true
}

/// The long option names and their states, as `set -o` lists them.
pub(crate) fn long_options(o: &Options) -> Vec<(&'static str, bool)> {
    vec![
        ("allexport", o.allexport),
        ("braceexpand", true),
        ("emacs", false),
        ("errexit", o.errexit),
        ("errtrace", o.errtrace),
        ("functrace", false),
        ("hashall", true),
        ("histexpand", false),
        ("history", false),
        ("ignoreeof", false),
        ("interactive-comments", true),
        ("keyword", false),
        ("monitor", false),
        ("noclobber", o.noclobber),
        ("noexec", o.noexec),
        ("noglob", o.noglob),
        ("nolog", false),
        ("notify", false),
        ("nounset", o.nounset),
        ("onecmd", false),
        ("physical", false),
        ("pipefail", o.pipefail),
        ("posix", false),
        ("privileged", false),
        ("verbose", o.verbose),
        ("vi", false),
        ("xtrace", o.xtrace),
    ]
}

/// Expands the words of `src` (read as one simple command) in a sandboxed shell of a
/// throwaway lab: command substitutions are not run and nothing is executed; errors only
/// print. `None` if `src` does not parse as a simple command.
pub fn expand_sandboxed(src: &str) -> Option<Vec<String>> {
    use std::cell::RefCell;
    struct Null;
    impl tsunagi_lab::TerminalSink for Null {
        fn write(&self, _err: bool, _data: &[u8]) {}
    }
    let ast = crate::parse(src).ok()?;
    let first = ast.commands.first()?.items.first()?;
    let cmd = first.and_or.first.commands.first()?.clone();
    let CommandKind::Simple { words, .. } = cmd.kind else {
        return None;
    };
    let lab = tsunagi_lab::Lab::new(tsunagi_lab::LabConfig {
        seed: 0,
        sink: Box::new(Null),
        input: Some(Box::new(std::io::empty())),
    });
    let result: Rc<RefCell<Option<Vec<String>>>> = Rc::new(RefCell::new(None));
    let out = result.clone();
    let sys = lab.sys().clone();
    let spec = SpawnSpec {
        argv: vec!["bash".into()],
        env: BTreeMap::new(),
        cwd: std::path::PathBuf::from("/nonexistent-sandbox"),
        netns: sys.root_ns(),
        fds: BTreeMap::new(),
        pgid: None,
    };
    let pid = sys.spawn_with(
        None,
        spec,
        Box::new(move |proc| {
            Box::pin(async move {
                let opts = Options {
                    noglob: true,
                    ..Default::default()
                };
                let mut st = initial_state(
                    &proc,
                    "bash".into(),
                    "bash".into(),
                    Vec::new(),
                    opts,
                    Mode::Command,
                );
                st.sandbox = true;
                let mut sh = Shell::new(proc, st);
                if let Ok(v) = sh.expand_words(&words).await {
                    *out.borrow_mut() = Some(v);
                }
                0
            })
        }),
    );
    lab.run_until_exit(pid);
    drop(lab);
    let v = result.borrow_mut().take();
    v
}

fn initial_state(
    proc: &Proc,
    name: String,
    arg0: String,
    positional: Vec<String>,
    opts: Options,
    mode: Mode,
) -> State {
    let mut vars = BTreeMap::new();
    for (k, v) in &proc.env {
        if crate::parser::is_name(k) {
            vars.insert(
                k.clone(),
                Var {
                    value: Some(crate::state::Value::Str(v.clone())),
                    exported: true,
                    readonly: false,
                    integer: false,
                },
            );
        }
    }
    let mut st = State {
        vars,
        scopes: Vec::new(),
        funcs: BTreeMap::new(),
        positional,
        arg0,
        name,
        opts,
        status: 0,
        last_bg: None,
        jobs: Vec::new(),
        traps: BTreeMap::new(),
        cwd: proc.cwd.clone(),
        fds: proc.fds.clone(),
        shell_pid: proc.pid,
        mode,
        lineno: 0,
        source_name: None,
        func_depth: 0,
        source_depth: 0,
        loop_depth: 0,
        errexit_off: 0,
        subshell: 0,
        trace_level: 0,
        busy: 0,
        in_trap: false,
        in_eval: 0,
        sandbox: false,
    };
    let shlvl = st
        .get("SHLVL")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0)
        + 1;
    let cwd = proc.cwd.to_string_lossy().into_owned();
    for (k, v, export) in [
        ("SHLVL", shlvl.to_string(), true),
        ("PWD", cwd, true),
        ("IFS", " \t\n".to_string(), false),
        ("PS4", "+ ".to_string(), false),
        ("PS2", "> ".to_string(), false),
        ("OPTIND", "1".to_string(), false),
        ("BASH", "/usr/bin/bash".to_string(), false),
        ("BASH_VERSION", VERSION.to_string(), false),
        ("HOSTNAME", "tsunagi".to_string(), false),
        ("HOSTTYPE", "x86_64".to_string(), false),
        ("OSTYPE", "linux-gnu".to_string(), false),
        ("MACHTYPE", "x86_64-pc-linux-gnu".to_string(), false),
        ("UID", "0".to_string(), false),
        ("EUID", "0".to_string(), false),
        ("PPID", "0".to_string(), false),
    ] {
        let _ = st.set(k, v);
        if export {
            st.export(k);
        }
    }
    if !st.is_set("HOME") {
        let _ = st.set("HOME", "/root".to_string());
    }
    if !st.is_set("PATH") {
        let _ = st.set(
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        );
    }
    for k in ["UID", "EUID", "PPID"] {
        if let Some(v) = st.vars.get_mut(k) {
            v.readonly = true;
        }
    }
    st
}

/// Reads one line (up to `delim`, not included) from `f`, leaving the rest for the next
/// reader. `None` at end of file with nothing read; the flag says whether `delim` was seen.
pub(crate) async fn read_line(f: &FileRef, delim: u8) -> (Option<Vec<u8>>, bool) {
    let mut buf = Vec::new();
    loop {
        let chunk = f.read().await.unwrap_or_default();
        if chunk.is_empty() {
            return (if buf.is_empty() { None } else { Some(buf) }, false);
        }
        if let Some(i) = chunk.iter().position(|&b| b == delim) {
            buf.extend_from_slice(&chunk[..i]);
            f.unread(&chunk[i + 1..]);
            return (Some(buf), true);
        }
        buf.extend_from_slice(&chunk);
    }
}

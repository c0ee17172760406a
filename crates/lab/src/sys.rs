//! The lab itself: shared state, the system calls programs make, and the driver loop.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::poll_fn;
use std::path::PathBuf;
use std::rc::Rc;
use std::task::{Poll, Waker};

use tsunagi_engine::{BoxFuture, Duration, Executor, Queue, Rng, TaskId, Time, TimerId};
use tsunagi_kernel::{Env, Errno, Kernel, NetEvent, NsId};

use crate::capture::LabCapture;
use crate::fs::DirEntry;
use crate::io::{FileRef, OpenFile, Terminal, TerminalSink};
use crate::proc::{ExitStatus, Pid, Proc, ProgramFn, ProgramOnce, Signal, SpawnSpec};

/// How long executing a program takes before it runs (see [`Sys::spawn`]).
pub const EXEC_TIME: Duration = Duration::from_millis(1);

/// What sits in the event queue.
pub(crate) enum Event {
    /// Wake a task (a sleep ended).
    Wake(Waker),
    /// Something for the kernel (a frame arriving, a kernel timer).
    Net(NetEvent),
}

struct ProcEntry {
    pgid: Pid,
    argv: Vec<String>,
    netns: NsId,
    task: Option<TaskId>,
    status: Option<ExitStatus>,
    waiters: Vec<Waker>,
    trapped: u64,
    /// Signals set to `SIG_IGN`: dropped on arrival, inherited by children and kept across
    /// `exec`, as a disposition of "ignore" is.
    ignored: u64,
    pending: VecDeque<Signal>,
    sig_waiter: Option<Waker>,
}

struct World {
    kernel: Kernel,
    queue: Queue<Event>,
    rng: Rng,
    procs: BTreeMap<Pid, ProcEntry>,
    next_pid: u32,
    /// The lab's own files; `None` marks a directory.
    store: BTreeMap<String, Option<Vec<u8>>>,
    /// Named namespaces, oldest first.
    names: Vec<(String, NsId)>,
    /// The terminal's foreground process group (`tcsetpgrp`): where Ctrl-C goes.
    foreground: Pid,
}

/// The kernel's view of the engine while the world is borrowed.
struct KEnv<'a> {
    queue: &'a mut Queue<Event>,
    rng: &'a mut Rng,
}

impl Env for KEnv<'_> {
    fn now(&self) -> Time {
        self.queue.now()
    }
    fn at(&mut self, t: Time, ev: NetEvent) -> TimerId {
        self.queue.schedule(t, Event::Net(ev))
    }
    fn at_daemon(&mut self, t: Time, ev: NetEvent) -> TimerId {
        self.queue.schedule_daemon(t, Event::Net(ev))
    }
    fn cancel(&mut self, id: TimerId) {
        self.queue.cancel(id)
    }
    fn rng(&mut self) -> &mut Rng {
        self.rng
    }
}

impl World {
    fn split(&mut self) -> (&mut Kernel, KEnv<'_>) {
        (
            &mut self.kernel,
            KEnv {
                queue: &mut self.queue,
                rng: &mut self.rng,
            },
        )
    }
}

struct Shared {
    world: RefCell<World>,
    exec: RefCell<Executor>,
    programs: RefCell<BTreeMap<String, ProgramFn>>,
    terminal: Rc<Terminal>,
    /// Futures of killed processes, dropped when nothing is borrowed.
    graveyard: RefCell<Vec<BoxFuture>>,
    /// The lab-wide capture, when on.
    capture: RefCell<Option<LabCapture>>,
}

/// A handle on the lab that programs hold; cheap to clone.
#[derive(Clone)]
pub struct Sys(Rc<Shared>);

/// How to build a lab.
pub struct LabConfig {
    pub seed: u64,
    pub sink: Box<dyn TerminalSink>,
    /// Where terminal input comes from when a program reads it; `None`: fed by the caller.
    pub input: Option<Box<dyn std::io::Read>>,
}

/// A lab and its driver.
pub struct Lab {
    sys: Sys,
}

const DEFAULT_HOSTS: &str = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n";

impl Lab {
    pub fn new(config: LabConfig) -> Lab {
        let mut rng = Rng::new(config.seed);
        let mut queue = Queue::new();
        let kernel = Kernel::new(&mut KEnv {
            queue: &mut queue,
            rng: &mut rng,
        });
        let mut store = BTreeMap::new();
        store.insert(
            "/etc/hosts".to_string(),
            Some(DEFAULT_HOSTS.as_bytes().to_vec()),
        );
        store.insert("/etc/resolv.conf".to_string(), Some(Vec::new()));
        let world = World {
            kernel,
            queue,
            rng,
            procs: BTreeMap::new(),
            next_pid: 1,
            store,
            names: Vec::new(),
            foreground: Pid(1),
        };
        let terminal = Rc::new(Terminal::new(config.sink, config.input));
        Lab {
            sys: Sys(Rc::new(Shared {
                world: RefCell::new(world),
                exec: RefCell::new(Executor::new()),
                programs: RefCell::new(BTreeMap::new()),
                terminal,
                graveyard: RefCell::new(Vec::new()),
                capture: RefCell::new(None),
            })),
        }
    }

    pub fn sys(&self) -> &Sys {
        &self.sys
    }

    /// Makes a program available under `name`.
    pub fn register(&self, name: &str, program: ProgramFn) {
        self.sys
            .0
            .programs
            .borrow_mut()
            .insert(name.to_string(), program);
    }

    pub fn terminal(&self) -> &Rc<Terminal> {
        &self.sys.0.terminal
    }

    /// Starts `argv` in the root namespace with the terminal as stdin, stdout and stderr.
    pub fn spawn_on_terminal(&self, argv: Vec<String>, cwd: PathBuf) -> Result<Pid, Errno> {
        let stdin = Rc::new(OpenFile::TermIn(self.sys.0.terminal.clone()));
        self.spawn_login(argv, cwd, stdin)
    }

    /// Starts `argv` in the root namespace as a freshly logged-in root would: the login
    /// environment, `stdin` as standard input, the terminal as stdout and stderr.
    pub fn spawn_login(
        &self,
        argv: Vec<String>,
        cwd: PathBuf,
        stdin: FileRef,
    ) -> Result<Pid, Errno> {
        let t = &self.sys.0.terminal;
        let mut fds: BTreeMap<u32, FileRef> = BTreeMap::new();
        fds.insert(0, stdin);
        fds.insert(1, Rc::new(OpenFile::TermOut(t.clone())));
        fds.insert(2, Rc::new(OpenFile::TermErr(t.clone())));
        let mut env = BTreeMap::new();
        for (k, v) in [
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("HOME", "/root"),
            ("USER", "root"),
            ("LOGNAME", "root"),
            ("SHELL", "/bin/bash"),
            ("LANG", "C.UTF-8"),
        ] {
            env.insert(k.to_string(), v.to_string());
        }
        env.insert("PWD".to_string(), cwd.to_string_lossy().into_owned());
        let root = self.sys.root_ns();
        self.sys.spawn(
            None,
            SpawnSpec {
                argv,
                env,
                cwd,
                netns: root,
                fds,
                pgid: None,
            },
        )
    }

    /// Polls every ready task until none is ready.
    pub fn run_ready(&self) {
        loop {
            let next = self.sys.0.exec.borrow_mut().take_next();
            let Some(mut p) = next else { break };
            let done = p.poll().is_ready();
            let dead = self.sys.0.exec.borrow_mut().put_back(p, done);
            drop(dead);
            self.sys.bury();
            self.sys.drain_capture();
        }
    }

    /// Starts the lab-wide capture: from now on every frame crossing any device is written
    /// to pcapng files in `dir`, one per namespace (see the `capture` module). Creates `dir`
    /// if missing; `application` names the writer in each file's section header.
    pub fn enable_capture(&self, dir: &std::path::Path, application: &str) -> std::io::Result<()> {
        let (root, named) = {
            let w = self.sys.0.world.borrow();
            (w.kernel.root(), w.names.clone())
        };
        let mut c = LabCapture::new(dir, application, root)?;
        for (name, ns) in named {
            c.name_ns(ns, &name);
        }
        *self.sys.0.capture.borrow_mut() = Some(c);
        self.sys.net(|k, _| k.enable_lab_capture());
        Ok(())
    }

    /// Writes out every frame captured so far and flushes the capture files. The error is the
    /// first the capture met since it began, with the file it met it on.
    pub fn flush_capture(&self) -> Result<(), (PathBuf, String)> {
        self.sys.drain_capture();
        match self.sys.0.capture.borrow_mut().as_mut() {
            Some(c) => c.flush(),
            None => Ok(()),
        }
    }

    /// Fires the next event; false if there is none.
    fn fire_next(&self, limit: Option<Time>) -> bool {
        let ev = {
            let mut w = self.sys.0.world.borrow_mut();
            match limit {
                Some(l) => w.queue.pop_until(l),
                None => w.queue.pop(),
            }
        };
        match ev {
            None => false,
            Some((_, Event::Wake(w))) => {
                w.wake();
                true
            }
            Some((_, Event::Net(e))) => {
                {
                    let mut w = self.sys.0.world.borrow_mut();
                    let (k, mut env) = w.split();
                    k.handle(e, &mut env);
                }
                self.sys.drain_capture();
                true
            }
        }
    }

    /// Batch mode: runs, jumping from event to event, until `pid` ends. `None` if nothing can
    /// happen any more while `pid` still waits (it would wait forever): what is left are
    /// daemon events only (the kernel's periodic router solicitations), or nothing.
    pub fn run_until_exit(&self, pid: Pid) -> Option<ExitStatus> {
        loop {
            self.run_ready();
            if let Some(st) = self.sys.status(pid) {
                return Some(st);
            }
            let foreground = self.sys.0.world.borrow().queue.has_foreground();
            if !foreground || !self.fire_next(None) {
                self.run_ready();
                return self.sys.status(pid);
            }
        }
    }

    /// Paced mode: runs everything due up to `limit`, then sets the clock to `limit`.
    pub fn run_until(&self, limit: Time) {
        loop {
            self.run_ready();
            if !self.fire_next(Some(limit)) {
                self.run_ready();
                return;
            }
        }
    }

    /// The time of the next event, if any.
    pub fn next_event_time(&self) -> Option<Time> {
        self.sys.0.world.borrow_mut().queue.next_time()
    }

    /// True if some task is ready to run.
    pub fn busy(&self) -> bool {
        self.sys.0.exec.borrow().has_ready()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Break the cycles between tasks and the shared state.
        let tasks: Vec<TaskId> = self
            .sys
            .0
            .world
            .borrow()
            .procs
            .values()
            .filter_map(|p| p.task)
            .collect();
        for t in tasks {
            let f = self.sys.0.exec.borrow_mut().cancel(t);
            drop(f);
        }
        self.sys.bury();
    }
}

impl Sys {
    pub fn now(&self) -> Time {
        self.0.world.borrow().queue.now()
    }

    pub fn terminal(&self) -> Rc<Terminal> {
        self.0.terminal.clone()
    }

    /// Runs `f` on the kernel with the engine at hand.
    pub fn net<R>(&self, f: impl FnOnce(&mut Kernel, &mut dyn Env) -> R) -> R {
        let mut w = self.0.world.borrow_mut();
        let (k, mut env) = w.split();
        f(k, &mut env)
    }

    /// Hands what the kernel recorded for the lab-wide capture to its writer.
    pub(crate) fn drain_capture(&self) {
        let Ok(mut c) = self.0.capture.try_borrow_mut() else {
            return;
        };
        let Some(c) = c.as_mut() else { return };
        let frames = match self.0.world.try_borrow_mut() {
            Ok(mut w) => w.kernel.take_lab_capture(),
            Err(_) => return,
        };
        if !frames.is_empty() {
            c.write(frames);
        }
    }

    /// Runs `f` on the kernel if it is not in use (for destructors, which may run while the
    /// kernel is borrowed); otherwise does nothing.
    pub(crate) fn try_net(&self, f: impl FnOnce(&mut Kernel)) {
        if let Ok(mut w) = self.0.world.try_borrow_mut() {
            f(&mut w.kernel);
        }
    }

    /// A random 32-bit number from the lab's one source.
    pub fn random_u32(&self) -> u32 {
        self.0.world.borrow_mut().rng.u32()
    }

    /// Waits `d` of virtual time.
    pub async fn sleep(&self, d: Duration) {
        let deadline = self.now() + d;
        let mut timer: Option<TimerId> = None;
        struct Cancel<'a>(&'a Sys, &'a mut Option<TimerId>);
        impl Drop for Cancel<'_> {
            fn drop(&mut self) {
                if let Some(id) = self.1.take() {
                    if let Ok(mut w) = self.0 .0.world.try_borrow_mut() {
                        w.queue.cancel(id);
                    }
                }
            }
        }
        let guard = Cancel(self, &mut timer);
        poll_fn(|cx| {
            let mut w = guard.0 .0.world.borrow_mut();
            if w.queue.now() >= deadline {
                return Poll::Ready(());
            }
            if guard.1.is_none() {
                *guard.1 = Some(w.queue.schedule(deadline, Event::Wake(cx.waker().clone())));
            }
            Poll::Pending
        })
        .await;
        // The timer fired: nothing to cancel.
        *guard.1 = None;
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<ProgramFn> {
        let base = name.rsplit('/').next().unwrap_or(name);
        self.0.programs.borrow().get(base).copied()
    }

    /// Names of every program the lab knows, sorted.
    pub fn programs(&self) -> Vec<String> {
        self.0.programs.borrow().keys().cloned().collect()
    }

    /// Starts a process. `ENOENT` if `argv[0]` names no program.
    ///
    /// Executing a program takes time on a real machine (`fork`, `execve`, the dynamic
    /// loader: about a millisecond for `ip`); the program starts [`EXEC_TIME`] later, so
    /// that what the kernel did meanwhile (a frame crossing a veth) is done, as it would be.
    pub fn spawn(&self, parent: Option<Pid>, spec: SpawnSpec) -> Result<Pid, Errno> {
        let program = spec
            .argv
            .first()
            .and_then(|a| self.lookup(a))
            .ok_or(Errno::ENOENT)?;
        let sys = self.clone();
        let run: ProgramOnce = Box::new(move |proc: Proc| {
            Box::pin(async move {
                sys.sleep(EXEC_TIME).await;
                program(proc).await
            })
        });
        Ok(self.spawn_with(parent, spec, run))
    }

    /// Starts a process that runs `program` instead of a registered one: what `fork` is to a
    /// shell (a subshell, a pipeline stage running a builtin, a `$(...)`).
    pub fn spawn_with(&self, parent: Option<Pid>, spec: SpawnSpec, program: ProgramOnce) -> Pid {
        let pid = {
            let mut w = self.0.world.borrow_mut();
            let pid = Pid(w.next_pid);
            w.next_pid += 1;
            let ignored = parent
                .and_then(|pp| w.procs.get(&pp))
                .map_or(0, |pe| pe.ignored);
            w.procs.insert(
                pid,
                ProcEntry {
                    pgid: spec.pgid.unwrap_or(pid),
                    argv: spec.argv.clone(),
                    netns: spec.netns,
                    task: None,
                    status: None,
                    waiters: Vec::new(),
                    trapped: 0,
                    ignored,
                    pending: VecDeque::new(),
                    sig_waiter: None,
                },
            );
            pid
        };
        let proc = Proc {
            sys: self.clone(),
            pid,
            argv: spec.argv,
            env: spec.env,
            cwd: spec.cwd,
            netns: spec.netns,
            fds: spec.fds,
        };
        let sys = self.clone();
        let task = self.0.exec.borrow_mut().spawn(async move {
            let code = program(proc).await;
            sys.exited(pid, ExitStatus::Code(code));
        });
        if let Some(p) = self.0.world.borrow_mut().procs.get_mut(&pid) {
            p.task = Some(task);
        }
        pid
    }

    fn exited(&self, pid: Pid, status: ExitStatus) {
        let waiters = {
            let mut w = self.0.world.borrow_mut();
            let Some(p) = w.procs.get_mut(&pid) else {
                return;
            };
            if p.status.is_some() {
                return;
            }
            p.status = Some(status);
            p.task = None;
            std::mem::take(&mut p.waiters)
        };
        for wk in waiters {
            wk.wake();
        }
    }

    /// How `pid` ended, if it has.
    pub fn status(&self, pid: Pid) -> Option<ExitStatus> {
        self.0.world.borrow().procs.get(&pid).and_then(|p| p.status)
    }

    /// Waits for `pid` to end and reaps it.
    pub async fn wait(&self, pid: Pid) -> ExitStatus {
        let st = poll_fn(|cx| {
            let mut w = self.0.world.borrow_mut();
            match w.procs.get_mut(&pid) {
                None => Poll::Ready(ExitStatus::Code(127)),
                Some(p) => match p.status {
                    Some(s) => Poll::Ready(s),
                    None => {
                        p.waiters.push(cx.waker().clone());
                        Poll::Pending
                    }
                },
            }
        })
        .await;
        self.0.world.borrow_mut().procs.remove(&pid);
        st
    }

    /// True if `pid` exists and has not ended.
    pub fn alive(&self, pid: Pid) -> bool {
        self.0
            .world
            .borrow()
            .procs
            .get(&pid)
            .is_some_and(|p| p.status.is_none())
    }

    /// The process group of `pid`.
    pub fn pgid(&self, pid: Pid) -> Option<Pid> {
        self.0.world.borrow().procs.get(&pid).map(|p| p.pgid)
    }

    /// The command line of `pid`.
    pub fn argv(&self, pid: Pid) -> Option<Vec<String>> {
        self.0
            .world
            .borrow()
            .procs
            .get(&pid)
            .map(|p| p.argv.clone())
    }

    pub(crate) fn set_argv(&self, pid: Pid, argv: &[String]) {
        if let Some(p) = self.0.world.borrow_mut().procs.get_mut(&pid) {
            p.argv = argv.to_vec();
        }
    }

    /// Moves a process to another namespace (`setns`).
    pub fn set_netns(&self, pid: Pid, ns: NsId) {
        if let Some(p) = self.0.world.borrow_mut().procs.get_mut(&pid) {
            p.netns = ns;
        }
    }

    /// Live processes in namespace `ns` (what `ip netns pids` lists).
    pub fn pids_in(&self, ns: NsId) -> Vec<Pid> {
        self.0
            .world
            .borrow()
            .procs
            .iter()
            .filter(|(_, p)| p.netns == ns && p.status.is_none())
            .map(|(pid, _)| *pid)
            .collect()
    }

    /// Sends `sig` to `pid`: a trapped signal is queued for the program, any other ends it.
    pub fn kill(&self, pid: Pid, sig: Signal) -> Result<(), Errno> {
        let task = {
            let mut w = self.0.world.borrow_mut();
            let p = w.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
            if p.status.is_some() {
                return Err(Errno::ESRCH);
            }
            if sig != Signal::Kill && p.ignored & (1 << sig.number()) != 0 {
                return Ok(());
            }
            if sig != Signal::Kill && p.trapped & (1 << sig.number()) != 0 {
                p.pending.push_back(sig);
                if let Some(wk) = p.sig_waiter.take() {
                    wk.wake();
                }
                return Ok(());
            }
            p.task
        };
        if let Some(t) = task {
            if let Some(f) = self.0.exec.borrow_mut().cancel(t) {
                self.0.graveyard.borrow_mut().push(f);
            }
        }
        self.exited(pid, ExitStatus::Signaled(sig));
        Ok(())
    }

    /// Sends `sig` to every live process of group `pgid`.
    pub fn kill_group(&self, pgid: Pid, sig: Signal) -> Result<(), Errno> {
        let members = self.group_members(pgid);
        if members.is_empty() {
            return Err(Errno::ESRCH);
        }
        for m in members {
            let _ = self.kill(m, sig);
        }
        Ok(())
    }

    /// Ctrl-C on the lab's terminal: SIGINT to every live process of the terminal's
    /// foreground process group but the login shell (pid 1), which reads its own `^C` at the
    /// prompt as interactive bash does.
    pub fn interrupt(&self) {
        for p in self.group_members(self.foreground_pgrp()) {
            if p.0 != 1 {
                let _ = self.kill(p, Signal::Int);
            }
        }
    }

    /// The live processes of group `pgid`.
    fn group_members(&self, pgid: Pid) -> Vec<Pid> {
        self.0
            .world
            .borrow()
            .procs
            .iter()
            .filter(|(_, p)| p.pgid == pgid && p.status.is_none())
            .map(|(pid, _)| *pid)
            .collect()
    }

    /// `tcgetpgrp()` on the lab's terminal.
    pub fn foreground_pgrp(&self) -> Pid {
        self.0.world.borrow().foreground
    }

    /// `tcsetpgrp()` on the lab's terminal.
    pub fn set_foreground_pgrp(&self, pgid: Pid) {
        self.0.world.borrow_mut().foreground = pgid;
    }

    /// `setpgid(pid, pgid)`.
    pub fn set_pgid(&self, pid: Pid, pgid: Pid) -> Result<(), Errno> {
        let mut w = self.0.world.borrow_mut();
        let p = w.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        p.pgid = pgid;
        Ok(())
    }

    /// Drops the futures of killed processes. Call with nothing borrowed.
    pub(crate) fn bury(&self) {
        loop {
            let dead = std::mem::take(&mut *self.0.graveyard.borrow_mut());
            if dead.is_empty() {
                return;
            }
            drop(dead);
        }
    }

    /// Sets `sig` of `pid` to be ignored (`SIG_IGN`): dropped on arrival, inherited by
    /// children and kept across `exec` until the program installs a handler or restores
    /// the default action.
    pub fn ignore(&self, pid: Pid, sig: Signal) {
        if let Some(p) = self.0.world.borrow_mut().procs.get_mut(&pid) {
            p.ignored |= 1 << sig.number();
            p.trapped &= !(1 << sig.number());
        }
    }

    pub(crate) fn trap(&self, pid: Pid, sig: Signal, on: bool) {
        if let Some(p) = self.0.world.borrow_mut().procs.get_mut(&pid) {
            // A handler replaces an "ignore" disposition, as `sigaction` does.
            p.ignored &= !(1 << sig.number());
            if on {
                p.trapped |= 1 << sig.number();
            } else {
                p.trapped &= !(1 << sig.number());
            }
        }
    }

    pub(crate) fn reset_traps(&self, pid: Pid) {
        if let Some(p) = self.0.world.borrow_mut().procs.get_mut(&pid) {
            p.trapped = 0;
            p.pending.clear();
        }
    }

    pub(crate) fn take_signal(&self, pid: Pid) -> Option<Signal> {
        self.0
            .world
            .borrow_mut()
            .procs
            .get_mut(&pid)
            .and_then(|p| p.pending.pop_front())
    }

    pub(crate) fn poll_signal(&self, pid: Pid, waker: &Waker) -> Option<Signal> {
        let mut w = self.0.world.borrow_mut();
        let p = w.procs.get_mut(&pid)?;
        let s = p.pending.pop_front();
        if s.is_none() {
            p.sig_waiter = Some(waker.clone());
        }
        s
    }

    // --- namespaces -------------------------------------------------------------------------

    /// The initial namespace.
    pub fn root_ns(&self) -> NsId {
        self.0.world.borrow().kernel.root()
    }

    /// Named namespaces, newest first (the order `readdir` gives on `/run/netns`).
    pub fn netns_names(&self) -> Vec<String> {
        self.0
            .world
            .borrow()
            .names
            .iter()
            .rev()
            .map(|(n, _)| n.clone())
            .collect()
    }

    pub fn netns_by_name(&self, name: &str) -> Option<NsId> {
        self.0
            .world
            .borrow()
            .names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, ns)| *ns)
    }

    /// The names given to namespace `ns`.
    pub fn netns_names_of(&self, ns: NsId) -> Vec<String> {
        self.0
            .world
            .borrow()
            .names
            .iter()
            .filter(|(_, id)| *id == ns)
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// `ip netns add NAME`: a new namespace with its name. `EEXIST` if the name is taken.
    pub fn netns_add(&self, name: &str) -> Result<NsId, Errno> {
        if self.netns_by_name(name).is_some() {
            return Err(Errno::EEXIST);
        }
        let mut w = self.0.world.borrow_mut();
        let (k, mut env) = w.split();
        let ns = k.create_ns(&mut env);
        w.names.push((name.to_string(), ns));
        drop(w);
        if let Some(c) = self.0.capture.borrow_mut().as_mut() {
            c.name_ns(ns, name);
        }
        Ok(ns)
    }

    /// `ip netns delete NAME`: removes the name; the namespace goes when no process is in it.
    pub fn netns_delete(&self, name: &str) -> Result<(), Errno> {
        let ns = self.netns_by_name(name).ok_or(Errno::ENOENT)?;
        // What crossed the namespace's devices so far goes to its file before it may go.
        self.drain_capture();
        self.0.world.borrow_mut().names.retain(|(n, _)| n != name);
        self.release_ns(ns);
        Ok(())
    }

    /// Destroys `ns` if nothing holds it any more.
    pub fn release_ns(&self, ns: NsId) {
        let mut w = self.0.world.borrow_mut();
        if ns == w.kernel.root() || w.names.iter().any(|(_, id)| *id == ns) {
            return;
        }
        if w.procs
            .values()
            .any(|p| p.netns == ns && p.status.is_none())
        {
            return;
        }
        let (k, mut env) = w.split();
        k.destroy_ns(ns, &mut env);
    }

    // --- the lab's own files ---------------------------------------------------------------

    pub(crate) fn store_get(&self, path: &str) -> Option<Vec<u8>> {
        self.0.world.borrow().store.get(path).cloned().flatten()
    }

    pub(crate) fn store_is_dir(&self, path: &str) -> bool {
        path == "/etc/netns" || matches!(self.0.world.borrow().store.get(path), Some(None))
    }

    fn store_parent_ok(&self, path: &str) -> bool {
        match path.rsplit_once('/') {
            Some(("/etc", _)) => true,
            Some((parent, _)) => self.store_is_dir(parent),
            None => false,
        }
    }

    pub(crate) fn store_create(&self, path: &str) -> Result<(), Errno> {
        if !self.store_parent_ok(path) {
            return Err(Errno::ENOENT);
        }
        self.0
            .world
            .borrow_mut()
            .store
            .insert(path.to_string(), Some(Vec::new()));
        Ok(())
    }

    pub(crate) fn store_append(&self, path: &str, data: &[u8]) {
        if let Some(Some(v)) = self.0.world.borrow_mut().store.get_mut(path) {
            v.extend_from_slice(data);
        }
    }

    pub(crate) fn store_mkdir(&self, path: &str, parents: bool) -> Result<(), Errno> {
        if self.store_is_dir(path) {
            return if parents { Ok(()) } else { Err(Errno::EEXIST) };
        }
        if self.store_get(path).is_some() {
            return Err(Errno::EEXIST);
        }
        if !self.store_parent_ok(path) {
            if !parents {
                return Err(Errno::ENOENT);
            }
            if let Some((parent, _)) = path.rsplit_once('/') {
                self.store_mkdir(parent, true)?;
            }
        }
        self.0
            .world
            .borrow_mut()
            .store
            .insert(path.to_string(), None);
        Ok(())
    }

    pub(crate) fn store_list(&self, dir: &str) -> Result<Vec<DirEntry>, Errno> {
        if !self.store_is_dir(dir) {
            return Err(if self.store_get(dir).is_some() {
                Errno::ENOTDIR
            } else {
                Errno::ENOENT
            });
        }
        let prefix = format!("{dir}/");
        Ok(self
            .0
            .world
            .borrow()
            .store
            .iter()
            .filter_map(|(p, v)| {
                let rest = p.strip_prefix(&prefix)?;
                (!rest.contains('/')).then(|| DirEntry {
                    name: rest.to_string(),
                    is_dir: v.is_none(),
                })
            })
            .collect())
    }

    pub(crate) fn store_remove(&self, path: &str, recursive: bool) -> Result<(), Errno> {
        let mut w = self.0.world.borrow_mut();
        match w.store.get(path) {
            None => Err(Errno::ENOENT),
            Some(None) if !recursive => Err(Errno::EISDIR),
            _ => {
                let prefix = format!("{path}/");
                w.store.retain(|p, _| p != path && !p.starts_with(&prefix));
                Ok(())
            }
        }
    }

    // --- sysctl ------------------------------------------------------------------------------

    /// Reads a sysctl (`net.ipv4.ip_forward`) of namespace `ns`.
    pub fn sysctl_read(&self, ns: NsId, key: &str) -> Result<String, Errno> {
        self.0.world.borrow().kernel.sysctl_get(ns, key)
    }

    /// Writes a sysctl; `EINVAL` for a value the kernel refuses.
    pub fn sysctl_write(&self, ns: NsId, key: &str, value: &str) -> Result<(), Errno> {
        self.net(|k, env| k.sysctl_set(ns, key, value, env))
    }

    /// Every sysctl key of `ns`, sorted.
    pub fn sysctl_keys(&self, ns: NsId) -> Vec<String> {
        self.0.world.borrow().kernel.sysctl_keys(ns)
    }

    pub(crate) fn sysctl_dir(&self, ns: NsId, prefix: &str) -> Result<Vec<DirEntry>, Errno> {
        let keys = self.sysctl_keys(ns);
        let pre = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}.")
        };
        let mut out: Vec<DirEntry> = Vec::new();
        for k in keys {
            if let Some(rest) = k.strip_prefix(&pre) {
                let (name, is_dir) = match rest.split_once('.') {
                    Some((first, _)) => (first.to_string(), true),
                    None => (rest.to_string(), false),
                };
                if !out.iter().any(|e| e.name == name) {
                    out.push(DirEntry { name, is_dir });
                }
            }
        }
        if out.is_empty() {
            return Err(Errno::ENOENT);
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}

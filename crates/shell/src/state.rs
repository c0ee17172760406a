//! The shell's state that a subshell inherits by copy: variables (with `local` scopes and
//! arrays), functions, positional parameters, options, traps, the working directory and the
//! descriptor table. What belongs to one process only (jobs, the pid) is reset on fork.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use tsunagi_lab::{ExitStatus, FileRef, Pid};

use crate::ast::Command;

/// A variable's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    /// An indexed array (sparse).
    Array(BTreeMap<i64, String>),
    /// An associative array (`declare -A`), in insertion order.
    Assoc(Vec<(String, String)>),
}

/// A variable and its attributes.
#[derive(Clone, Debug)]
pub struct Var {
    /// `None`: declared (`local x`, `export X`) but not set.
    pub value: Option<Value>,
    pub exported: bool,
    pub readonly: bool,
    pub integer: bool,
}

impl Var {
    pub fn scalar(&self) -> Option<String> {
        match &self.value {
            None => None,
            Some(Value::Str(s)) => Some(s.clone()),
            Some(Value::Array(a)) => a.get(&0).cloned(),
            Some(Value::Assoc(a)) => a.iter().find(|(k, _)| k == "0").map(|(_, v)| v.clone()),
        }
    }
}

/// `set -e`, `set -u`, ...
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub noglob: bool,
    pub noexec: bool,
    pub verbose: bool,
    pub allexport: bool,
    pub noclobber: bool,
    /// `set -E`: the ERR trap also fires in functions and subshells.
    pub errtrace: bool,
    /// `shopt -s nullglob`: a pattern that matches nothing expands to nothing.
    pub nullglob: bool,
    /// `shopt -s dotglob`: patterns match names starting with a dot.
    pub dotglob: bool,
}

impl Options {
    /// `$-`.
    pub fn flags(&self, interactive: bool) -> String {
        let mut s = String::new();
        if self.allexport {
            s.push('a');
        }
        if self.errexit {
            s.push('e');
        }
        if self.noglob {
            s.push('f');
        }
        s.push('h');
        if interactive {
            s.push('i');
        }
        if self.noexec {
            s.push('n');
        }
        if self.nounset {
            s.push('u');
        }
        if self.verbose {
            s.push('v');
        }
        if self.xtrace {
            s.push('x');
        }
        s.push('B');
        if self.noclobber {
            s.push('C');
        }
        s
    }
}

/// How the shell got its commands, which decides the form of its messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `bash FILE`: messages read `FILE: line N: ...`.
    Script(String),
    /// `bash -c STR`: `bash: ...`.
    Command,
    /// Commands from a non-terminal standard input: `bash: ...`.
    Stdin,
    /// Commands typed at the terminal, with a prompt.
    Interactive,
}

/// A background job.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: usize,
    pub pid: Pid,
    pub text: String,
    /// How it ended, once the shell has reaped it.
    pub status: Option<ExitStatus>,
    /// A job of the parent shell, seen from a subshell: `jobs` lists it, `wait` does not
    /// wait for it.
    pub inherited: bool,
}

/// Everything a subshell copies.
#[derive(Clone)]
pub struct State {
    pub vars: BTreeMap<String, Var>,
    /// Saved outer variables, one frame per function call (`local`).
    pub scopes: Vec<BTreeMap<String, Option<Var>>>,
    pub funcs: BTreeMap<String, Rc<Command>>,
    pub positional: Vec<String>,
    pub arg0: String,
    /// The shell's name for messages (`bash`, `sh`).
    pub name: String,
    pub opts: Options,
    pub status: i32,
    pub last_bg: Option<Pid>,
    pub jobs: Vec<Job>,
    pub traps: BTreeMap<String, String>,
    pub cwd: PathBuf,
    pub fds: BTreeMap<u32, FileRef>,
    /// `$$`: the pid of the top shell, unchanged in subshells.
    pub shell_pid: Pid,
    pub mode: Mode,
    /// The line of the command running now.
    pub lineno: u32,
    /// The file being read, for messages (a sourced file's name while it runs).
    pub source_name: Option<String>,
    pub func_depth: u32,
    pub source_depth: u32,
    pub loop_depth: u32,
    /// Non-zero while running a condition (`if`, `while`, `&&`, `!`): `set -e` is off there.
    pub errexit_off: u32,
    pub subshell: u32,
    /// Nesting of `$(...)` and subshells, for the `+` of `set -x`.
    pub trace_level: usize,
    /// Commands run since the last yield (to let a busy loop be interrupted).
    pub busy: u32,
    pub in_trap: bool,
    /// Inside `eval` (or a trap's text): a syntax error is reported and gives status 2
    /// instead of ending the shell.
    pub in_eval: u32,
    /// Expansion only: command substitutions are not run (for fuzzing).
    pub sandbox: bool,
}

impl State {
    /// The scalar value of a plain variable (no special parameters).
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars.get(name).and_then(Var::scalar)
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.vars.get(name).is_some_and(|v| v.value.is_some())
    }

    /// Sets a scalar; `Err` is bash's message for a readonly variable.
    pub fn set(&mut self, name: &str, value: String) -> Result<(), String> {
        let allexport = self.opts.allexport;
        let v = self.vars.entry(name.to_string()).or_insert(Var {
            value: None,
            exported: allexport,
            readonly: false,
            integer: false,
        });
        if v.readonly {
            return Err(format!("{name}: readonly variable"));
        }
        match &mut v.value {
            Some(Value::Array(a)) => {
                a.insert(0, value);
            }
            Some(Value::Assoc(_)) => return self.assoc_set(name, "0", value),
            _ => v.value = Some(Value::Str(value)),
        }
        Ok(())
    }

    /// True if `name` is an associative array.
    pub fn is_assoc(&self, name: &str) -> bool {
        matches!(
            self.vars.get(name).and_then(|v| v.value.as_ref()),
            Some(Value::Assoc(_))
        )
    }

    /// Sets `name[key]` of an associative array.
    pub fn assoc_set(&mut self, name: &str, key: &str, value: String) -> Result<(), String> {
        let v = self.vars.entry(name.to_string()).or_insert(Var {
            value: None,
            exported: false,
            readonly: false,
            integer: false,
        });
        if v.readonly {
            return Err(format!("{name}: readonly variable"));
        }
        match &mut v.value {
            Some(Value::Assoc(a)) => match a.iter_mut().find(|(k, _)| k == key) {
                Some(e) => e.1 = value,
                None => a.push((key.to_string(), value)),
            },
            _ => v.value = Some(Value::Assoc(vec![(key.to_string(), value)])),
        }
        Ok(())
    }

    pub fn assoc_get(&self, name: &str, key: &str) -> Option<String> {
        match self.vars.get(name).and_then(|v| v.value.as_ref()) {
            Some(Value::Assoc(a)) => a.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// The keys of an array (indices of an indexed one).
    pub fn keys(&self, name: &str) -> Vec<String> {
        match self.vars.get(name).and_then(|v| v.value.as_ref()) {
            Some(Value::Array(a)) => a.keys().map(|k| k.to_string()).collect(),
            Some(Value::Assoc(a)) => a.iter().map(|(k, _)| k.clone()).collect(),
            Some(Value::Str(_)) => vec!["0".to_string()],
            None => Vec::new(),
        }
    }

    /// Removes one element of an array.
    pub fn unset_element(&mut self, name: &str, key: &str) {
        match self.vars.get_mut(name).and_then(|v| v.value.as_mut()) {
            Some(Value::Assoc(a)) => a.retain(|(k, _)| k != key),
            Some(Value::Array(a)) => {
                if let Ok(i) = key.trim().parse::<i64>() {
                    a.remove(&i);
                }
            }
            _ => {}
        }
    }

    /// Sets element `i` of an array.
    pub fn set_index(&mut self, name: &str, i: i64, value: String) -> Result<(), String> {
        let v = self.vars.entry(name.to_string()).or_insert(Var {
            value: None,
            exported: false,
            readonly: false,
            integer: false,
        });
        if v.readonly {
            return Err(format!("{name}: readonly variable"));
        }
        let mut arr = match v.value.take() {
            Some(Value::Array(a)) => a,
            Some(Value::Str(s)) => BTreeMap::from([(0, s)]),
            Some(Value::Assoc(a)) => {
                v.value = Some(Value::Assoc(a));
                return self.assoc_set(name, &i.to_string(), value);
            }
            None => BTreeMap::new(),
        };
        let i = if i < 0 {
            arr.keys().next_back().map(|k| k + 1).unwrap_or(0) + i
        } else {
            i
        };
        if i < 0 {
            v.value = Some(Value::Array(arr));
            return Err(format!("{name}[{i}]: bad array subscript"));
        }
        arr.insert(i, value);
        v.value = Some(Value::Array(arr));
        Ok(())
    }

    /// Replaces a whole array.
    pub fn set_array(&mut self, name: &str, items: Vec<String>) -> Result<(), String> {
        let v = self.vars.entry(name.to_string()).or_insert(Var {
            value: None,
            exported: false,
            readonly: false,
            integer: false,
        });
        if v.readonly {
            return Err(format!("{name}: readonly variable"));
        }
        v.value = Some(Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, s)| (i as i64, s))
                .collect(),
        ));
        Ok(())
    }

    /// The elements of an array (a scalar is a one-element array).
    pub fn array(&self, name: &str) -> Vec<String> {
        match self.vars.get(name).and_then(|v| v.value.as_ref()) {
            None => Vec::new(),
            Some(Value::Str(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a.values().cloned().collect(),
            Some(Value::Assoc(a)) => a.iter().map(|(_, v)| v.clone()).collect(),
        }
    }

    pub fn array_get(&self, name: &str, i: i64) -> Option<String> {
        match self.vars.get(name).and_then(|v| v.value.as_ref()) {
            None => None,
            Some(Value::Str(s)) => (i == 0 || i == -1).then(|| s.clone()),
            Some(Value::Array(a)) => {
                let i = if i < 0 {
                    a.keys().next_back().map(|k| k + 1).unwrap_or(0) + i
                } else {
                    i
                };
                a.get(&i).cloned()
            }
            Some(Value::Assoc(_)) => self.assoc_get(name, &i.to_string()),
        }
    }

    pub fn unset(&mut self, name: &str) -> Result<(), String> {
        if let Some(v) = self.vars.get(name) {
            if v.readonly {
                return Err(format!("{name}: cannot unset: readonly variable"));
            }
        }
        if self.scopes.last().is_some_and(|s| s.contains_key(name)) {
            // A local stays local (and unset) until the function returns.
            if let Some(v) = self.vars.get_mut(name) {
                v.value = None;
            }
        } else {
            self.vars.remove(name);
        }
        Ok(())
    }

    /// Makes `name` local to the running function.
    pub fn make_local(&mut self, name: &str) {
        let saved = self.vars.get(name).cloned();
        if let Some(frame) = self.scopes.last_mut() {
            if !frame.contains_key(name) {
                frame.insert(name.to_string(), saved);
                // A new local starts unset, but keeps being exported if the outer one was.
                let exported = self.vars.get(name).is_some_and(|v| v.exported);
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value: None,
                        exported,
                        readonly: false,
                        integer: false,
                    },
                );
            }
        }
    }

    /// Restores the variables a function made local.
    pub fn pop_scope(&mut self) {
        if let Some(frame) = self.scopes.pop() {
            for (name, saved) in frame {
                match saved {
                    Some(v) => {
                        self.vars.insert(name, v);
                    }
                    None => {
                        self.vars.remove(&name);
                    }
                }
            }
        }
    }

    /// The environment of a child process: every exported variable that is set.
    pub fn env(&self) -> BTreeMap<String, String> {
        self.vars
            .iter()
            .filter(|(_, v)| v.exported)
            .filter_map(|(k, v)| v.scalar().map(|s| (k.clone(), s)))
            .collect()
    }

    pub fn export(&mut self, name: &str) {
        self.vars
            .entry(name.to_string())
            .or_insert(Var {
                value: None,
                exported: true,
                readonly: false,
                integer: false,
            })
            .exported = true;
    }

    /// IFS (default: space, tab, newline).
    pub fn ifs(&self) -> String {
        match self.vars.get("IFS") {
            Some(v) => v.scalar().unwrap_or_default(),
            None => " \t\n".to_string(),
        }
    }

    /// The state a subshell starts with.
    pub fn for_subshell(&self, fds: BTreeMap<u32, FileRef>) -> State {
        let mut st = self.clone();
        for j in st.jobs.iter_mut() {
            j.inherited = true;
        }
        st.fds = fds;
        st.subshell += 1;
        // Traps are reset in a subshell, except those that ignore a signal.
        st.traps.retain(|_, v| v.is_empty());
        st
    }
}

//! Progress on stderr: an indicatif bar with the elapsed time on a terminal, one plain line per
//! step elsewhere (logs, CI), nothing with `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use hostup::WaitProgress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A live bar on stderr, a terminal.
    Bar,
    /// A line per step on stderr.
    Lines,
    /// Nothing.
    Quiet,
}

impl Mode {
    /// The mode for stderr as it is, or quiet.
    pub fn detect(quiet: bool) -> Self {
        match (quiet, std::io::stderr().is_terminal()) {
            (true, _) => Mode::Quiet,
            (false, true) => Mode::Bar,
            (false, false) => Mode::Lines,
        }
    }

    /// A status line for people (not a result): on stderr unless quiet.
    pub fn note(self, text: &str) {
        if self != Mode::Quiet {
            eprintln!("{text}");
        }
    }
}

fn bar(template: &str, length: Option<u64>) -> ProgressBar {
    let bar = match length {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// The progress of one wait.
pub struct Waiting {
    mode: Mode,
    bar: Option<ProgressBar>,
}

impl Waiting {
    /// Starts showing a wait for `what` (`restart of vps_...`).
    pub fn start(mode: Mode, what: &str) -> Self {
        let bar = (mode == Mode::Bar).then(|| {
            let bar = bar("{spinner} {prefix}: {msg} [{elapsed}]", None);
            bar.set_prefix(what.to_string());
            bar
        });
        Self { mode, bar }
    }

    /// The callback for `WaitOptions::on_progress`.
    pub fn callback(&self) -> impl Fn(&WaitProgress) + Send + Sync + 'static {
        let (mode, bar) = (self.mode, self.bar.clone());
        move |p: &WaitProgress| match (mode, &bar) {
            (Mode::Bar, Some(bar)) => bar.set_message(format!("{} (poll {})", p.status, p.polls)),
            (Mode::Lines, _) => {
                eprintln!("{} after {:.1}s (poll {})", p.status, p.elapsed.as_secs_f64(), p.polls)
            }
            _ => {}
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The progress of an action on many VPSes.
pub struct Tally {
    mode: Mode,
    bar: Option<ProgressBar>,
}

impl Tally {
    /// Starts a tally of `total` VPSes for `what` (`stop`).
    pub fn start(mode: Mode, what: &str, total: usize) -> Self {
        let bar = (mode == Mode::Bar).then(|| {
            let bar = bar("{prefix} [{bar:30}] {pos}/{len} [{elapsed}] {msg}", Some(total as u64));
            bar.set_prefix(what.to_string());
            bar
        });
        Self { mode, bar }
    }

    /// One VPS is done: `outcome` is `ok` or `failed: why`.
    pub fn done(&self, id: &str, outcome: &str) {
        match (&self.bar, self.mode) {
            (Some(bar), _) => {
                bar.inc(1);
                bar.set_message(format!("{id}: {outcome}"));
            }
            (None, Mode::Lines) => eprintln!("{id}: {outcome}"),
            _ => {}
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

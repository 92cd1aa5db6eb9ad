//! Shared by the bench binaries: interleaved A/B timing (where the ratios in BENCHMARKS.md come
//! from), a counting global allocator, and the fixtures.
//!
//! Each binary uses part of it.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The docs' full `getVpsDetails` example.
pub const DETAILS_FIXTURE: &str = include_str!("../../../openapi/examples/getVpsDetails.200.json");
/// The docs' `listVps` example (one item).
pub const LIST_FIXTURE: &str = include_str!("../../../openapi/examples/listVps.200.json");

/// One contender of a comparison: a name and one iteration of the work.
pub struct Contender<'a> {
    pub name: &'static str,
    pub run: Box<dyn FnMut() + 'a>,
}

impl<'a> Contender<'a> {
    pub fn new(name: &'static str, run: impl FnMut() + 'a) -> Self {
        Contender { name, run: Box::new(run) }
    }
}

/// What one contender measured.
pub struct Summary {
    pub name: &'static str,
    /// Median over the rounds of the time per iteration.
    pub median: Duration,
    /// Median, 25th and 75th percentile over the rounds of this contender's time divided by the
    /// baseline's time in the same round.
    pub ratio: (f64, f64, f64),
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Times the contenders in interleaved rounds (the order rotates every round), so that drift in
/// the machine's load hits all of them alike. Each round runs every contender for about `batch`
/// of wall time. The first contender is the baseline of the ratios.
pub fn compare(
    title: &str,
    contenders: &mut [Contender<'_>],
    rounds: usize,
    batch: Duration,
) -> Vec<Summary> {
    // Warm up and calibrate: iterations per batch, per contender.
    let iterations: Vec<u64> = contenders
        .iter_mut()
        .map(|c| {
            let mut n = 1u64;
            loop {
                let started = Instant::now();
                for _ in 0..n {
                    (c.run)();
                }
                let took = started.elapsed();
                if took >= batch / 4 || n >= 1 << 24 {
                    let per = took.as_secs_f64() / n as f64;
                    break ((batch.as_secs_f64() / per).ceil() as u64).max(1);
                }
                n *= 2;
            }
        })
        .collect();
    let count = contenders.len();
    let mut times = vec![Vec::with_capacity(rounds); count];
    for round in 0..rounds {
        for k in 0..count {
            let i = (round + k) % count;
            let started = Instant::now();
            for _ in 0..iterations[i] {
                (contenders[i].run)();
            }
            times[i].push(started.elapsed().as_secs_f64() / iterations[i] as f64);
        }
    }
    let summaries: Vec<Summary> = (0..count)
        .map(|i| {
            let mut own = times[i].clone();
            own.sort_by(f64::total_cmp);
            let mut ratios: Vec<f64> = times[i].iter().zip(&times[0]).map(|(t, base)| t / base).collect();
            ratios.sort_by(f64::total_cmp);
            Summary {
                name: contenders[i].name,
                median: Duration::from_secs_f64(quantile(&own, 0.5)),
                ratio: (quantile(&ratios, 0.5), quantile(&ratios, 0.25), quantile(&ratios, 0.75)),
            }
        })
        .collect();
    println!("\n{title}  ({rounds} interleaved rounds, ratios against `{}`)", contenders[0].name);
    println!("  {:<44} {:>12} {:>9}  {:>15}", "contender", "median/iter", "ratio", "ratio p25..p75");
    for s in &summaries {
        println!(
            "  {:<44} {:>12} {:>8.3}x  {:>6.3}..{:<6.3}",
            s.name,
            human(s.median),
            s.ratio.0,
            s.ratio.1,
            s.ratio.2
        );
    }
    summaries
}

/// `12.3 µs` style.
pub fn human(d: Duration) -> String {
    let ns = d.as_secs_f64() * 1e9;
    if ns < 1e3 {
        format!("{ns:.1} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// A global allocator that counts allocations and live bytes and keeps the peak. Counting is off
/// until [`Counting::enable`], so timed code pays one relaxed load per allocation at most.
pub struct Counting {
    on: AtomicBool,
    allocations: AtomicU64,
    allocated: AtomicU64,
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl Counting {
    pub const fn new() -> Self {
        Counting {
            on: AtomicBool::new(false),
            allocations: AtomicU64::new(0),
            allocated: AtomicU64::new(0),
            live: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Starts counting. Live bytes count from here: frees of older blocks are ignored.
    pub fn enable(&self) {
        self.on.store(true, Relaxed);
    }

    pub fn disable(&self) {
        self.on.store(false, Relaxed);
    }

    /// Live bytes allocated since counting started (never below zero).
    pub fn live(&self) -> usize {
        self.live.load(Relaxed)
    }

    /// Sets the peak to the current live bytes.
    pub fn reset_peak(&self) {
        self.peak.store(self.live.load(Relaxed), Relaxed);
    }

    pub fn peak(&self) -> usize {
        self.peak.load(Relaxed)
    }

    /// (allocations, bytes allocated) so far.
    pub fn totals(&self) -> (u64, u64) {
        (self.allocations.load(Relaxed), self.allocated.load(Relaxed))
    }

    fn grow(&self, size: usize) {
        self.allocations.fetch_add(1, Relaxed);
        self.allocated.fetch_add(size as u64, Relaxed);
        let live = self.live.fetch_add(size, Relaxed) + size;
        self.peak.fetch_max(live, Relaxed);
    }

    fn shrink(&self, size: usize) {
        // Blocks allocated before counting started are freed too: never go below zero.
        let _ = self.live.fetch_update(Relaxed, Relaxed, |l| Some(l.saturating_sub(size)));
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.on.load(Relaxed) {
            self.grow(layout.size());
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if self.on.load(Relaxed) {
            self.grow(layout.size());
        }
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if self.on.load(Relaxed) {
            self.shrink(layout.size());
        }
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if self.on.load(Relaxed) {
            self.shrink(layout.size());
            self.grow(new_size);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Peak resident set size of this process (`VmHWM`), in bytes, when /proc says.
pub fn peak_rss() -> Option<usize> {
    proc_status_kb("VmHWM:").map(|kb| kb * 1024)
}

/// Current resident set size (`VmRSS`), in bytes.
pub fn rss() -> Option<usize> {
    proc_status_kb("VmRSS:").map(|kb| kb * 1024)
}

/// Resets `VmHWM` to the current RSS (Linux `clear_refs`); false when not allowed.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn proc_status_kb(key: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// `1.23 MiB` style.
pub fn bytes(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.2} MiB", n as f64 / (1024.0 * 1024.0))
    }
}

/// A `listVps` item with its own id, name, IP and creation time (the docs' item otherwise).
pub fn list_item(template: &serde_json::Value, i: usize) -> serde_json::Value {
    let mut item = template.clone();
    item["id"] = format!("vps_01jsbx{i:020}").into();
    item["name"] = format!("app-{i:05}").into();
    item["primaryIp"] = format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255).into();
    item["createdAt"] = format!("2026-0{}-{:02}T12:00:00.000Z", 1 + i % 9, 1 + i % 28).into();
    item
}

/// The docs' list item.
pub fn list_template() -> serde_json::Value {
    let list: serde_json::Value = serde_json::from_str(LIST_FIXTURE).expect("the listVps fixture is JSON");
    list["data"][0].clone()
}

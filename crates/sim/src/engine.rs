//! The event loop.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use dnnc_stream::{ChannelId, Design, DesignError, KernelId};
use serde::Serialize;

/// What a kernel was doing when the design deadlocked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Wait {
    /// Needs tokens on this input channel, from this producer.
    Input { channel: String, producer: String },
    /// Needs room on this output channel, freed by this consumer.
    Output { channel: String, consumer: String },
}

/// A deadlock: no event can happen while work remains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deadlock {
    /// Cycle of the last event.
    pub time: u64,
    /// Kernels waiting on each other in a cycle (each waits on the next, the last on the first).
    pub cycle: Vec<String>,
    /// Every unfinished kernel with what it waits on.
    pub waiting: Vec<(String, Wait)>,
}

/// Per-kernel results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KernelStats {
    /// Kernel name.
    pub name: String,
    /// Firings done (all of them unless deadlocked).
    pub firings: u64,
    /// Start of the first firing.
    pub first_start: u64,
    /// Start of the last firing.
    pub last_start: u64,
    /// When the last firing's outputs became visible.
    pub finish: u64,
    /// Cycles the kernel was ready (its `ii` elapsed) but lacked input tokens.
    pub starved_cycles: u64,
    /// Cycles it was ready and had its inputs but an output FIFO was full.
    pub blocked_cycles: u64,
    /// Firings per cycle between its first and last firing.
    pub throughput: f64,
}

/// Result of a simulation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimReport {
    /// Cycles until the last output became visible (or the deadlock time).
    pub latency_cycles: u64,
    /// Per kernel, by id.
    pub kernels: Vec<KernelStats>,
    /// Present when the design deadlocked.
    pub deadlock: Option<Deadlock>,
    /// Events processed (for benchmarking).
    pub events: u64,
    /// Highest occupancy (tokens held against the capacity) seen per channel, by id.
    pub max_occupancy: Vec<u64>,
}

impl SimReport {
    /// Sum of stall cycles (starved + blocked) over all kernels.
    pub fn stall_cycles(&self) -> u64 {
        self.kernels.iter().map(|k| k.starved_cycles + k.blocked_cycles).sum()
    }

    /// Sum of output-blocked cycles over all kernels.
    pub fn blocked_cycles(&self) -> u64 {
        self.kernels.iter().map(|k| k.blocked_cycles).sum()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// Channel's cumulative visible count becomes the value.
    Visible(u32, u64),
    /// Kernel's `ii` has elapsed.
    Wake(u32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Reason {
    None,
    Starved,
    Blocked,
}

struct KernelState {
    next: u64,
    ready: u64,
    first_start: Option<u64>,
    last_start: u64,
    starved: u64,
    blocked: u64,
    since: u64,
    reason: Reason,
}

struct ChannelState {
    reserved: u64,
    visible: u64,
    popped: u64,
    capacity: u64,
    max_occupancy: u64,
}

/// Simulates one invocation of `design` with the channel depths it carries.
pub fn simulate(design: &Design) -> Result<SimReport, DesignError> {
    design.validate()?;
    let (ins, outs) = design.ports();
    let nk = design.kernels.len();
    let mut ks: Vec<KernelState> = (0..nk)
        .map(|_| KernelState {
            next: 0,
            ready: 0,
            first_start: None,
            last_start: 0,
            starved: 0,
            blocked: 0,
            since: 0,
            reason: Reason::None,
        })
        .collect();
    let mut cs: Vec<ChannelState> = design
        .channel_ids()
        .map(|c| ChannelState { reserved: 0, visible: 0, popped: 0, capacity: design.capacity(c), max_occupancy: 0 })
        .collect();
    let mut heap: BinaryHeap<Reverse<(u64, Event)>> = BinaryHeap::new();
    let mut work: VecDeque<usize> = (0..nk).collect();
    let mut queued = vec![true; nk];
    let mut events = 0u64;
    let mut now = 0u64;
    loop {
        // Settle the current instant.
        while let Some(k) = work.pop_front() {
            queued[k] = false;
            step(design, k, now, &ins, &outs, &mut ks, &mut cs, &mut heap, &mut work, &mut queued);
        }
        let Some(Reverse((t, _))) = heap.peek().copied() else { break };
        now = t;
        while let Some(Reverse((t, ev))) = heap.peek().copied() {
            if t != now {
                break;
            }
            heap.pop();
            events += 1;
            match ev {
                Event::Visible(c, count) => {
                    let ch = &mut cs[c as usize];
                    ch.visible = ch.visible.max(count);
                    enqueue(design.channels[c as usize].consumer.index(), &mut work, &mut queued);
                }
                Event::Wake(k) => enqueue(k as usize, &mut work, &mut queued),
            }
        }
    }
    let unfinished: Vec<usize> = (0..nk).filter(|&k| ks[k].next < design.kernels[k].firings).collect();
    let deadlock = (!unfinished.is_empty()).then(|| deadlock_report(design, now, &unfinished, &ins, &outs, &ks, &cs));
    let kernels: Vec<KernelStats> = (0..nk)
        .map(|k| {
            let s = &ks[k];
            let kern = &design.kernels[k];
            let first = s.first_start.unwrap_or(0);
            let span = (s.last_start - first + kern.ii) as f64;
            KernelStats {
                name: kern.name.clone(),
                firings: s.next,
                first_start: first,
                last_start: s.last_start,
                finish: if s.next > 0 { s.last_start + kern.delay() } else { 0 },
                starved_cycles: s.starved,
                blocked_cycles: s.blocked,
                throughput: if s.next > 0 { s.next as f64 / span } else { 0.0 },
            }
        })
        .collect();
    let latency_cycles = if deadlock.is_some() { now } else { kernels.iter().map(|k| k.finish).max().unwrap_or(0) };
    Ok(SimReport {
        latency_cycles,
        kernels,
        deadlock,
        events,
        max_occupancy: cs.iter().map(|c| c.max_occupancy).collect(),
    })
}

fn enqueue(k: usize, work: &mut VecDeque<usize>, queued: &mut [bool]) {
    if !queued[k] {
        queued[k] = true;
        work.push_back(k);
    }
}

/// Cumulative tokens consumer firing `n` needs popped on `c` (all of them once done).
fn need(design: &Design, c: ChannelId, n: u64) -> u64 {
    let f = design.kernel(design.channel(c).consumer).firings;
    if n >= f { design.channel(c).tokens } else { design.popped_after(c, n) }
}

/// Pops what kernel `k` may take, then fires it if it can.
#[allow(clippy::too_many_arguments)]
fn step(
    design: &Design,
    k: usize,
    now: u64,
    ins: &[Vec<ChannelId>],
    outs: &[Vec<ChannelId>],
    ks: &mut [KernelState],
    cs: &mut [ChannelState],
    heap: &mut BinaryHeap<Reverse<(u64, Event)>>,
    work: &mut VecDeque<usize>,
    queued: &mut [bool],
) {
    let kern = &design.kernels[k];
    let n = ks[k].next;
    // Eager pops up to the next firing's need.
    let mut have_inputs = true;
    for &c in &ins[k] {
        let allowance = need(design, c, n);
        let ch = &mut cs[c.index()];
        let target = ch.visible.min(allowance);
        if target > ch.popped {
            ch.popped = target;
            enqueue(design.channel(c).producer.index(), work, queued);
        }
        if ch.popped < allowance {
            have_inputs = false;
        }
    }
    if n >= kern.firings || now < ks[k].ready {
        return;
    }
    let has_room = outs[k].iter().all(|&c| {
        let ch = &cs[c.index()];
        let after = design.pushed_after(c, n);
        after - ch.popped <= ch.capacity
    });
    let reason = if !have_inputs {
        Reason::Starved
    } else if !has_room {
        Reason::Blocked
    } else {
        Reason::None
    };
    let s = &mut ks[k];
    match s.reason {
        Reason::Starved => s.starved += now - s.since,
        Reason::Blocked => s.blocked += now - s.since,
        Reason::None => {}
    }
    s.since = now;
    s.reason = reason;
    if reason != Reason::None {
        return;
    }
    // Fire.
    s.reason = Reason::None;
    s.first_start.get_or_insert(now);
    s.last_start = now;
    s.next = n + 1;
    s.ready = now + kern.ii;
    if s.next < kern.firings {
        heap.push(Reverse((s.ready, Event::Wake(k as u32))));
    }
    for &c in &outs[k] {
        let after = design.pushed_after(c, n);
        let ch = &mut cs[c.index()];
        if after > ch.reserved {
            ch.reserved = after;
            ch.max_occupancy = ch.max_occupancy.max(after - ch.popped);
            heap.push(Reverse((now + kern.delay(), Event::Visible(c.0, after))));
        }
    }
    // The next firing's allowance may let it pop more right away.
    enqueue(k, work, queued);
}

fn deadlock_report(
    design: &Design,
    now: u64,
    unfinished: &[usize],
    ins: &[Vec<ChannelId>],
    outs: &[Vec<ChannelId>],
    ks: &[KernelState],
    cs: &[ChannelState],
) -> Deadlock {
    let name = |k: KernelId| design.kernel(k).name.clone();
    let mut waits_on: Vec<Option<usize>> = vec![None; design.kernels.len()];
    let mut waiting = Vec::new();
    for &k in unfinished {
        let n = ks[k].next;
        let starved = ins[k].iter().find(|&&c| cs[c.index()].popped < need(design, c, n));
        let wait = if let Some(&c) = starved {
            let p = design.channel(c).producer;
            waits_on[k] = Some(p.index());
            Wait::Input { channel: design.channel(c).name.clone(), producer: name(p) }
        } else if let Some(&c) = outs[k].iter().find(|&&c| {
            let ch = &cs[c.index()];
            design.pushed_after(c, n) - ch.popped > ch.capacity
        }) {
            let v = design.channel(c).consumer;
            waits_on[k] = Some(v.index());
            Wait::Output { channel: design.channel(c).name.clone(), consumer: name(v) }
        } else {
            continue;
        };
        waiting.push((design.kernels[k].name.clone(), wait));
    }
    // Follow the wait-for edges from the first waiting kernel until one repeats.
    let mut cycle = Vec::new();
    if let Some(&start) = unfinished.iter().find(|&&k| waits_on[k].is_some()) {
        let mut seen = vec![usize::MAX; design.kernels.len()];
        let mut path = Vec::new();
        let mut k = start;
        while seen[k] == usize::MAX {
            seen[k] = path.len();
            path.push(k);
            match waits_on[k] {
                Some(next) => k = next,
                None => break,
            }
        }
        if seen[k] != usize::MAX && waits_on[*path.last().unwrap()] == Some(k) {
            cycle = path[seen[k]..].iter().map(|&i| design.kernels[i].name.clone()).collect();
        }
    }
    Deadlock { time: now, cycle, waiting }
}

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

/// A channel's token schedule, precomputed so the hot loop does no division in the common
/// cases (one or a whole number of tokens per firing).
struct Rate {
    tokens: u64,
    producer: usize,
    consumer: usize,
    f_prod: u64,
    f_cons: u64,
    lead: u64,
    /// `tokens / f_prod` when exact.
    per_push: Option<u64>,
    /// `tokens / f_cons` when exact.
    per_pop: Option<u64>,
}

impl Rate {
    fn new(design: &Design, c: ChannelId) -> Rate {
        let ch = design.channel(c);
        let f_prod = design.kernel(ch.producer).firings;
        let f_cons = design.kernel(ch.consumer).firings;
        let exact = |f: u64| ch.tokens.is_multiple_of(f).then_some(ch.tokens / f);
        Rate {
            tokens: ch.tokens,
            producer: ch.producer.index(),
            consumer: ch.consumer.index(),
            f_prod,
            f_cons,
            lead: ch.lead,
            per_push: exact(f_prod),
            per_pop: exact(f_cons),
        }
    }

    /// Cumulative pushes after producer firing `n` (as `Design::pushed_after`).
    #[inline]
    fn pushed_after(&self, n: u64) -> u64 {
        match self.per_push {
            Some(r) => (n + 1) * r,
            None => ((n as u128 + 1) * self.tokens as u128 / self.f_prod as u128) as u64,
        }
    }

    /// Cumulative pops consumer firing `n` needs (as `Design::popped_after`; all once done).
    #[inline]
    fn need(&self, n: u64) -> u64 {
        if n >= self.f_cons {
            return self.tokens;
        }
        let base = match self.per_pop {
            Some(r) => (n + 1) * r,
            None => ((n as u128 + 1) * self.tokens as u128).div_ceil(self.f_cons as u128) as u64,
        };
        (base + self.lead).min(self.tokens)
    }
}

/// Everything the event loop touches, flat.
struct Sim<'a> {
    design: &'a Design,
    ins: Vec<Vec<ChannelId>>,
    outs: Vec<Vec<ChannelId>>,
    rates: Vec<Rate>,
    ks: Vec<KernelState>,
    cs: Vec<ChannelState>,
    heap: BinaryHeap<Reverse<(u64, Event)>>,
    work: VecDeque<usize>,
    queued: Vec<bool>,
}

/// Simulates one invocation of `design` with the channel depths it carries.
pub fn simulate(design: &Design) -> Result<SimReport, DesignError> {
    design.validate()?;
    let (ins, outs) = design.ports();
    let nk = design.kernels.len();
    let ks: Vec<KernelState> = (0..nk)
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
    let cs: Vec<ChannelState> = design
        .channel_ids()
        .map(|c| ChannelState { reserved: 0, visible: 0, popped: 0, capacity: design.capacity(c), max_occupancy: 0 })
        .collect();
    let mut sim = Sim {
        design,
        ins,
        outs,
        rates: design.channel_ids().map(|c| Rate::new(design, c)).collect(),
        ks,
        cs,
        heap: BinaryHeap::new(),
        work: (0..nk).collect(),
        queued: vec![true; nk],
    };
    let mut events = 0u64;
    let mut now = 0u64;
    loop {
        // Settle the current instant.
        while let Some(k) = sim.work.pop_front() {
            sim.queued[k] = false;
            sim.step(k, now);
        }
        let Some(Reverse((t, _))) = sim.heap.peek().copied() else { break };
        now = t;
        while let Some(Reverse((t, ev))) = sim.heap.peek().copied() {
            if t != now {
                break;
            }
            sim.heap.pop();
            events += 1;
            match ev {
                Event::Visible(c, count) => {
                    let ch = &mut sim.cs[c as usize];
                    ch.visible = ch.visible.max(count);
                    let consumer = sim.rates[c as usize].consumer;
                    sim.enqueue(consumer);
                }
                Event::Wake(k) => sim.enqueue(k as usize),
            }
        }
    }
    let Sim { ins, outs, ks, cs, .. } = sim;
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

impl Sim<'_> {
    #[inline]
    fn enqueue(&mut self, k: usize) {
        if !self.queued[k] {
            self.queued[k] = true;
            self.work.push_back(k);
        }
    }

    /// Pops what kernel `k` may take, then fires it if it can.
    fn step(&mut self, k: usize, now: u64) {
        let kern = &self.design.kernels[k];
        let n = self.ks[k].next;
        // Eager pops up to the next firing's need.
        let mut have_inputs = true;
        for i in 0..self.ins[k].len() {
            let c = self.ins[k][i].index();
            let allowance = self.rates[c].need(n);
            let ch = &mut self.cs[c];
            let target = ch.visible.min(allowance);
            if target > ch.popped {
                ch.popped = target;
                let producer = self.rates[c].producer;
                self.enqueue(producer);
            }
            if self.cs[c].popped < allowance {
                have_inputs = false;
            }
        }
        if n >= kern.firings || now < self.ks[k].ready {
            return;
        }
        let has_room = have_inputs
            && self.outs[k].iter().all(|&c| {
                let ch = &self.cs[c.index()];
                self.rates[c.index()].pushed_after(n) - ch.popped <= ch.capacity
            });
        let reason = if !have_inputs {
            Reason::Starved
        } else if !has_room {
            Reason::Blocked
        } else {
            Reason::None
        };
        let s = &mut self.ks[k];
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
        s.first_start.get_or_insert(now);
        s.last_start = now;
        s.next = n + 1;
        s.ready = now + kern.ii;
        if s.next < kern.firings {
            self.heap.push(Reverse((s.ready, Event::Wake(k as u32))));
        }
        let visible_at = now + kern.delay();
        for i in 0..self.outs[k].len() {
            let c = self.outs[k][i];
            let after = self.rates[c.index()].pushed_after(n);
            let ch = &mut self.cs[c.index()];
            if after > ch.reserved {
                ch.reserved = after;
                ch.max_occupancy = ch.max_occupancy.max(after - ch.popped);
                self.heap.push(Reverse((visible_at, Event::Visible(c.0, after))));
            }
        }
        // The next firing's allowance may let it pop more right away.
        self.enqueue(k);
    }
}

/// Cumulative tokens consumer firing `n` needs popped on `c` (all of them once done).
fn need(design: &Design, c: ChannelId, n: u64) -> u64 {
    let f = design.kernel(design.channel(c).consumer).firings;
    if n >= f { design.channel(c).tokens } else { design.popped_after(c, n) }
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

//! Who asks which host what, and when: a fixed pool of worker threads over per-host queues.
//!
//! A worker takes the next address of a host that has fewer than `per_host` requests in flight
//! and whose last request started at least `host_delay` ago, so a site that cites one outlet
//! fifty times never has more than a couple of requests open there. An answer worth another try
//! goes back to the front of its host's queue, and the whole host waits (`Retry-After` if the
//! server sent one and it is short enough, else a doubling backoff), since a host that is
//! overloaded or limiting us is so for every address on it.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::probe::Outcome;
use super::{Options, Verdict};

/// The wait before the first retry; each further one doubles it.
const BACKOFF: Duration = Duration::from_millis(500);

/// The longest `Retry-After` honoured; a server asking for more is reported as it answered.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// One address to ask for, and the host it counts against.
pub(crate) struct Job<'a> {
    url: &'a str,
    host: String,
    attempt: u32,
}

impl<'a> Job<'a> {
    pub(crate) fn new(url: &'a str, host: String) -> Job<'a> {
        Job {
            url,
            host,
            attempt: 0,
        }
    }
}

struct Host<'a> {
    queue: VecDeque<Job<'a>>,
    in_flight: usize,
    /// When the next request may start.
    not_before: Instant,
}

struct State<'a> {
    hosts: Vec<Host<'a>>,
    /// Addresses without a verdict yet (queued or in flight).
    pending: usize,
    /// Where the search for a ready host starts, so hosts take turns.
    turn: usize,
    verdicts: Vec<(&'a str, Verdict)>,
}

/// What a worker should do next.
enum Next<'a> {
    Run(usize, Job<'a>),
    WaitUntil(Instant),
    /// Every queued host is at its limit: wait for a request to finish.
    WaitForAnswer,
    Finished,
}

/// Asks `probe` about every job, `opts.jobs` at a time, and returns each address's verdict.
pub(crate) fn run<'a>(
    jobs: Vec<Job<'a>>,
    opts: &Options,
    probe: &(dyn Fn(&str) -> Outcome + Sync),
) -> Vec<(&'a str, Verdict)> {
    let pending = jobs.len();
    let start = Instant::now();
    let mut hosts: Vec<Host<'a>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for job in jobs {
        let i = *index.entry(job.host.clone()).or_insert_with(|| {
            hosts.push(Host {
                queue: VecDeque::new(),
                in_flight: 0,
                not_before: start,
            });
            hosts.len() - 1
        });
        hosts[i].queue.push_back(job);
    }
    let state = Mutex::new(State {
        hosts,
        pending,
        turn: 0,
        verdicts: Vec::with_capacity(pending),
    });
    let changed = Condvar::new();
    let workers = opts.jobs.clamp(1, pending.max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| work(&state, &changed, opts, probe));
        }
    });
    let state = state.into_inner().unwrap_or_else(|p| p.into_inner());
    state.verdicts
}

fn work<'a>(
    state: &Mutex<State<'a>>,
    changed: &Condvar,
    opts: &Options,
    probe: &(dyn Fn(&str) -> Outcome + Sync),
) {
    let mut guard = lock(state);
    loop {
        match next(&mut guard, opts) {
            Next::Finished => return,
            Next::WaitForAnswer => guard = changed.wait(guard).unwrap_or_else(|p| p.into_inner()),
            Next::WaitUntil(at) => {
                let wait = at.saturating_duration_since(Instant::now());
                guard = changed
                    .wait_timeout(guard, wait)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            Next::Run(host, job) => {
                drop(guard);
                let outcome = probe(job.url);
                guard = lock(state);
                settle(&mut guard, host, job, outcome, opts);
                changed.notify_all();
            }
        }
    }
}

fn lock<'s, 'a>(state: &'s Mutex<State<'a>>) -> MutexGuard<'s, State<'a>> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// Takes the next job that may start now, or says how long to wait.
fn next<'a>(state: &mut State<'a>, opts: &Options) -> Next<'a> {
    if state.pending == 0 {
        return Next::Finished;
    }
    let now = Instant::now();
    let count = state.hosts.len();
    let mut soonest: Option<Instant> = None;
    for k in 0..count {
        let i = (state.turn + k) % count;
        let host = &mut state.hosts[i];
        if host.queue.is_empty() || host.in_flight >= opts.per_host.max(1) {
            continue;
        }
        if host.not_before > now {
            soonest = Some(soonest.map_or(host.not_before, |s| s.min(host.not_before)));
            continue;
        }
        let Some(job) = host.queue.pop_front() else {
            continue;
        };
        host.in_flight += 1;
        host.not_before = now + opts.host_delay;
        state.turn = (i + 1) % count;
        return Next::Run(i, job);
    }
    match soonest {
        Some(at) => Next::WaitUntil(at),
        None => Next::WaitForAnswer,
    }
}

/// Records a job's outcome, or queues it again with its host held back.
fn settle<'a>(state: &mut State<'a>, i: usize, mut job: Job<'a>, outcome: Outcome, opts: &Options) {
    let host = &mut state.hosts[i];
    host.in_flight -= 1;
    let verdict = match outcome {
        Outcome::Done(verdict) => verdict,
        Outcome::Retry {
            reason,
            help,
            after,
        } => {
            let wait = after.unwrap_or(BACKOFF * 2u32.saturating_pow(job.attempt));
            if job.attempt < opts.retries && wait <= MAX_RETRY_AFTER {
                job.attempt += 1;
                host.not_before = host.not_before.max(Instant::now() + wait);
                host.queue.push_front(job);
                return;
            }
            let tries = job.attempt + 1;
            let reason = match after {
                Some(after) if after > MAX_RETRY_AFTER => format!(
                    "{reason}, and asked to wait {} s before asking again",
                    after.as_secs()
                ),
                _ if tries > 1 => format!("{reason} ({tries} tries)"),
                _ => reason,
            };
            Verdict::Unchecked { reason, help }
        }
    };
    state.verdicts.push((job.url, verdict));
    state.pending -= 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn opts() -> Options {
        Options {
            jobs: 8,
            per_host: 2,
            host_delay: Duration::ZERO,
            retries: 2,
            ..Options::default()
        }
    }

    #[test]
    fn per_host_limit_holds_while_hosts_run_side_by_side() {
        let urls: Vec<String> = (0..12).map(|i| format!("http://h{}/{i}", i % 2)).collect();
        let jobs = urls
            .iter()
            .map(|u| Job::new(u, u[7..9].to_string()))
            .collect();
        let in_flight = [AtomicUsize::new(0), AtomicUsize::new(0)];
        let peak = [AtomicUsize::new(0), AtomicUsize::new(0)];
        let total = AtomicUsize::new(0);
        let total_peak = AtomicUsize::new(0);
        let probe = |url: &str| {
            let h = usize::from(url.as_bytes()[8] - b'0');
            let now = in_flight[h].fetch_add(1, Ordering::SeqCst) + 1;
            peak[h].fetch_max(now, Ordering::SeqCst);
            let all = total.fetch_add(1, Ordering::SeqCst) + 1;
            total_peak.fetch_max(all, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(30));
            total.fetch_sub(1, Ordering::SeqCst);
            in_flight[h].fetch_sub(1, Ordering::SeqCst);
            Outcome::Done(Verdict::Ok)
        };
        let verdicts = run(jobs, &opts(), &probe);
        assert_eq!(verdicts.len(), 12);
        assert_eq!(peak[0].load(Ordering::SeqCst), 2);
        assert_eq!(peak[1].load(Ordering::SeqCst), 2);
        // The two hosts ran side by side.
        assert!(total_peak.load(Ordering::SeqCst) > 2);
    }

    #[test]
    fn retries_then_gives_up_as_unchecked() {
        let calls = AtomicUsize::new(0);
        let probe = |_: &str| {
            calls.fetch_add(1, Ordering::SeqCst);
            Outcome::Retry {
                reason: "timed out".into(),
                help: "",
                after: Some(Duration::ZERO),
            }
        };
        let verdicts = run(vec![Job::new("http://h/", "h".into())], &opts(), &probe);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(
            verdicts[0].1,
            Verdict::Unchecked {
                reason: "timed out (3 tries)".into(),
                help: ""
            }
        );
    }

    #[test]
    fn a_long_retry_after_is_not_waited_for() {
        let probe = |_: &str| Outcome::Retry {
            reason: "the server answered 429 Too Many Requests".into(),
            help: "",
            after: Some(Duration::from_secs(3600)),
        };
        let start = Instant::now();
        let verdicts = run(vec![Job::new("http://h/", "h".into())], &opts(), &probe);
        assert!(start.elapsed() < Duration::from_secs(1));
        assert!(
            matches!(&verdicts[0].1, Verdict::Unchecked { reason, .. } if reason.contains("wait 3600 s"))
        );
    }

    #[test]
    fn host_delay_spaces_requests() {
        let urls: Vec<String> = (0..3).map(|i| format!("http://h/{i}")).collect();
        let jobs = urls.iter().map(|u| Job::new(u, "h".into())).collect();
        let starts = Mutex::new(Vec::new());
        let probe = |_: &str| {
            starts.lock().unwrap().push(Instant::now());
            Outcome::Done(Verdict::Ok)
        };
        let opts = Options {
            host_delay: Duration::from_millis(50),
            ..opts()
        };
        run(jobs, &opts, &probe);
        let mut starts = starts.into_inner().unwrap();
        starts.sort();
        for pair in starts.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(45));
        }
    }
}

//! Failed sign-ins counted per username and per client address over a sliding window, so that
//! guessing passwords stops long before it gets anywhere. Kept in memory: a restart forgets the
//! counts, which costs an attacker a restart they cannot cause.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Beyond this many tracked keys the oldest windows are dropped, so a flood of made-up usernames
/// cannot grow memory without bound.
const MAX_KEYS: usize = 100_000;

pub struct Throttle {
    per_key: HashMap<Scope, u32>,
    window: Duration,
    failures: Mutex<HashMap<(Scope, String), Vec<Instant>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Username,
    Address,
}

impl Throttle {
    pub fn new(per_username: u32, per_address: u32, window: Duration) -> Throttle {
        Throttle { per_key: HashMap::from([(Scope::Username, per_username), (Scope::Address, per_address)]), window, failures: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Scope, String), Vec<Instant>>> {
        // Counts are advisory: a panic elsewhere must not lock everyone out.
        self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Some(seconds to wait)` when any of the keys has used up its tries.
    pub fn blocked(&self, keys: &[(Scope, String)]) -> Option<u64> {
        let now = Instant::now();
        let mut failures = self.lock();
        keys.iter()
            .filter_map(|key| {
                let times = failures.get_mut(key)?;
                times.retain(|t| now.duration_since(*t) < self.window);
                let limit = self.per_key[&key.0] as usize;
                (times.len() >= limit).then(|| {
                    let oldest = times[times.len() - limit];
                    (self.window.saturating_sub(now.duration_since(oldest))).as_secs().max(1)
                })
            })
            .max()
    }

    pub fn failed(&self, keys: Vec<(Scope, String)>) {
        let now = Instant::now();
        let mut failures = self.lock();
        if failures.len() >= MAX_KEYS {
            failures.retain(|_, times| times.last().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        if failures.len() >= MAX_KEYS {
            failures.clear();
        }
        for key in keys {
            failures.entry(key).or_default().push(now);
        }
    }

    /// A successful sign-in forgets that username's failures (not the address's).
    pub fn succeeded(&self, username: &str) {
        self.lock().remove(&(Scope::Username, username.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_names_the_wait() {
        let t = Throttle::new(3, 100, Duration::from_secs(60));
        let keys = || vec![(Scope::Username, "ann".to_string()), (Scope::Address, "10.0.0.1".to_string())];
        for _ in 0..3 {
            assert_eq!(t.blocked(&keys()), None);
            t.failed(keys());
        }
        let wait = t.blocked(&keys()).expect("blocked after three failures");
        assert!((1..=60).contains(&wait), "{wait}");
        t.succeeded("ann");
        assert_eq!(t.blocked(&keys()), None, "success clears the username's count");
    }
}

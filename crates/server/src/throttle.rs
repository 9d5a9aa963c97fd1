//! Failed sign-ins counted per username and per client address over a sliding window, so that
//! guessing passwords stops long before it gets anywhere. Kept in memory: a restart forgets the
//! counts, which costs an attacker a restart they cannot cause.
//!
//! An attempt is counted as failed the moment it starts ([`Throttle::begin`]) and forgiven when
//! it succeeds: a burst of simultaneous guesses cannot all slip past the check before the first
//! failure is recorded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Beyond this many tracked keys, expired windows are dropped, then address keys: a flood of
/// made-up usernames or addresses cannot grow memory without bound, nor wipe a username's count.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Username,
    Address,
}

type Key = (Scope, String);

pub struct Throttle {
    per_username: u32,
    per_address: u32,
    window: Duration,
    failures: Mutex<HashMap<Key, Vec<Instant>>>,
}

/// The keys one attempt counts against: the username, and the client's address (IPv6 by its
/// /64, which one client usually holds whole).
pub fn keys(username: &str, addr: Option<IpAddr>) -> Vec<Key> {
    let mut keys = vec![(Scope::Username, username.trim().to_lowercase())];
    match addr {
        Some(IpAddr::V4(v4)) => keys.push((Scope::Address, v4.to_string())),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            keys.push((
                Scope::Address,
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]),
            ));
        }
        None => {}
    }
    keys
}

impl Throttle {
    /// A limit of 0 turns that count off.
    pub fn new(per_username: u32, per_address: u32, window: Duration) -> Throttle {
        Throttle {
            per_username,
            per_address,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn limit(&self, scope: Scope) -> usize {
        match scope {
            Scope::Username => self.per_username as usize,
            Scope::Address => self.per_address as usize,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Vec<Instant>>> {
        // Counts are advisory: a panic elsewhere must not lock everyone out.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts an attempt: `Err(seconds to wait)` when any key has used up its tries, else the
    /// attempt is counted as failed until [`Throttle::succeeded`] forgives it.
    pub fn begin(&self, keys: &[Key]) -> Result<(), u64> {
        let now = Instant::now();
        let mut failures = self.lock();
        let mut wait = 0;
        for key in keys {
            let limit = self.limit(key.0);
            if limit == 0 {
                continue;
            }
            if let Some(times) = failures.get_mut(key) {
                times.retain(|t| now.duration_since(*t) < self.window);
                if times.len() >= limit {
                    let oldest = times[times.len() - limit];
                    wait = wait.max(
                        self.window
                            .saturating_sub(now.duration_since(oldest))
                            .as_secs()
                            .max(1),
                    );
                }
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        if failures.len() + keys.len() > MAX_KEYS {
            failures.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        if failures.len() + keys.len() > MAX_KEYS {
            failures.retain(|key, _| key.0 == Scope::Username);
        }
        for key in keys {
            if self.limit(key.0) > 0 {
                failures.entry(key.clone()).or_default().push(now);
            }
        }
        Ok(())
    }

    /// A successful attempt forgets the username's failures and its own count on the address.
    pub fn succeeded(&self, keys: &[Key]) {
        let mut failures = self.lock();
        for key in keys {
            match key.0 {
                Scope::Username => {
                    failures.remove(key);
                }
                Scope::Address => {
                    if let Some(times) = failures.get_mut(key) {
                        times.pop();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_names_the_wait() {
        let t = Throttle::new(3, 100, Duration::from_secs(60));
        let keys = keys("Ann", Some("10.0.0.1".parse().unwrap()));
        for _ in 0..3 {
            t.begin(&keys).expect("within the limit");
        }
        let wait = t.begin(&keys).expect_err("blocked after three failures");
        assert!((1..=60).contains(&wait), "{wait}");
        t.succeeded(&keys);
        assert_eq!(
            t.begin(&keys),
            Ok(()),
            "success clears the username's count"
        );
    }

    #[test]
    fn a_zero_limit_is_off_and_ipv6_counts_by_its_64() {
        let t = Throttle::new(0, 2, Duration::from_secs(60));
        for i in 0..2 {
            t.begin(&keys(
                "bob",
                Some(format!("2001:db8:1:2::{i}").parse().unwrap()),
            ))
            .unwrap();
        }
        assert!(
            t.begin(&keys("carol", Some("2001:db8:1:2::99".parse().unwrap())))
                .is_err(),
            "one /64 is one client"
        );
        assert!(t
            .begin(&keys("carol", Some("2001:db8:1:3::1".parse().unwrap())))
            .is_ok());
    }
}

//! Failed sign-ins counted per username and per client address over a sliding window, so that
//! guessing passwords stops long before it gets anywhere. The attempts are kept in the
//! database (`SessionStore`), so every server on one database counts them together; this
//! module is the policy: which keys an attempt counts against, and how long a used-up key waits.
//!
//! An attempt is counted as failed the moment it starts and forgiven when it succeeds, both in
//! the write transaction that checks the count: a burst of simultaneous guesses, to one server
//! or several, cannot all slip past the check before the first failure is recorded.

use chrono::NaiveDateTime;
use std::net::IpAddr;
use std::time::Duration;

kappa_domain::coded!(
    /// What an attempt is counted against.
    pub enum Scope {
        Username => "username",
        Address => "address",
    }
);

pub type Key = (Scope, String);

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

pub struct Throttle {
    per_username: u32,
    per_address: u32,
    window: Duration,
}

impl Throttle {
    /// A limit of 0 turns that count off.
    pub fn new(per_username: u32, per_address: u32, window: Duration) -> Throttle {
        Throttle {
            per_username,
            per_address,
            window,
        }
    }

    fn limit(&self, scope: Scope) -> usize {
        match scope {
            Scope::Username => self.per_username as usize,
            Scope::Address => self.per_address as usize,
        }
    }

    /// The keys of `keys` that are counted at all (a limit of 0 is off).
    pub fn counted(&self, keys: &[Key]) -> Vec<Key> {
        keys.iter()
            .filter(|k| self.limit(k.0) > 0)
            .cloned()
            .collect()
    }

    /// Attempts older than this no longer count at `now`.
    pub fn window_start(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX)
    }

    /// Given each counted key's attempts within the window (oldest first), the seconds to wait
    /// before another attempt, if any key has used up its tries.
    pub fn wait(
        &self,
        attempts: &[(Scope, Vec<NaiveDateTime>)],
        now: NaiveDateTime,
    ) -> Option<u64> {
        let window = chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX);
        attempts
            .iter()
            .filter_map(|(scope, times)| {
                let limit = self.limit(*scope);
                (limit > 0 && times.len() >= limit).then(|| {
                    // The oldest attempt that still keeps the key at its limit must age out.
                    let oldest = times[times.len() - limit];
                    let left = (oldest + window - now).num_seconds();
                    left.max(1) as u64
                })
            })
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + second, 0)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn blocks_at_the_limit_and_names_the_wait() {
        let t = Throttle::new(3, 100, Duration::from_secs(60));
        let three = vec![at(0), at(10), at(20)];
        assert_eq!(
            t.wait(&[(Scope::Username, three[..2].to_vec())], at(30)),
            None
        );
        assert_eq!(
            t.wait(&[(Scope::Username, three.clone())], at(30)),
            Some(30),
            "the first of the three ages out at 60 s"
        );
        assert_eq!(t.window_start(at(60)), at(0));
    }

    #[test]
    fn a_zero_limit_is_off_and_ipv6_counts_by_its_64() {
        let t = Throttle::new(0, 2, Duration::from_secs(60));
        let keys_a = keys("bob", Some("2001:db8:1:2::1".parse().unwrap()));
        let keys_b = keys("carol", Some("2001:db8:1:2::99".parse().unwrap()));
        assert_eq!(keys_a[1], keys_b[1], "one /64 is one client");
        assert_eq!(t.counted(&keys_a), vec![keys_a[1].clone()]);
        assert_eq!(
            t.wait(&[(Scope::Username, vec![at(0); 50])], at(1)),
            None,
            "usernames are not counted"
        );
    }
}

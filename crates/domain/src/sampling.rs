//! Sampling plans: which calls get reviewed, drawn so that anyone can redo the draw.
//!
//! **The draw.** Every call gets a key, `draw_key(seed, call id)`: SplitMix64 (Steele, Lea and
//! Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) of the seed mixed with
//! the call id. A stratum's sample is its `k` eligible calls with the smallest keys ("bottom-k",
//! a uniform random sample without replacement). The key depends only on the seed and the call,
//! not on the order calls are read in, so the server (streaming from SQLite) and the browser
//! (reading fixtures) draw the same sample, and a replacement is simply the next smallest key of
//! the same stratum: the same seed stream, continued. Nothing here uses the `rand` crate, so no
//! dependency update can change a sample.
//!
//! **Allocation.** Proportional allocation gives stratum h the share n·N_h/N; equal allocation
//! n/H. Both are rounded by the largest-remainder (Hamilton) method: everyone gets the floor,
//! then the strata with the largest fractional parts get one more each, ties going to the
//! stratum that sorts first. A stratum never gets more than it has; what it cannot take is
//! shared out again among the strata that still have calls.
//!
//! **Targeted rules.** A mix such as 70 % random / 20 % complaints / 10 % CSAT ≤ 2 first splits
//! n by largest remainder, then draws the complaint share from complaint calls, then the
//! low-CSAT share from the low-CSAT calls not already picked, then the rest at random from
//! every eligible call not picked. When a targeted pool is smaller than its share, the share it
//! could not fill is drawn at random instead, so the run still has n calls when the population
//! does.

use crate::call::{Call, CallId};
use crate::coded;
use crate::people::UserId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

pub type PlanId = u32;
pub type RunId = u32;
pub type AssignmentId = u32;

/// SplitMix64's output function: a bijective mix of 64 bits.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A call's place in a run's random order.
pub fn draw_key(seed: u64, call: CallId) -> u64 {
    splitmix64(seed ^ splitmix64(u64::from(call)))
}

/// The seed of a plan's `number`-th run: each recurrence draws afresh, reproducibly.
pub fn run_seed(plan_seed: u64, number: u32) -> u64 {
    splitmix64(plan_seed.wrapping_add(u64::from(number)))
}

coded!(
    pub enum StratumField {
        Team => "team",
        Queue => "queue",
        /// The call's outcome, as the agent closed it.
        Disposition => "disposition",
        Agent => "agent",
    }
);

/// Numbers the strata a strategy's field makes, so a stratum is keyed by a number while
/// millions of calls stream past: a team or agent by its id, a queue or outcome by its place
/// among the codes seen (text is copied once per code, not per call).
struct Strata {
    field: Option<StratumField>,
    codes: HashMap<String, u32>,
    names: Vec<String>,
}

impl Strata {
    fn new(field: Option<StratumField>) -> Strata {
        Strata {
            field,
            codes: HashMap::new(),
            names: Vec::new(),
        }
    }

    /// A call's stratum, as a number (0 for the one population).
    fn key(&mut self, call: &Call) -> u32 {
        let code = match self.field {
            None => return 0,
            Some(StratumField::Team) => return call.team_id,
            Some(StratumField::Agent) => return call.agent_id,
            Some(StratumField::Queue) => &call.queue,
            Some(StratumField::Disposition) => &call.disposition,
        };
        if let Some(key) = self.codes.get(code.as_str()) {
            return *key;
        }
        let key = self.names.len() as u32;
        self.codes.insert(code.clone(), key);
        self.names.push(code.clone());
        key
    }

    /// The stratum's name, as `field:value` (the form every stratum key takes on the wire).
    fn name(&self, key: u32) -> String {
        match self.field {
            None => "all".to_string(),
            Some(f @ (StratumField::Team | StratumField::Agent)) => format!("{}:{key}", f.code()),
            Some(f) => format!(
                "{}:{}",
                f.code(),
                self.names.get(key as usize).map_or("?", |n| n.as_str())
            ),
        }
    }

    /// Renumbers codes in their sorted order, so strata come out in the same order whatever
    /// order a store scans calls in.
    fn settle(&mut self, sizes: BTreeMap<u32, u32>) -> BTreeMap<u32, u32> {
        if self.names.is_empty() {
            return sizes;
        }
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by(|a, b| self.names[*a as usize].cmp(&self.names[*b as usize]));
        let mut renumbered = vec![0u32; order.len()];
        for (new, old) in order.iter().enumerate() {
            renumbered[*old as usize] = new as u32;
        }
        self.names.sort();
        for key in self.codes.values_mut() {
            *key = renumbered[*key as usize];
        }
        sizes
            .into_iter()
            .map(|(key, n)| (renumbered[key as usize], n))
            .collect()
    }
}

coded!(
    pub enum Allocation {
        Proportional => "proportional",
        Equal => "equal",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// `n` calls of every agent in the population.
    PerAgent { n: u32 },
    /// `n` calls in all.
    Total { n: u32 },
    Stratified {
        by: StratumField,
        allocation: Allocation,
        n: u32,
    },
    /// `n` calls: `complaints_pct` % complaints, `low_csat_pct` % with CSAT ≤ 2, the rest random.
    Targeted {
        n: u32,
        complaints_pct: u32,
        low_csat_pct: u32,
    },
}

coded!(
    /// Which strategy a plan samples by, without its numbers: what a form offers.
    pub enum StrategyKind {
        PerAgent => "per_agent",
        Total => "total",
        Stratified => "stratified",
        Targeted => "targeted",
    }
);

impl Strategy {
    pub fn kind(&self) -> StrategyKind {
        match self {
            Strategy::PerAgent { .. } => StrategyKind::PerAgent,
            Strategy::Total { .. } => StrategyKind::Total,
            Strategy::Stratified { .. } => StrategyKind::Stratified,
            Strategy::Targeted { .. } => StrategyKind::Targeted,
        }
    }

    pub fn n(&self) -> u32 {
        match self {
            Strategy::PerAgent { n }
            | Strategy::Total { n }
            | Strategy::Stratified { n, .. }
            | Strategy::Targeted { n, .. } => *n,
        }
    }
}

/// The highest CSAT that counts as "low" for targeted sampling.
pub const LOW_CSAT: u8 = 2;

coded!(
    /// Why a call is in a sample.
    pub enum Rule {
        Random => "random",
        Complaint => "complaint",
        LowCsat => "low_csat",
    }
);

impl Rule {
    fn admits(self, call: &Call) -> bool {
        match self {
            Rule::Random => true,
            Rule::Complaint => call.complaint,
            Rule::LowCsat => call.csat.is_some_and(|c| c <= LOW_CSAT),
        }
    }
}

/// One drawn call, with where it was drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub call_id: CallId,
    pub agent_id: UserId,
    pub stratum: String,
    pub rule: Rule,
}

/// How one stratum (or targeted pool) fared: its eligible calls, its share, what was drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratumRow {
    pub stratum: String,
    pub population: u32,
    pub allocated: u32,
    pub drawn: u32,
}

/// A draw: the sample and the figures that describe it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draw {
    /// Eligible calls (after the population filters and the exclusions).
    pub population: u32,
    pub requested: u32,
    pub strata: Vec<StratumRow>,
    /// Eligible calls per agent, for the precision table.
    pub agents: BTreeMap<UserId, u32>,
    pub picks: Vec<Pick>,
}

/// Reads the eligible calls, once per call each time it is called. Drawing reads twice (count,
/// then draw), so a store can stream from disk and hold no more than the sample.
pub type Scan<'a> = dyn FnMut(&mut dyn FnMut(&Call)) + 'a;

/// Hamilton's largest-remainder method: `total` split in proportion to `weights`.
pub fn largest_remainder(total: u32, weights: &[u64]) -> Vec<u32> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let quotas: Vec<(u64, u64)> = weights
        .iter()
        .map(|w| (u64::from(total) * w / sum, u64::from(total) * w % sum))
        .collect();
    let mut shares: Vec<u32> = quotas.iter().map(|(q, _)| *q as u32).collect();
    let left = total - shares.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest remainder first; ties to the stratum that sorts first.
    order.sort_by(|&a, &b| quotas[b].1.cmp(&quotas[a].1).then(a.cmp(&b)));
    for &i in order.iter().take(left as usize) {
        shares[i] += 1;
    }
    shares
}

/// Splits `total` over strata of the given sizes, never beyond a stratum's size: the share a
/// small stratum cannot take is split again over those that can.
fn allocate(total: u32, sizes: &[u32], allocation: Allocation) -> Vec<u32> {
    let mut shares = vec![0u32; sizes.len()];
    let mut left = total.min(sizes.iter().sum());
    while left > 0 {
        let open: Vec<usize> = (0..sizes.len()).filter(|&i| shares[i] < sizes[i]).collect();
        let weights: Vec<u64> = open
            .iter()
            .map(|&i| {
                if allocation == Allocation::Equal {
                    1
                } else {
                    u64::from(sizes[i] - shares[i])
                }
            })
            .collect();
        let split = largest_remainder(left, &weights);
        for (&i, extra) in open.iter().zip(split) {
            let take = extra.min(sizes[i] - shares[i]);
            shares[i] += take;
            left -= take;
        }
    }
    shares
}

/// The `k` smallest keys seen, kept in a max-heap so memory stays at `k`.
struct BottomK {
    k: usize,
    heap: BinaryHeap<(u64, CallId, UserId)>,
}

impl BottomK {
    fn new(k: u32) -> BottomK {
        BottomK {
            k: k as usize,
            heap: BinaryHeap::new(),
        }
    }

    fn offer(&mut self, key: u64, call: &Call) {
        if self.heap.len() < self.k {
            self.heap.push((key, call.id, call.agent_id));
        } else if self
            .heap
            .peek()
            .is_some_and(|top| (key, call.id) < (top.0, top.1))
        {
            self.heap.pop();
            self.heap.push((key, call.id, call.agent_id));
        }
    }

    fn sorted(self) -> Vec<(u64, CallId, UserId)> {
        self.heap.into_sorted_vec()
    }
}

/// The field a strategy stratifies by; `None` when it draws from one population.
fn field_of(strategy: &Strategy) -> Option<StratumField> {
    match strategy {
        Strategy::PerAgent { .. } => Some(StratumField::Agent),
        Strategy::Stratified { by, .. } => Some(*by),
        Strategy::Total { .. } | Strategy::Targeted { .. } => None,
    }
}

/// Draws a sample. `scan` reads the eligible calls (filters and exclusions already applied).
pub fn draw(strategy: &Strategy, seed: u64, scan: &mut Scan) -> Draw {
    let mut strata = Strata::new(field_of(strategy));
    let mut sizes: BTreeMap<u32, u32> = BTreeMap::new();
    let mut agents: BTreeMap<UserId, u32> = BTreeMap::new();
    let (mut complaints, mut low_csat, mut population) = (0u32, 0u32, 0u32);
    scan(&mut |call| {
        population += 1;
        *agents.entry(call.agent_id).or_default() += 1;
        *sizes.entry(strata.key(call)).or_default() += 1;
        complaints += u32::from(Rule::Complaint.admits(call));
        low_csat += u32::from(Rule::LowCsat.admits(call));
    });
    let sizes = strata.settle(sizes);
    let requested = match strategy {
        Strategy::PerAgent { n } => n.saturating_mul(sizes.len() as u32),
        other => other.n(),
    };
    let (rows, picks) = match strategy {
        Strategy::Targeted {
            n,
            complaints_pct,
            low_csat_pct,
        } => {
            let shares = largest_remainder(
                *n,
                &[
                    u64::from(*complaints_pct),
                    u64::from(*low_csat_pct),
                    u64::from(100u32.saturating_sub(complaints_pct + low_csat_pct)),
                ],
            );
            draw_targeted(
                *n,
                [
                    (Rule::Complaint, shares[0], complaints),
                    (Rule::LowCsat, shares[1], low_csat),
                ],
                population,
                seed,
                scan,
            )
        }
        _ => {
            let counts: Vec<u32> = sizes.values().copied().collect();
            let shares = match strategy {
                Strategy::PerAgent { n } => counts.iter().map(|c| (*c).min(*n)).collect(),
                Strategy::Stratified { allocation, n, .. } => allocate(*n, &counts, *allocation),
                _ => allocate(strategy.n(), &counts, Allocation::Proportional),
            };
            draw_strata(strata, &sizes, &shares, seed, scan)
        }
    };
    Draw {
        population,
        requested,
        strata: rows,
        agents,
        picks,
    }
}

fn draw_strata(
    mut strata: Strata,
    sizes: &BTreeMap<u32, u32>,
    shares: &[u32],
    seed: u64,
    scan: &mut Scan,
) -> (Vec<StratumRow>, Vec<Pick>) {
    let mut heaps: BTreeMap<u32, BottomK> = sizes
        .keys()
        .zip(shares)
        .map(|(k, s)| (*k, BottomK::new(*s)))
        .collect();
    scan(&mut |call| {
        if let Some(heap) = heaps.get_mut(&strata.key(call)) {
            heap.offer(draw_key(seed, call.id), call);
        }
    });
    let mut rows = Vec::new();
    let mut picks = Vec::new();
    for ((key, heap), (population, allocated)) in heaps.into_iter().zip(sizes.values().zip(shares))
    {
        let stratum = strata.name(key);
        let drawn = heap.sorted();
        rows.push(StratumRow {
            stratum: stratum.clone(),
            population: *population,
            allocated: *allocated,
            drawn: drawn.len() as u32,
        });
        picks.extend(drawn.into_iter().map(|(_, call_id, agent_id)| Pick {
            call_id,
            agent_id,
            stratum: stratum.clone(),
            rule: Rule::Random,
        }));
    }
    (rows, picks)
}

fn draw_targeted(
    n: u32,
    targets: [(Rule, u32, u32); 2],
    population: u32,
    seed: u64,
    scan: &mut Scan,
) -> (Vec<StratumRow>, Vec<Pick>) {
    // Each pool keeps enough to skip the calls an earlier pool took.
    let [(first, first_share, _), (second, second_share, _)] = targets;
    let mut pools = [
        BottomK::new(first_share),
        BottomK::new(first_share + second_share),
        BottomK::new(n.saturating_mul(2)),
    ];
    scan(&mut |call| {
        let key = draw_key(seed, call.id);
        for (pool, rule) in pools.iter_mut().zip([first, second, Rule::Random]) {
            if rule.admits(call) {
                pool.offer(key, call);
            }
        }
    });
    let mut taken: HashSet<CallId> = HashSet::new();
    let mut picks = Vec::new();
    let mut rows = Vec::new();
    let [a, b, random] = pools;
    let mut take =
        |pool: BottomK, rule: Rule, share: u32, pool_size: u32, picks: &mut Vec<Pick>| {
            let mut drawn = 0;
            for (_, call_id, agent_id) in pool.sorted() {
                if drawn == share {
                    break;
                }
                if taken.insert(call_id) {
                    picks.push(Pick {
                        call_id,
                        agent_id,
                        stratum: rule_code(rule).to_string(),
                        rule,
                    });
                    drawn += 1;
                }
            }
            StratumRow {
                stratum: rule_code(rule).to_string(),
                population: pool_size,
                allocated: share,
                drawn,
            }
        };
    for (pool, (rule, share, size)) in [a, b].into_iter().zip(targets) {
        rows.push(take(pool, rule, share, size, &mut picks));
    }
    let random_share = n - rows.iter().map(|r| r.drawn).sum::<u32>();
    rows.push(take(
        random,
        Rule::Random,
        random_share,
        population,
        &mut picks,
    ));
    (rows, picks)
}

pub fn rule_code(rule: Rule) -> &'static str {
    match rule {
        Rule::Random => "random",
        Rule::Complaint => "complaint",
        Rule::LowCsat => "low_csat",
    }
}

/// The next call of a stratum in the run's seed stream: what replaces a call a reviewer could not
/// score. `scan` leaves out the calls the run already used.
pub fn replacement(
    strategy: &Strategy,
    seed: u64,
    stratum: &str,
    rule: Rule,
    scan: &mut Scan,
) -> Option<Pick> {
    let mut best: Option<(u64, CallId, UserId)> = None;
    let mut strata = Strata::new(field_of(strategy));
    // Whether each stratum key is the one asked for, named once per key rather than per call.
    let mut wanted: BTreeMap<u32, bool> = BTreeMap::new();
    scan(&mut |call| {
        let in_stratum = match strategy {
            Strategy::Targeted { .. } => rule.admits(call),
            _ => {
                let key = strata.key(call);
                *wanted
                    .entry(key)
                    .or_insert_with(|| strata.name(key) == stratum)
            }
        };
        if in_stratum {
            let key = (draw_key(seed, call.id), call.id, call.agent_id);
            if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                best = Some(key);
            }
        }
    });
    best.map(|(_, call_id, agent_id)| Pick {
        call_id,
        agent_id,
        stratum: stratum.to_string(),
        rule,
    })
}

/// Spreads picks over a reviewer pool: each call goes to the eligible reviewer with the fewest
/// so far (ties to the earlier in the pool), so without exclusions every reviewer ends within
/// one call of every other. `None` when no one in the pool may review that agent.
pub fn distribute(
    picks: &[Pick],
    pool: &[UserId],
    excluded: impl Fn(UserId, UserId) -> bool,
) -> Vec<Option<UserId>> {
    let mut load = vec![0u32; pool.len()];
    picks
        .iter()
        .map(|pick| {
            let chosen = (0..pool.len())
                .filter(|&i| !excluded(pool[i], pick.agent_id))
                .min_by_key(|&i| (load[i], i))?;
            load[chosen] += 1;
            Some(pool[chosen])
        })
        .collect()
}

/// The calendar window a run covers: the plan's own dates, or the `days` full days before the
/// run's date.
pub fn window(
    rolling_days: Option<u32>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    run_on: NaiveDate,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match rolling_days {
        Some(days) => (
            Some(run_on - chrono::Duration::days(i64::from(days))),
            Some(run_on - chrono::Duration::days(1)),
        ),
        None => (from, to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Direction, Language};

    fn call(
        id: CallId,
        agent: UserId,
        team: u32,
        queue: &str,
        complaint: bool,
        csat: Option<u8>,
    ) -> Call {
        Call {
            id,
            started_at: NaiveDate::from_ymd_opt(2026, 11, 20)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            duration_s: 300,
            agent_id: agent,
            team_id: team,
            queue: queue.into(),
            direction: Direction::Inbound,
            disposition: "resolved".into(),
            csat,
            complaint,
            language: Language::Zh,
            customer_ref: String::new(),
            recording: None,
            caller_hash: None,
            origin: None,
            attributes: Default::default(),
        }
    }

    /// 1,000 calls: agents 10..20 (team 1 for 10..15, team 2 for 15..20), every 10th a
    /// complaint, every 7th rated 1.
    fn centre() -> Vec<Call> {
        (1..=1000)
            .map(|id| {
                let agent = 10 + id % 10;
                let queue = if id % 3 == 0 { "refunds" } else { "bookings" };
                call(
                    id,
                    agent,
                    if agent < 15 { 1 } else { 2 },
                    queue,
                    id % 10 == 0,
                    (id % 7 == 0).then_some(1),
                )
            })
            .collect()
    }

    fn scan_of(calls: &[Call]) -> impl FnMut(&mut dyn FnMut(&Call)) + '_ {
        move |f: &mut dyn FnMut(&Call)| calls.iter().for_each(f)
    }

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // Vigna's splitmix64.c seeded with 0: the first outputs of next().
        let mut state = 0u64;
        let mut next = || {
            let out = splitmix64(state);
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            out
        };
        assert_eq!(next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn largest_remainder_rounds_like_hamilton() {
        assert_eq!(largest_remainder(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(largest_remainder(10, &[70, 20, 10]), vec![7, 2, 1]);
        // 7 over 50/30/20: quotas 3.5, 2.1, 1.4 → floors 3, 2, 1; the .5 gets the last seat.
        assert_eq!(largest_remainder(7, &[50, 30, 20]), vec![4, 2, 1]);
        assert_eq!(largest_remainder(5, &[0, 0]), vec![0, 0]);
    }

    #[test]
    fn allocation_never_exceeds_a_stratum_and_shares_the_rest() {
        assert_eq!(allocate(12, &[2, 50, 50], Allocation::Equal), vec![2, 5, 5]);
        assert_eq!(
            allocate(10, &[100, 300], Allocation::Proportional),
            vec![3, 7]
        );
        assert_eq!(
            allocate(100, &[3, 4], Allocation::Equal),
            vec![3, 4],
            "never more than the population"
        );
    }

    #[test]
    fn each_strategy_draws_its_sizes() {
        let calls = centre();
        let per_agent = draw(&Strategy::PerAgent { n: 4 }, 7, &mut scan_of(&calls));
        assert_eq!(
            (
                per_agent.population,
                per_agent.requested,
                per_agent.picks.len()
            ),
            (1000, 40, 40)
        );
        for agent in 10..20 {
            assert_eq!(
                per_agent
                    .picks
                    .iter()
                    .filter(|p| p.agent_id == agent)
                    .count(),
                4
            );
        }
        let total = draw(&Strategy::Total { n: 25 }, 7, &mut scan_of(&calls));
        assert_eq!(total.picks.len(), 25);
        let stratified = draw(
            &Strategy::Stratified {
                by: StratumField::Queue,
                allocation: Allocation::Proportional,
                n: 30,
            },
            7,
            &mut scan_of(&calls),
        );
        // 333 refunds, 667 bookings: 30 · 667/1000 = 20.01 → 20, 30 · 333/1000 = 9.99 → 10.
        let rows: Vec<(String, u32, u32)> = stratified
            .strata
            .iter()
            .map(|r| (r.stratum.clone(), r.population, r.drawn))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("queue:bookings".into(), 667, 20),
                ("queue:refunds".into(), 333, 10)
            ]
        );
        let equal = draw(
            &Strategy::Stratified {
                by: StratumField::Team,
                allocation: Allocation::Equal,
                n: 9,
            },
            7,
            &mut scan_of(&calls),
        );
        assert_eq!(
            equal.strata.iter().map(|r| r.drawn).collect::<Vec<_>>(),
            vec![5, 4]
        );
    }

    #[test]
    fn targeted_shares_fill_from_their_pools_and_shortfalls_go_random() {
        let calls = centre();
        let mix = draw(
            &Strategy::Targeted {
                n: 50,
                complaints_pct: 20,
                low_csat_pct: 10,
            },
            3,
            &mut scan_of(&calls),
        );
        let by_rule = |rule| {
            mix.picks
                .iter()
                .filter(|p| p.rule == rule)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            (
                by_rule(Rule::Complaint).len(),
                by_rule(Rule::LowCsat).len(),
                by_rule(Rule::Random).len()
            ),
            (10, 5, 35)
        );
        assert!(by_rule(Rule::Complaint).iter().all(|p| p.call_id % 10 == 0));
        assert!(by_rule(Rule::LowCsat).iter().all(|p| p.call_id % 7 == 0));
        let unique: HashSet<_> = mix.picks.iter().map(|p| p.call_id).collect();
        assert_eq!(unique.len(), 50, "no call is drawn twice");
        // Only 100 complaints exist: asking for 80 % of 200 leaves 60 to the random share.
        let short = draw(
            &Strategy::Targeted {
                n: 200,
                complaints_pct: 80,
                low_csat_pct: 0,
            },
            3,
            &mut scan_of(&calls),
        );
        assert_eq!(short.strata[0].drawn, 100);
        assert_eq!(short.picks.len(), 200);
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_in_any_order() {
        let calls = centre();
        let strategy = Strategy::Stratified {
            by: StratumField::Agent,
            allocation: Allocation::Equal,
            n: 20,
        };
        let a = draw(&strategy, 42, &mut scan_of(&calls));
        let mut reversed = calls.clone();
        reversed.reverse();
        assert_eq!(a, draw(&strategy, 42, &mut scan_of(&reversed)));
        assert_ne!(a.picks, draw(&strategy, 43, &mut scan_of(&calls)).picks);
    }

    /// The committed golden sample: if this changes, every recorded run changes meaning.
    #[test]
    fn a_fixed_seed_gives_the_golden_sample() {
        let calls = centre();
        let ids: Vec<CallId> = draw(&Strategy::Total { n: 12 }, 20261127, &mut scan_of(&calls))
            .picks
            .iter()
            .map(|p| p.call_id)
            .collect();
        assert_eq!(ids, GOLDEN);
    }

    // Cross-checked with an independent Python implementation of the same key.
    const GOLDEN: [CallId; 12] = [68, 10, 35, 873, 791, 582, 53, 426, 823, 12, 134, 777];

    #[test]
    fn a_replacement_continues_the_stratum_stream() {
        let calls = centre();
        let strategy = Strategy::Stratified {
            by: StratumField::Team,
            allocation: Allocation::Equal,
            n: 4,
        };
        let first = draw(&strategy, 9, &mut scan_of(&calls));
        let used: HashSet<CallId> = first.picks.iter().map(|p| p.call_id).collect();
        let unused: Vec<Call> = calls
            .iter()
            .filter(|c| !used.contains(&c.id))
            .cloned()
            .collect();
        let next =
            replacement(&strategy, 9, "team:2", Rule::Random, &mut scan_of(&unused)).unwrap();
        assert_eq!(next.stratum, "team:2");
        // It is exactly the call a sample one larger in that stratum would have added.
        let wider = draw(
            &Strategy::Stratified {
                by: StratumField::Team,
                allocation: Allocation::Equal,
                n: 6,
            },
            9,
            &mut scan_of(&calls),
        );
        let team2: Vec<CallId> = wider
            .picks
            .iter()
            .filter(|p| p.stratum == "team:2")
            .map(|p| p.call_id)
            .collect();
        assert_eq!(team2[2], next.call_id);
    }

    #[test]
    fn assignment_is_fair_to_one_call_and_skips_excluded_reviewers() {
        let picks: Vec<Pick> = (1..=23)
            .map(|i| Pick {
                call_id: i,
                agent_id: 100 + i % 4,
                stratum: "all".into(),
                rule: Rule::Random,
            })
            .collect();
        let given = distribute(&picks, &[1, 2, 3, 4, 5], |_, _| false);
        let loads: Vec<usize> = (1..=5)
            .map(|r| given.iter().filter(|g| **g == Some(r)).count())
            .collect();
        assert_eq!(
            loads.iter().max().unwrap() - loads.iter().min().unwrap(),
            1,
            "{loads:?}"
        );
        // Reviewer 101 is also agent 101: never given their own calls.
        let own = distribute(&picks, &[101, 2], |reviewer, agent| reviewer == agent);
        for (pick, reviewer) in picks.iter().zip(&own) {
            assert_ne!(Some(pick.agent_id), *reviewer);
        }
        assert_eq!(distribute(&picks[1..2], &[102], |r, a| r == a), vec![None]);
    }
}

//! An agent's QA numbers over time, and whether coaching changed them: score trends with their
//! intervals, failure rates per criterion, the agenda a session starts from, and the before/after
//! comparison against similar agents who were not coached. Pure functions over plain records.

use crate::coaching::CriterionRef;
use crate::people::{LocalizedText, UserId};
use crate::scorecard::{self, Answers, ScorecardDefinition, SectionKind};
use crate::stats::{self, Estimate, MIN_N};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Below this many scored calls a criterion's failure rate reads "not enough calls yet".
pub const MIN_RATE_N: u32 = 5;
/// Uncoached agents count as similar when their failure rate before was within this of the
/// coached agent's.
pub const SIMILAR: f64 = 0.15;
/// Weeks before and after a session that "did coaching work?" compares, at most.
pub const MAX_EFFECT_WEEKS: u32 = 12;

/// One submitted evaluation as progress reads it: whose call, when it was taken (the centre's
/// local time, as calls are kept), its score, and what each criterion did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredCall {
    pub evaluation_id: u32,
    pub agent_id: UserId,
    #[serde(with = "crate::time::iso")]
    pub call_at: NaiveDateTime,
    pub scorecard_version_id: u32,
    pub score: f64,
    pub passed: bool,
}

/// What one criterion did in one evaluation: failed (earned less than half its points: a "no",
/// the lower levels of a scale, a low choice) and the points of score its shortfall cost.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionOutcome {
    pub criterion: CriterionRef,
    pub failed: bool,
    pub lost: f64,
}

/// A scored call with its criteria's outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub call: ScoredCall,
    pub outcomes: Vec<CriterionOutcome>,
}

/// Each answered criterion's outcome on a card. N/A and unanswered criteria are left out, and so
/// are bonus sections (missing a bonus is no failure); a criterion's cost is its shortfall as
/// share of its section, times the section's weight in the score.
pub fn criterion_outcomes(
    scorecard_id: u32,
    definition: &ScorecardDefinition,
    answers: &Answers,
) -> Vec<CriterionOutcome> {
    let Ok(explanation) = scorecard::score(definition, answers) else {
        return Vec::new();
    };
    let total_weight: f64 = explanation
        .sections
        .iter()
        .filter(|s| s.kind != SectionKind::Bonus && s.possible > 0.0)
        .map(|s| s.weight)
        .sum();
    let mut outcomes = Vec::new();
    for section in explanation
        .sections
        .iter()
        .filter(|s| s.kind != SectionKind::Bonus)
    {
        for c in section.criteria.iter().filter(|c| c.possible > 0.0) {
            let lost = if total_weight > 0.0 {
                100.0 * section.weight * (c.possible - c.earned) / section.possible / total_weight
            } else {
                0.0
            };
            outcomes.push(CriterionOutcome {
                criterion: CriterionRef {
                    scorecard_id,
                    key: c.key.clone(),
                },
                failed: c.earned < c.possible / 2.0,
                lost,
            });
        }
    }
    outcomes
}

// ---- Trends ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    Week,
    Month,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    #[serde(with = "crate::time::day")]
    pub start: NaiveDate,
    pub n: u32,
    /// The mean score with its t interval; `None` below the minimum n.
    pub score: Option<Estimate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub grain: Grain,
    pub points: Vec<TrendPoint>,
}

fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn next_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(day)
}

fn points(
    calls: &[&ScoredCall],
    from: NaiveDate,
    to: NaiveDate,
    bucket: impl Fn(NaiveDate) -> NaiveDate,
    next: impl Fn(NaiveDate) -> NaiveDate,
    max: f64,
) -> Vec<TrendPoint> {
    let mut scores: BTreeMap<NaiveDate, Vec<f64>> = BTreeMap::new();
    for c in calls {
        scores
            .entry(bucket(c.call_at.date()))
            .or_default()
            .push(c.score);
    }
    let mut list = Vec::new();
    let mut start = bucket(from);
    while start <= to {
        let these = scores.get(&start).map(Vec::as_slice).unwrap_or_default();
        list.push(TrendPoint {
            start,
            n: these.len() as u32,
            score: stats::mean_interval(these, 0.95, max),
        });
        start = next(start);
    }
    list
}

/// The mean score per week from `from` to `to` (the centre's days), or per month when some
/// week would hold fewer than the minimum n: each point then has enough calls to read, and a
/// point that still has too few says so (`score: None`).
pub fn trend(
    calls: &[&ScoredCall],
    from: NaiveDate,
    to: NaiveDate,
    week_of: impl Fn(NaiveDate) -> NaiveDate,
) -> Trend {
    let max = score_ceiling(calls);
    let weeks = points(calls, from, to, &week_of, |d| d + Duration::days(7), max);
    if weeks.iter().all(|p| p.n >= MIN_N) {
        return Trend {
            grain: Grain::Week,
            points: weeks,
        };
    }
    Trend {
        grain: Grain::Month,
        points: points(calls, from, to, month_of, next_month, max),
    }
}

/// Scores run 0–100, above only through bonus sections.
fn score_ceiling(calls: &[&ScoredCall]) -> f64 {
    calls.iter().map(|c| c.score).fold(100.0, f64::max)
}

/// The mean score of `calls` with its interval, and their pass rate with Wilson's.
pub fn score_and_pass_rate(calls: &[&ScoredCall]) -> (Option<Estimate>, Option<Estimate>) {
    let scores: Vec<f64> = calls.iter().map(|c| c.score).collect();
    let passed = calls.iter().filter(|c| c.passed).count() as u32;
    (
        stats::mean_interval(&scores, 0.95, score_ceiling(calls)),
        stats::wilson(passed, calls.len() as u32, 0.95),
    )
}

// ---- Criteria ----

/// Failures of one criterion out of the calls that scored it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub failed: u32,
    pub n: u32,
    /// With Wilson's interval; `None` below [`MIN_RATE_N`] ("not enough calls yet").
    pub rate: Option<Estimate>,
}

impl Rate {
    pub fn of(failed: u32, n: u32) -> Rate {
        Rate {
            failed,
            n,
            rate: if n >= MIN_RATE_N {
                stats::wilson(failed, n, 0.95)
            } else {
                None
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionRate {
    pub criterion: CriterionRef,
    pub label: LocalizedText,
    #[serde(flatten)]
    pub rate: Rate,
}

/// Each criterion's failure rate over `scored`, weakest (highest rate) first; those without
/// enough calls last, by most calls.
pub fn criterion_rates(
    scored: &[&Scored],
    labels: &BTreeMap<CriterionRef, LocalizedText>,
) -> Vec<CriterionRate> {
    let mut counts: BTreeMap<&CriterionRef, (u32, u32)> = BTreeMap::new();
    for o in scored.iter().flat_map(|s| &s.outcomes) {
        let c = counts.entry(&o.criterion).or_default();
        c.0 += u32::from(o.failed);
        c.1 += 1;
    }
    let mut rates: Vec<CriterionRate> = counts
        .into_iter()
        .map(|(criterion, (failed, n))| CriterionRate {
            label: labels.get(criterion).cloned().unwrap_or_default(),
            criterion: criterion.clone(),
            rate: Rate::of(failed, n),
        })
        .collect();
    rates.sort_by(|a, b| match (&a.rate.rate, &b.rate.rate) {
        (Some(x), Some(y)) => y.value.total_cmp(&x.value),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b.rate.n.cmp(&a.rate.n),
    });
    rates
}

// ---- The agenda a session starts from ----

/// A criterion the agent lost points on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionLoss {
    pub criterion: CriterionRef,
    pub label: LocalizedText,
    /// Points of score lost over the period, summed over its calls.
    pub points_lost: f64,
    pub failed: u32,
    pub n: u32,
}

/// The criteria that cost the agent most points over the period, most first, at most `limit`.
pub fn weakest_criteria(
    scored: &[&Scored],
    labels: &BTreeMap<CriterionRef, LocalizedText>,
    limit: usize,
) -> Vec<CriterionLoss> {
    let mut losses: BTreeMap<&CriterionRef, (f64, u32, u32)> = BTreeMap::new();
    for o in scored.iter().flat_map(|s| &s.outcomes) {
        let l = losses.entry(&o.criterion).or_default();
        l.0 += o.lost;
        l.1 += u32::from(o.failed);
        l.2 += 1;
    }
    let mut list: Vec<CriterionLoss> = losses
        .into_iter()
        .filter(|(_, (_, failed, _))| *failed > 0)
        .map(|(criterion, (points_lost, failed, n))| CriterionLoss {
            label: labels.get(criterion).cloned().unwrap_or_default(),
            criterion: criterion.clone(),
            points_lost: (points_lost * 10.0).round() / 10.0,
            failed,
            n,
        })
        .collect();
    list.sort_by(|a, b| {
        b.points_lost
            .total_cmp(&a.points_lost)
            .then(b.failed.cmp(&a.failed))
            .then(a.criterion.cmp(&b.criterion))
    });
    list.truncate(limit);
    list
}

// ---- Did coaching work? ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Too few of the agent's calls before or after to show a change.
    NotEnough,
    /// The agent's change is measured, but no similar uncoached agent has enough calls to
    /// compare it with.
    NoPeers,
    /// The failure rate fell by more than the similar uncoached agents' did (the interval of
    /// the difference lies below zero).
    Improved,
    /// The difference from the similar agents' change could be zero.
    NoClearChange,
    /// The failure rate rose by more than theirs.
    Worse,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionEffect {
    pub criterion: CriterionRef,
    pub label: LocalizedText,
    pub before: Rate,
    pub after: Rate,
    /// Similar agents not coached on this criterion in the window, pooled.
    pub peers: u32,
    pub peers_before: Rate,
    pub peers_after: Rate,
    /// The agent's change in failure rate minus the peers' change, with its 95 % interval.
    pub difference: Option<Estimate>,
    pub verdict: Verdict,
}

/// What the comparison is computed from.
pub struct EffectInput<'a> {
    pub agent: UserId,
    pub focus: &'a [CriterionRef],
    /// When the session was held, on the centre's clock (calls are kept in its local time).
    pub held_at: NaiveDateTime,
    pub weeks: u32,
    /// Now on the centre's clock: the "after" window ends here at the latest.
    pub now: NaiveDateTime,
    /// Scored calls of every agent in the window.
    pub scored: &'a [Scored],
    /// (agent, criterion) pairs coached in a session held in the window: not peers.
    pub coached: &'a BTreeSet<(UserId, CriterionRef)>,
    pub labels: &'a BTreeMap<CriterionRef, LocalizedText>,
}

/// The window before a session and the one after it (ending now at the latest).
pub fn effect_windows(
    held_at: NaiveDateTime,
    weeks: u32,
    now: NaiveDateTime,
) -> (
    (NaiveDateTime, NaiveDateTime),
    (NaiveDateTime, NaiveDateTime),
) {
    let span = Duration::weeks(weeks.into());
    (
        (held_at - span, held_at),
        (held_at, (held_at + span).min(now.max(held_at))),
    )
}

fn counts(
    scored: &[Scored],
    agent: UserId,
    criterion: &CriterionRef,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> (u32, u32) {
    let mut c = (0, 0);
    for s in scored
        .iter()
        .filter(|s| s.call.agent_id == agent && s.call.call_at >= from && s.call.call_at < to)
    {
        for o in s.outcomes.iter().filter(|o| &o.criterion == criterion) {
            c.0 += u32::from(o.failed);
            c.1 += 1;
        }
    }
    c
}

/// A proportion's variance with one failure and one success added (Agresti–Caffo): a rate of
/// 0 % or 100 % on a few calls is not known exactly, and must not make the interval vanish.
fn variance(failed: u32, n: u32) -> f64 {
    let p = (f64::from(failed) + 1.0) / (f64::from(n) + 2.0);
    p * (1.0 - p) / f64::from(n.max(1))
}

fn share(failed: u32, n: u32) -> f64 {
    f64::from(failed) / f64::from(n.max(1))
}

/// For each coached criterion: the agent's failure rate in the weeks before the session and
/// since, the same change for similar agents who were not coached on it, and the difference
/// between the two changes, so that regression to the mean is not credited to coaching.
pub fn effect(input: &EffectInput) -> Vec<CriterionEffect> {
    let (before_window, after_window) = effect_windows(input.held_at, input.weeks, input.now);
    let agents: BTreeSet<UserId> = input.scored.iter().map(|s| s.call.agent_id).collect();
    input
        .focus
        .iter()
        .map(|criterion| {
            let (bf, bn) = counts(input.scored, input.agent, criterion, before_window);
            let (af, an) = counts(input.scored, input.agent, criterion, after_window);
            let (before, after) = (Rate::of(bf, bn), Rate::of(af, an));
            let mut pooled = (0, 0, 0, 0);
            let mut peers = 0;
            if before.rate.is_some() {
                for &peer in &agents {
                    if peer == input.agent || input.coached.contains(&(peer, criterion.clone())) {
                        continue;
                    }
                    let (pbf, pbn) = counts(input.scored, peer, criterion, before_window);
                    let (paf, pan) = counts(input.scored, peer, criterion, after_window);
                    if pbn < MIN_RATE_N
                        || pan == 0
                        || (share(pbf, pbn) - share(bf, bn)).abs() > SIMILAR
                    {
                        continue;
                    }
                    peers += 1;
                    pooled.0 += pbf;
                    pooled.1 += pbn;
                    pooled.2 += paf;
                    pooled.3 += pan;
                }
            }
            let (peers_before, peers_after) =
                (Rate::of(pooled.0, pooled.1), Rate::of(pooled.2, pooled.3));
            let own_change = (before.rate.is_some() && after.rate.is_some())
                .then(|| share(af, an) - share(bf, bn));
            let peer_change = (peers_before.rate.is_some() && peers_after.rate.is_some())
                .then(|| share(pooled.2, pooled.3) - share(pooled.0, pooled.1));
            let difference = own_change.zip(peer_change).map(|(own, theirs)| {
                let value = own - theirs;
                let half = stats::z_for(0.95)
                    * (variance(bf, bn)
                        + variance(af, an)
                        + variance(pooled.0, pooled.1)
                        + variance(pooled.2, pooled.3))
                    .sqrt();
                Estimate {
                    value,
                    low: value - half,
                    high: value + half,
                    n: an,
                }
            });
            let verdict = match (own_change, &difference) {
                (None, _) => Verdict::NotEnough,
                (Some(_), None) => Verdict::NoPeers,
                (Some(_), Some(d)) if d.high < 0.0 => Verdict::Improved,
                (Some(_), Some(d)) if d.low > 0.0 => Verdict::Worse,
                (Some(_), Some(_)) => Verdict::NoClearChange,
            };
            CriterionEffect {
                label: input.labels.get(criterion).cloned().unwrap_or_default(),
                criterion: criterion.clone(),
                before,
                after,
                peers,
                peers_before,
                peers_after,
                difference,
                verdict,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    fn call(agent: UserId, at: NaiveDateTime, score: f64) -> ScoredCall {
        ScoredCall {
            evaluation_id: 0,
            agent_id: agent,
            call_at: at,
            scorecard_version_id: 1,
            score,
            passed: score >= 80.0,
        }
    }

    fn criterion() -> CriterionRef {
        CriterionRef {
            scorecard_id: 1,
            key: "hold".into(),
        }
    }

    /// `failed` of `n` calls of `agent` on "hold", spread over the days from `first`.
    fn calls(agent: UserId, first: NaiveDateTime, failed: u32, n: u32) -> Vec<Scored> {
        (0..n)
            .map(|i| Scored {
                call: call(agent, first + Duration::hours(i.into()), 90.0),
                outcomes: vec![CriterionOutcome {
                    criterion: criterion(),
                    failed: i < failed,
                    lost: if i < failed { 5.0 } else { 0.0 },
                }],
            })
            .collect()
    }

    #[test]
    fn a_trend_is_weekly_when_every_week_has_enough_calls_else_monthly() {
        let at = |d: u32| day(d).and_hms_opt(10, 0, 0).unwrap();
        let week_of = |d: NaiveDate| d - Duration::days(d.weekday().num_days_from_monday().into());
        // Weeks of 5 and 12 October (Mondays), three calls each.
        let list: Vec<ScoredCall> = [5, 6, 7, 12, 13, 14]
            .iter()
            .zip([80.0, 90.0, 100.0, 60.0, 70.0, 80.0])
            .map(|(d, s)| call(1, at(*d), s))
            .collect();
        let refs: Vec<&ScoredCall> = list.iter().collect();
        let weekly = trend(&refs, day(5), day(18), week_of);
        assert_eq!(weekly.grain, Grain::Week);
        assert_eq!(
            weekly
                .points
                .iter()
                .map(|p| (p.start, p.n))
                .collect::<Vec<_>>(),
            [(day(5), 3), (day(12), 3)]
        );
        // Mean 90, sd 10, n 3: t(0.975, 2) = 4.3027, half-width 4.3027·10/√3 = 24.84.
        let first = weekly.points[0].score.unwrap();
        assert!((first.value - 90.0).abs() < 1e-9);
        assert!((first.low - 65.158).abs() < 0.01 && (first.high - 100.0).abs() < 1e-9);
        // A third week with one call: months instead, and October has all seven.
        let mut more = list.clone();
        more.push(call(1, at(19), 50.0));
        let refs: Vec<&ScoredCall> = more.iter().collect();
        let monthly = trend(&refs, day(5), day(25), week_of);
        assert_eq!(monthly.grain, Grain::Month);
        assert_eq!(
            monthly
                .points
                .iter()
                .map(|p| (p.start, p.n))
                .collect::<Vec<_>>(),
            [(day(1), 7)]
        );
    }

    #[test]
    fn criterion_rates_need_enough_calls_and_put_the_weakest_first() {
        let at = day(1).and_hms_opt(9, 0, 0).unwrap();
        let mut scored = calls(1, at, 4, 5);
        scored.extend(calls(1, at, 1, 4).into_iter().map(|mut s| {
            s.outcomes[0].criterion.key = "greet".into();
            s
        }));
        let refs: Vec<&Scored> = scored.iter().collect();
        let rates = criterion_rates(&refs, &BTreeMap::new());
        assert_eq!(rates[0].criterion.key, "hold");
        let hold = rates[0].rate.rate.unwrap();
        // Wilson, 4 of 5: centre (0.8 + 1.9208/5)/(1 + 3.8415/5) = 0.6697, half 0.2946.
        assert!((hold.value - 0.8).abs() < 1e-9);
        assert!((hold.low - 0.3755).abs() < 1e-3 && (hold.high - 0.9638).abs() < 1e-3);
        assert_eq!(
            (
                rates[1].criterion.key.as_str(),
                rates[1].rate.n,
                rates[1].rate.rate
            ),
            ("greet", 4, None),
            "four calls: not enough yet"
        );
        let weakest = weakest_criteria(&refs, &BTreeMap::new(), 5);
        assert_eq!(
            weakest
                .iter()
                .map(|w| (w.criterion.key.as_str(), w.points_lost, w.failed))
                .collect::<Vec<_>>(),
            [("hold", 20.0, 4), ("greet", 5.0, 1)]
        );
    }

    /// Hand-computed: the coached agent fails "hold" on 12 of 20 calls before and 2 of 20
    /// after (−0.50); two similar uncoached agents fail 24 of 40 before and 22 of 40 after
    /// (−0.05). The difference is −0.45; its variance with one failure and one success added
    /// to each rate is (13/22)(9/22)/20 + (3/22)(19/22)/20 + (25/42)(17/42)/40 + (23/42)(19/42)/40
    /// = 0.0301919, so the interval is −0.45 ± 1.959964·0.173758 = (−0.7906, −0.1094).
    #[test]
    fn coaching_is_credited_only_beyond_what_similar_uncoached_agents_changed() {
        let held = day(15).and_hms_opt(9, 0, 0).unwrap();
        let before = held - Duration::days(20);
        let after = held + Duration::days(1);
        let mut scored = calls(1, before, 12, 20);
        scored.extend(calls(1, after, 2, 20));
        scored.extend(calls(2, before, 11, 20));
        scored.extend(calls(2, after, 12, 20));
        scored.extend(calls(3, before, 13, 20));
        scored.extend(calls(3, after, 10, 20));
        // Not similar (fails far less before), and coached on it too: neither is a peer.
        scored.extend(calls(4, before, 2, 20));
        scored.extend(calls(4, after, 2, 20));
        scored.extend(calls(5, before, 12, 20));
        scored.extend(calls(5, after, 0, 20));
        let coached = BTreeSet::from([(5, criterion())]);
        let focus = [criterion()];
        let labels = BTreeMap::new();
        let input = EffectInput {
            agent: 1,
            focus: &focus,
            held_at: held,
            weeks: 4,
            now: held + Duration::days(40),
            scored: &scored,
            coached: &coached,
            labels: &labels,
        };
        let effect = effect(&input);
        let hold = &effect[0];
        assert_eq!((hold.before.failed, hold.before.n), (12, 20));
        assert_eq!((hold.after.failed, hold.after.n), (2, 20));
        assert_eq!(hold.peers, 2);
        assert_eq!((hold.peers_before.failed, hold.peers_before.n), (24, 40));
        assert_eq!((hold.peers_after.failed, hold.peers_after.n), (22, 40));
        let d = hold.difference.unwrap();
        assert!((d.value + 0.45).abs() < 1e-9, "{d:?}");
        assert!(
            (d.low + 0.7906).abs() < 1e-4 && (d.high + 0.1094).abs() < 1e-4,
            "{d:?}"
        );
        assert_eq!(hold.verdict, Verdict::Improved);

        // The same fall in failures when the peers fell as much: no credit.
        let mut steady = scored.clone();
        steady.retain(|s| !(s.call.agent_id == 2 || s.call.agent_id == 3) || s.call.call_at < held);
        steady.extend(calls(2, after, 1, 20));
        steady.extend(calls(3, after, 3, 20));
        let input = EffectInput {
            scored: &steady,
            ..input
        };
        assert_eq!(effect_of(&input).verdict, Verdict::NoClearChange);

        // Four calls after: not enough to say anything.
        let mut few = scored.clone();
        few.retain(|s| s.call.agent_id != 1 || s.call.call_at < held);
        few.extend(calls(1, after, 0, 4));
        let input = EffectInput {
            scored: &few,
            ..input
        };
        let e = effect_of(&input);
        assert_eq!((e.verdict, e.difference), (Verdict::NotEnough, None));
    }

    fn effect_of(input: &EffectInput) -> CriterionEffect {
        effect(input).remove(0)
    }

    #[test]
    fn a_criterion_costs_its_share_of_its_section_s_weight() {
        let card: ScorecardDefinition = serde_json::from_value(serde_json::json!({
            "name": { "en": "Card", "zh": "" },
            "pass_mark": 80.0,
            "sections": [
                { "key": "open", "title": { "en": "Opening", "zh": "" }, "weight": 40.0, "kind": "standard", "criteria": [
                    { "key": "greet", "title": { "en": "Greets", "zh": "" }, "answer_type": { "type": "yes_no", "points": 1 } },
                    { "key": "verify", "title": { "en": "Verifies", "zh": "" }, "answer_type": { "type": "yes_no", "points": 1 } }
                ]},
                { "key": "solve", "title": { "en": "Resolution", "zh": "" }, "weight": 60.0, "kind": "standard", "criteria": [
                    { "key": "fix", "title": { "en": "Resolves", "zh": "" }, "answer_type": { "type": "points", "max": 10 }, "allow_na": true }
                ]}
            ]
        }))
        .unwrap();
        let answers: Answers = [
            ("greet".to_string(), scorecard::Answer::No),
            ("verify".to_string(), scorecard::Answer::Yes),
            ("fix".to_string(), scorecard::Answer::NotApplicable),
        ]
        .into_iter()
        .collect();
        let outcomes = criterion_outcomes(7, &card, &answers);
        assert_eq!(outcomes.len(), 2, "N/A is no outcome");
        let greet = &outcomes[0];
        assert_eq!(
            (
                greet.criterion.scorecard_id,
                greet.criterion.key.as_str(),
                greet.failed
            ),
            (7, "greet", true)
        );
        // With "solve" not applicable, "open" carries the whole score; greet is half of it.
        assert!((greet.lost - 50.0).abs() < 1e-9, "{}", greet.lost);
        assert!(!outcomes[1].failed && outcomes[1].lost == 0.0);
    }
}

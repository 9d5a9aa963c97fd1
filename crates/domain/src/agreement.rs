//! How alike reviewers score, measured the way researchers do: percent agreement, Cohen's κ,
//! Fleiss' κ, Krippendorff's α at the data's level of measurement with a bootstrap interval, and
//! the six intraclass correlations of Shrout & Fleiss. Hand-written, like `stats`, so the
//! browser and the server compute the same digits.
//!
//! Ratings are a matrix `ratings[rater][unit]`, `None` where a rater did not rate a unit.
//! Missing ratings are handled as α defines them: a unit counts only through the pairs of values
//! it holds, so units with fewer than two ratings drop out. κ needs every unit rated alike
//! (Fleiss: the same number of ratings; Cohen: both raters), the ICCs a complete matrix.
//!
//! A statistic can be undefined, most often because everyone gave the same value: there is no
//! variation to agree about. That is reported as such ([`Undefined`]), never as NaN.

use crate::sampling::splitmix64;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The level of measurement of the rated values, which decides how far apart two values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Categories: two values agree or they do not (yes/no, choices).
    Nominal,
    /// Ranks: the distance counts the values between (1–5 scales).
    Ordinal,
    /// Numbers: the squared difference (points).
    Interval,
    /// Numbers with a true zero: the difference relative to the sum.
    Ratio,
}

/// The largest matrix one request may hold (raters × units).
pub const MAX_CELLS: usize = 250_000;
/// Draws of the bootstrap interval for α.
pub const BOOTSTRAP_DRAWS: u32 = 1_000;

/// Why a statistic has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Undefined {
    /// Everyone gave the same value: agreement is perfect, but there is no variation to measure
    /// it against (0 / 0).
    NoVariation,
    /// Fewer than two ratings of any unit: nothing can be compared.
    NoPairs,
    /// κ and the ICCs need every unit rated by every rater (Fleiss: the same number of times).
    MissingRatings,
    /// Cohen's κ compares exactly two raters.
    NotTwoRaters,
    /// The ICCs need at least two rated units.
    TooFewUnits,
    /// The statistic means nothing at the data's level of measurement: exact agreement and κ
    /// count every distinct value as a category (two totals of 86.5 and 86.6 "disagree"), so
    /// they are for nominal and ordinal answers; the ICCs measure numeric distances, which
    /// nominal answers have none of.
    NotAtThisLevel,
    /// Too few units for a bootstrap interval: see [`MIN_UNITS_FOR_INTERVAL`].
    TooFewUnitsForInterval,
}

/// Units (calls) with at least two ratings below which α gets no bootstrap interval. With n
/// units a bootstrap can draw only C(2n−1, n) different resamples (10 for 3 calls, 126 for 5),
/// so its percentiles fall on a handful of values, and a resample of one repeated unit, which
/// is common with so few, has no variation at all: the bounds are artefacts of the resampling
/// (a lower bound of exactly −1/(n−1) on most criteria of a three-call session), not the
/// uncertainty of α. From ten units there are 92,378 different resamples.
pub const MIN_UNITS_FOR_INTERVAL: usize = 10;

impl Level {
    /// Whether values are categories, so that equal means agree and anything else does not:
    /// where exact agreement and κ mean something.
    pub fn is_categorical(self) -> bool {
        matches!(self, Level::Nominal | Level::Ordinal)
    }
}

/// A statistic's value, or why it has none.
pub type Estimate = Result<f64, Undefined>;

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RatingsError {
    #[error("ratings must be a list of raters, each a list of values")]
    NotAMatrix,
    #[error("at least two raters are needed, found {found}")]
    TooFewRaters { found: usize },
    #[error("rater {rater} has {found} values, but rater 1 has {expected}")]
    Ragged {
        rater: usize,
        expected: usize,
        found: usize,
    },
    #[error("rater {rater}, unit {unit}: {value} is not a number or null")]
    NotANumber {
        rater: usize,
        unit: usize,
        value: String,
    },
    #[error("rater {rater}, unit {unit}: ratio values cannot be negative ({value})")]
    NegativeRatio {
        rater: usize,
        unit: usize,
        value: f64,
    },
    #[error("{cells} ratings are more than the {max} one request may hold")]
    TooLarge { cells: usize, max: usize },
    #[error("every rater needs at least one unit to rate")]
    NoUnits,
}

/// A checked ratings matrix: at least two raters, every row as long, every value finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratings {
    rows: Vec<Vec<Option<f64>>>,
}

impl Ratings {
    pub fn new(rows: Vec<Vec<Option<f64>>>, level: Level) -> Result<Ratings, RatingsError> {
        if rows.len() < 2 {
            return Err(RatingsError::TooFewRaters { found: rows.len() });
        }
        let expected = rows[0].len();
        let cells = rows.len().saturating_mul(expected);
        if cells > MAX_CELLS {
            return Err(RatingsError::TooLarge {
                cells,
                max: MAX_CELLS,
            });
        }
        for (r, row) in rows.iter().enumerate() {
            if row.len() != expected {
                return Err(RatingsError::Ragged {
                    rater: r + 1,
                    expected,
                    found: row.len(),
                });
            }
            for (u, value) in row.iter().enumerate() {
                match *value {
                    Some(v) if !v.is_finite() => {
                        return Err(RatingsError::NotANumber {
                            rater: r + 1,
                            unit: u + 1,
                            value: v.to_string(),
                        })
                    }
                    Some(v) if level == Level::Ratio && v < 0.0 => {
                        return Err(RatingsError::NegativeRatio {
                            rater: r + 1,
                            unit: u + 1,
                            value: v,
                        })
                    }
                    _ => {}
                }
            }
        }
        Ok(Ratings { rows })
    }

    /// Reads the JSON of `POST /api/agreement`: each value a number or null, nothing else. The
    /// size is checked before the values, so an oversized request is refused cheaply.
    pub fn from_json(value: &serde_json::Value, level: Level) -> Result<Ratings, RatingsError> {
        let raters = value.as_array().ok_or(RatingsError::NotAMatrix)?;
        let cells: usize = raters
            .iter()
            .map(|r| r.as_array().map_or(0, Vec::len))
            .sum();
        if cells > MAX_CELLS {
            return Err(RatingsError::TooLarge {
                cells,
                max: MAX_CELLS,
            });
        }
        let mut rows = Vec::with_capacity(raters.len());
        for (r, rater) in raters.iter().enumerate() {
            let values = rater.as_array().ok_or(RatingsError::NotAMatrix)?;
            let row = values
                .iter()
                .enumerate()
                .map(|(u, v)| match v {
                    serde_json::Value::Null => Ok(None),
                    serde_json::Value::Number(n) => {
                        n.as_f64()
                            .map(Some)
                            .ok_or_else(|| RatingsError::NotANumber {
                                rater: r + 1,
                                unit: u + 1,
                                value: n.to_string(),
                            })
                    }
                    other => Err(RatingsError::NotANumber {
                        rater: r + 1,
                        unit: u + 1,
                        value: other.to_string(),
                    }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            rows.push(row);
        }
        let ratings = Ratings::new(rows, level)?;
        // A request that rates nothing asks nothing (a session's report may still hold a
        // criterion nobody could rate, and says so per statistic).
        if ratings.units() == 0 {
            return Err(RatingsError::NoUnits);
        }
        Ok(ratings)
    }

    pub fn raters(&self) -> usize {
        self.rows.len()
    }

    pub fn units(&self) -> usize {
        self.rows[0].len()
    }

    fn unit(&self, u: usize) -> impl Iterator<Item = f64> + '_ {
        self.rows.iter().filter_map(move |row| row[u])
    }

    fn complete(&self) -> bool {
        self.rows.iter().all(|row| row.iter().all(Option::is_some))
    }
}

/// The distinct values rated, in order, and each unit's values as (value index, count).
struct Tally {
    values: Vec<f64>,
    /// Only units with two or more ratings: the others hold no pair.
    units: Vec<Vec<(usize, f64)>>,
}

fn tally(ratings: &Ratings) -> Tally {
    let mut values: Vec<f64> = ratings
        .rows
        .iter()
        .flatten()
        .flatten()
        .map(|v| if *v == 0.0 { 0.0 } else { *v })
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let index = |v: f64| {
        values
            .binary_search_by(|x| x.total_cmp(&if v == 0.0 { 0.0 } else { v }))
            .expect("every rated value is listed")
    };
    let units = (0..ratings.units())
        .filter_map(|u| {
            let mut counts: BTreeMap<usize, f64> = BTreeMap::new();
            for v in ratings.unit(u) {
                *counts.entry(index(v)).or_default() += 1.0;
            }
            let m: f64 = counts.values().sum();
            (m >= 2.0).then(|| counts.into_iter().collect())
        })
        .collect();
    Tally { values, units }
}

/// Krippendorff's α from a coincidence matrix (`o[c * v + k]`) over `values`:
/// α = 1 − D_o / D_e, with D_o = Σ o_ck δ²_ck and D_e = Σ n_c n_k δ²_ck / (n − 1).
fn alpha_from(o: &[f64], values: &[f64], level: Level) -> Estimate {
    let v = values.len();
    let marginals: Vec<f64> = (0..v).map(|c| o[c * v..(c + 1) * v].iter().sum()).collect();
    let n: f64 = marginals.iter().sum();
    if n < 2.0 {
        return Err(Undefined::NoPairs);
    }
    let delta = Metric::new(values, &marginals, level);
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..v {
        for k in (c + 1)..v {
            let d = delta.squared(c, k);
            // δ is symmetric and zero on the diagonal: each pair of distinct values twice.
            observed += 2.0 * o[c * v + k] * d;
            expected += 2.0 * marginals[c] * marginals[k] * d;
        }
    }
    let expected = expected / (n - 1.0);
    if expected <= f64::EPSILON * n * n {
        return Err(Undefined::NoVariation);
    }
    Ok(1.0 - observed / expected)
}

/// The squared distance between two values (Krippendorff 2011, section E).
struct Metric<'a> {
    values: &'a [f64],
    level: Level,
    /// For ordinal data: the running sum of the marginals, so a rank distance is two lookups.
    cumulative: Vec<f64>,
    marginals: &'a [f64],
}

impl<'a> Metric<'a> {
    fn new(values: &'a [f64], marginals: &'a [f64], level: Level) -> Metric<'a> {
        let mut cumulative = Vec::with_capacity(marginals.len() + 1);
        cumulative.push(0.0);
        for m in marginals {
            cumulative.push(cumulative.last().copied().unwrap_or(0.0) + m);
        }
        Metric {
            values,
            level,
            cumulative,
            marginals,
        }
    }

    /// For c < k.
    fn squared(&self, c: usize, k: usize) -> f64 {
        let (a, b) = (self.values[c], self.values[k]);
        match self.level {
            Level::Nominal => 1.0,
            Level::Ordinal => {
                let between = self.cumulative[k + 1]
                    - self.cumulative[c]
                    - (self.marginals[c] + self.marginals[k]) / 2.0;
                between * between
            }
            Level::Interval => (a - b) * (a - b),
            Level::Ratio => {
                if a + b == 0.0 {
                    0.0
                } else {
                    ((a - b) / (a + b)).powi(2)
                }
            }
        }
    }
}

/// Adds a unit's pairs to a coincidence matrix: each ordered pair of its values from different
/// raters, weighted 1 / (m − 1) for a unit with m values.
fn add_unit(o: &mut [f64], v: usize, unit: &[(usize, f64)], times: f64) {
    let m: f64 = unit.iter().map(|(_, n)| n).sum();
    let w = times / (m - 1.0);
    for &(c, nc) in unit {
        for &(k, nk) in unit {
            o[c * v + k] += w * if c == k { nc * (nc - 1.0) } else { nc * nk };
        }
    }
}

/// Krippendorff's α with the data's level of measurement.
pub fn krippendorff_alpha(ratings: &Ratings, level: Level) -> Estimate {
    let tally = tally(ratings);
    alpha_of(&tally, level)
}

fn alpha_of(tally: &Tally, level: Level) -> Estimate {
    let v = tally.values.len();
    let mut o = vec![0.0; v * v];
    for unit in &tally.units {
        add_unit(&mut o, v, unit, 1.0);
    }
    alpha_from(&o, &tally.values, level)
}

/// A 95 % interval for α: the units are drawn with replacement `draws` times (seeded, so the
/// interval is reproducible) and the 2.5th and 97.5th percentiles of the α of each draw are
/// taken, as Zapf et al. (2016) recommend for α. Draws where α is undefined are left out; with
/// fewer than half of them defined there is no interval.
pub fn alpha_interval(
    ratings: &Ratings,
    level: Level,
    draws: u32,
    seed: u64,
) -> Option<(f64, f64)> {
    interval_of(&tally(ratings), level, draws, seed)
}

fn interval_of(tally: &Tally, level: Level, draws: u32, seed: u64) -> Option<(f64, f64)> {
    let units = tally.units.len();
    if units < 2 || draws == 0 {
        return None;
    }
    let v = tally.values.len();
    let mut o = vec![0.0; v * v];
    let mut times = vec![0u32; units];
    let mut state = seed;
    let mut alphas: Vec<f64> = Vec::with_capacity(draws as usize);
    for _ in 0..draws {
        times.iter_mut().for_each(|t| *t = 0);
        for _ in 0..units {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            times[(splitmix64(state) % units as u64) as usize] += 1;
        }
        o.iter_mut().for_each(|x| *x = 0.0);
        for (unit, &t) in tally.units.iter().zip(&times) {
            if t > 0 {
                add_unit(&mut o, v, unit, f64::from(t));
            }
        }
        if let Ok(a) = alpha_from(&o, &tally.values, level) {
            alphas.push(a);
        }
    }
    if alphas.len() * 2 < draws as usize {
        return None;
    }
    alphas.sort_by(f64::total_cmp);
    Some((percentile(&alphas, 0.025), percentile(&alphas, 0.975)))
}

/// Linear interpolation between the closest ranks of a sorted list.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = p * (sorted.len() - 1) as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (rank - low as f64)
}

/// The share of agreeing pairs of ratings in a unit, averaged over the units holding a pair.
pub fn percent_agreement(ratings: &Ratings) -> Estimate {
    percent_of(&tally(ratings))
}

fn percent_of(tally: &Tally) -> Estimate {
    if tally.units.is_empty() {
        return Err(Undefined::NoPairs);
    }
    let sum: f64 = tally
        .units
        .iter()
        .map(|unit| {
            let m: f64 = unit.iter().map(|(_, n)| n).sum();
            unit.iter().map(|(_, n)| n * (n - 1.0)).sum::<f64>() / (m * (m - 1.0))
        })
        .sum();
    Ok(sum / tally.units.len() as f64)
}

/// Fleiss' κ (1971): every unit rated the same number of times (not necessarily by the same
/// raters), the values taken as categories.
pub fn fleiss_kappa(ratings: &Ratings) -> Estimate {
    fleiss_of(ratings, &tally(ratings))
}

fn fleiss_of(ratings: &Ratings, tally: &Tally) -> Estimate {
    let per_unit: Vec<f64> = (0..ratings.units())
        .map(|u| ratings.unit(u).count() as f64)
        .collect();
    let Some(&m) = per_unit.first() else {
        return Err(Undefined::NoPairs);
    };
    if per_unit.iter().any(|&n| n != m) {
        return Err(Undefined::MissingRatings);
    }
    if m < 2.0 || tally.units.is_empty() {
        return Err(Undefined::NoPairs);
    }
    let units = tally.units.len() as f64;
    let agreement: f64 = tally
        .units
        .iter()
        .map(|unit| (unit.iter().map(|(_, n)| n * n).sum::<f64>() - m) / (m * (m - 1.0)))
        .sum::<f64>()
        / units;
    let mut shares = vec![0.0; tally.values.len()];
    for unit in &tally.units {
        for &(c, n) in unit {
            shares[c] += n / (units * m);
        }
    }
    let chance: f64 = shares.iter().map(|p| p * p).sum();
    kappa(agreement, chance)
}

fn kappa(observed: f64, chance: f64) -> Estimate {
    if 1.0 - chance <= 1e-12 {
        return Err(Undefined::NoVariation);
    }
    Ok((observed - chance) / (1.0 - chance))
}

/// Cohen's κ (1960) for exactly two raters, over the units both rated.
pub fn cohen_kappa(ratings: &Ratings) -> Estimate {
    if ratings.raters() != 2 {
        return Err(Undefined::NotTwoRaters);
    }
    let pairs: Vec<(f64, f64)> = ratings.rows[0]
        .iter()
        .zip(&ratings.rows[1])
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .collect();
    if pairs.is_empty() {
        return Err(Undefined::NoPairs);
    }
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let mut first: BTreeMap<u64, f64> = BTreeMap::new();
    let mut second: BTreeMap<u64, f64> = BTreeMap::new();
    let key = |v: f64| (if v == 0.0 { 0.0 } else { v }).to_bits();
    for (a, b) in &pairs {
        *first.entry(key(*a)).or_default() += 1.0 / n;
        *second.entry(key(*b)).or_default() += 1.0 / n;
    }
    let chance: f64 = first
        .iter()
        .map(|(v, p)| p * second.get(v).copied().unwrap_or(0.0))
        .sum();
    kappa(observed, chance)
}

/// The six intraclass correlations of Shrout & Fleiss (1979), keyed as they name them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Icc {
    #[serde(rename = "1,1")]
    pub single_random_targets: f64,
    #[serde(rename = "2,1")]
    pub single_random_raters: f64,
    #[serde(rename = "3,1")]
    pub single_fixed_raters: f64,
    #[serde(rename = "1,k")]
    pub mean_random_targets: f64,
    #[serde(rename = "2,k")]
    pub mean_random_raters: f64,
    #[serde(rename = "3,k")]
    pub mean_fixed_raters: f64,
}

impl Icc {
    /// Each form under its published name, in Shrout & Fleiss's order.
    pub fn forms(&self) -> [(&'static str, f64); 6] {
        [
            ("ICC(1,1)", self.single_random_targets),
            ("ICC(2,1)", self.single_random_raters),
            ("ICC(3,1)", self.single_fixed_raters),
            ("ICC(1,k)", self.mean_random_targets),
            ("ICC(2,k)", self.mean_random_raters),
            ("ICC(3,k)", self.mean_fixed_raters),
        ]
    }
}

/// ICCs from the two-way analysis of variance of a complete matrix: the units are the targets,
/// the raters the judges.
pub fn icc(ratings: &Ratings) -> Result<Icc, Undefined> {
    if !ratings.complete() {
        return Err(Undefined::MissingRatings);
    }
    let (k, n) = (ratings.raters() as f64, ratings.units() as f64);
    if ratings.units() < 2 {
        return Err(Undefined::TooFewUnits);
    }
    let value = |r: usize, u: usize| ratings.rows[r][u].unwrap_or_default();
    let grand = ratings.rows.iter().flatten().flatten().sum::<f64>() / (n * k);
    let target_means: Vec<f64> = (0..ratings.units())
        .map(|u| (0..ratings.raters()).map(|r| value(r, u)).sum::<f64>() / k)
        .collect();
    let rater_means: Vec<f64> = ratings
        .rows
        .iter()
        .map(|row| row.iter().flatten().sum::<f64>() / n)
        .collect();
    let total: f64 = ratings
        .rows
        .iter()
        .flatten()
        .flatten()
        .map(|x| (x - grand).powi(2))
        .sum();
    let between_targets = k * target_means
        .iter()
        .map(|m| (m - grand).powi(2))
        .sum::<f64>();
    let between_raters = n * rater_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let residual = total - between_targets - between_raters;
    let bms = between_targets / (n - 1.0);
    let jms = between_raters / (k - 1.0);
    let ems = residual / ((n - 1.0) * (k - 1.0));
    let wms = (between_raters + residual) / (n * (k - 1.0));
    if total <= f64::EPSILON * (n * k) * grand.abs().max(1.0) {
        return Err(Undefined::NoVariation);
    }
    let ratio = |num: f64, den: f64| {
        if den.abs() <= f64::EPSILON {
            0.0
        } else {
            num / den
        }
    };
    Ok(Icc {
        single_random_targets: ratio(bms - wms, bms + (k - 1.0) * wms),
        single_random_raters: ratio(bms - ems, bms + (k - 1.0) * ems + k * (jms - ems) / n),
        single_fixed_raters: ratio(bms - ems, bms + (k - 1.0) * ems),
        mean_random_targets: ratio(bms - wms, bms),
        mean_random_raters: ratio(bms - ems, bms + (jms - ems) / n),
        mean_fixed_raters: ratio(bms - ems, bms),
    })
}

/// How a κ reads, after Landis & Koch (1977).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KappaBand {
    Poor,
    Slight,
    Fair,
    Moderate,
    Substantial,
    AlmostPerfect,
}

pub fn kappa_band(kappa: f64) -> KappaBand {
    match kappa {
        k if k < 0.0 => KappaBand::Poor,
        k if k <= 0.20 => KappaBand::Slight,
        k if k <= 0.40 => KappaBand::Fair,
        k if k <= 0.60 => KappaBand::Moderate,
        k if k <= 0.80 => KappaBand::Substantial,
        _ => KappaBand::AlmostPerfect,
    }
}

/// How an α reads, after Krippendorff (2004): rely on data from .800, draw tentative
/// conclusions from .667, discard below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlphaBand {
    Unreliable,
    Tentative,
    Reliable,
}

/// Krippendorff's thresholds: tentative conclusions from here, reliable data from `ALPHA_RELIABLE`.
pub const ALPHA_TENTATIVE: f64 = 0.667;
pub const ALPHA_RELIABLE: f64 = 0.800;

pub fn alpha_band(alpha: f64) -> AlphaBand {
    match alpha {
        a if a >= ALPHA_RELIABLE => AlphaBand::Reliable,
        a if a >= ALPHA_TENTATIVE => AlphaBand::Tentative,
        _ => AlphaBand::Unreliable,
    }
}

/// How an ICC reads, after Koo & Li (2016).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IccBand {
    Poor,
    Moderate,
    Good,
    Excellent,
}

pub fn icc_band(icc: f64) -> IccBand {
    match icc {
        i if i < 0.5 => IccBand::Poor,
        i if i < 0.75 => IccBand::Moderate,
        i if i <= 0.9 => IccBand::Good,
        _ => IccBand::Excellent,
    }
}

/// Every statistic for one matrix: the answer of `POST /api/agreement` and of each criterion in
/// a calibration session. Undefined values are `null`, with the reason in `undefined`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub level: Level,
    pub n_raters: usize,
    pub n_units: usize,
    /// Units holding at least two ratings: the ones α and percent agreement use.
    pub n_pairable_units: usize,
    pub krippendorff_alpha: Option<f64>,
    /// The bootstrap 95 % interval of α.
    pub krippendorff_alpha_ci95: Option<(f64, f64)>,
    pub percent_agreement: Option<f64>,
    pub fleiss_kappa: Option<f64>,
    pub cohen_kappa: Option<f64>,
    pub icc: Option<Icc>,
    pub bands: Bands,
    /// Why a statistic is `null`, by its field name.
    pub undefined: BTreeMap<String, Undefined>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bands {
    pub krippendorff_alpha: Option<AlphaBand>,
    pub fleiss_kappa: Option<KappaBand>,
    pub cohen_kappa: Option<KappaBand>,
    /// For ICC(2,1), the usual choice when raters are a sample of all raters.
    pub icc: Option<IccBand>,
}

/// Computes every statistic; `seed` makes α's interval reproducible.
pub fn agreement(ratings: &Ratings, level: Level, seed: u64) -> Agreement {
    let tally = tally(ratings);
    let mut undefined = BTreeMap::new();
    fn keep<T>(
        undefined: &mut BTreeMap<String, Undefined>,
        name: &str,
        estimate: Result<T, Undefined>,
    ) -> Option<T> {
        estimate
            .map_err(|why| undefined.insert(name.to_string(), why))
            .ok()
    }
    let alpha = keep(
        &mut undefined,
        "krippendorff_alpha",
        alpha_of(&tally, level),
    );
    // Each statistic only at the levels where it means something.
    let categorical = |estimate: Estimate| {
        if level.is_categorical() {
            estimate
        } else {
            Err(Undefined::NotAtThisLevel)
        }
    };
    let percent = keep(
        &mut undefined,
        "percent_agreement",
        categorical(percent_of(&tally)),
    );
    let fleiss = keep(
        &mut undefined,
        "fleiss_kappa",
        categorical(fleiss_of(ratings, &tally)),
    );
    let cohen = keep(
        &mut undefined,
        "cohen_kappa",
        categorical(cohen_kappa(ratings)),
    );
    let icc = keep(
        &mut undefined,
        "icc",
        if level == Level::Nominal {
            Err(Undefined::NotAtThisLevel)
        } else {
            icc(ratings)
        },
    );
    let interval = match alpha {
        None => None,
        Some(_) if tally.units.len() < MIN_UNITS_FOR_INTERVAL => {
            undefined.insert(
                "krippendorff_alpha_ci95".to_string(),
                Undefined::TooFewUnitsForInterval,
            );
            None
        }
        Some(_) => interval_of(&tally, level, BOOTSTRAP_DRAWS, seed),
    };
    Agreement {
        level,
        n_raters: ratings.raters(),
        n_units: ratings.units(),
        n_pairable_units: tally.units.len(),
        krippendorff_alpha: alpha,
        krippendorff_alpha_ci95: interval,
        percent_agreement: percent,
        fleiss_kappa: fleiss,
        cohen_kappa: cohen,
        bands: Bands {
            krippendorff_alpha: alpha.map(alpha_band),
            fleiss_kappa: fleiss.map(kappa_band),
            cohen_kappa: cohen.map(kappa_band),
            icc: icc.map(|i| icc_band(i.single_random_raters)),
        },
        icc,
        undefined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[Option<f64>]], level: Level) -> Ratings {
        Ratings::new(rows.iter().map(|r| r.to_vec()).collect(), level).unwrap()
    }

    const N: Option<f64> = None;
    fn s(v: f64) -> Option<f64> {
        Some(v)
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    /// observers, twelve units, values 1–5, missing data.
    fn krippendorff_2011(level: Level) -> Ratings {
        matrix(
            &[
                &[
                    s(1.),
                    s(2.),
                    s(3.),
                    s(3.),
                    s(2.),
                    s(1.),
                    s(4.),
                    s(1.),
                    s(2.),
                    N,
                    N,
                    N,
                ],
                &[
                    s(1.),
                    s(2.),
                    s(3.),
                    s(3.),
                    s(2.),
                    s(2.),
                    s(4.),
                    s(1.),
                    s(2.),
                    s(5.),
                    N,
                    s(3.),
                ],
                &[
                    N,
                    s(3.),
                    s(3.),
                    s(3.),
                    s(2.),
                    s(3.),
                    s(4.),
                    s(2.),
                    s(2.),
                    s(5.),
                    s(1.),
                    N,
                ],
                &[
                    s(1.),
                    s(2.),
                    s(3.),
                    s(3.),
                    s(2.),
                    s(4.),
                    s(4.),
                    s(1.),
                    s(2.),
                    s(5.),
                    s(1.),
                    N,
                ],
            ],
            level,
        )
    }

    fn close(actual: f64, expected: f64, places: i32) {
        let tolerance = 0.5 * 10f64.powi(-places);
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not {expected} to {places} places"
        );
    }

    #[test]
    fn alpha_reproduces_krippendorff_2011_at_every_level() {
        for (level, expected) in [
            (Level::Nominal, 0.743),
            (Level::Ordinal, 0.815),
            (Level::Interval, 0.849),
            (Level::Ratio, 0.797),
        ] {
            close(
                krippendorff_alpha(&krippendorff_2011(level), level).unwrap(),
                expected,
                3,
            );
        }
    }

    #[test]
    fn alpha_drops_units_without_a_pair() {
        // Unit 12 holds one value and unit 11 two: only unit 12 drops out.
        let tally = tally(&krippendorff_2011(Level::Nominal));
        assert_eq!(tally.units.len(), 11);
    }

    /// Krippendorff (2011), section A: two observers, binary data, ten units: α = 0.095.
    #[test]
    fn alpha_reproduces_the_binary_two_observer_example() {
        let a = [0., 1., 0., 0., 0., 0., 0., 0., 1., 0.].map(Some);
        let b = [1., 1., 1., 0., 0., 1., 0., 0., 0., 0.].map(Some);
        let r = matrix(&[&a, &b], Level::Nominal);
        close(krippendorff_alpha(&r, Level::Nominal).unwrap(), 0.095, 3);
    }

    /// Krippendorff (2011), section B: two observers, nominal data with categories a–e coded
    /// 1–5, twelve units: α = 0.692.
    #[test]
    fn alpha_reproduces_the_nominal_two_observer_example() {
        let a = [1., 1., 2., 2., 4., 3., 3., 3., 5., 4., 4., 1.].map(Some);
        let b = [2., 1., 2., 2., 2., 3., 3., 3., 5., 4., 4., 4.].map(Some);
        close(
            krippendorff_alpha(&matrix(&[&a, &b], Level::Nominal), Level::Nominal).unwrap(),
            0.692,
            3,
        );
    }

    /// Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
    #[test]
    fn fleiss_kappa_reproduces_the_wikipedia_example() {
        let counts: [[usize; 5]; 10] = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ];
        let mut rows = vec![Vec::new(); 14];
        for unit in counts {
            let values = unit
                .iter()
                .enumerate()
                .flat_map(|(c, &n)| std::iter::repeat_n(Some(c as f64 + 1.0), n));
            for (row, v) in rows.iter_mut().zip(values) {
                row.push(v);
            }
        }
        let r = Ratings::new(rows, Level::Nominal).unwrap();
        close(fleiss_kappa(&r).unwrap(), 0.210, 3);
        assert_eq!(kappa_band(0.210), KappaBand::Fair);
    }

    fn two_raters(table: [[usize; 2]; 2]) -> Ratings {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (i, row) in table.iter().enumerate() {
            for (j, &n) in row.iter().enumerate() {
                a.extend(std::iter::repeat_n(Some(i as f64), n));
                b.extend(std::iter::repeat_n(Some(j as f64), n));
            }
        }
        Ratings::new(vec![a, b], Level::Nominal).unwrap()
    }

    /// Wikipedia, "Cohen's kappa": the 50-application example (20 / 5 / 10 / 15) is 0.40, and
    /// the two tables with the same agreement but different margins are 0.1304 and 0.2593.
    #[test]
    fn cohen_kappa_reproduces_the_wikipedia_examples() {
        close(
            cohen_kappa(&two_raters([[20, 5], [10, 15]])).unwrap(),
            0.40,
            2,
        );
        close(
            cohen_kappa(&two_raters([[45, 15], [25, 15]])).unwrap(),
            0.1304,
            4,
        );
        close(
            cohen_kappa(&two_raters([[25, 35], [5, 35]])).unwrap(),
            0.2593,
            4,
        );
    }

    /// Shrout & Fleiss (1979), Table 2: six targets, four judges, and their Table 4.
    #[test]
    fn icc_reproduces_shrout_and_fleiss() {
        let targets = [
            [9., 2., 5., 8.],
            [6., 1., 3., 2.],
            [8., 4., 6., 8.],
            [7., 1., 2., 6.],
            [10., 5., 6., 9.],
            [6., 2., 4., 7.],
        ];
        let rows: Vec<Vec<Option<f64>>> = (0..4)
            .map(|judge| targets.iter().map(|t| Some(t[judge])).collect())
            .collect();
        let icc = icc(&Ratings::new(rows, Level::Interval).unwrap()).unwrap();
        close(icc.single_random_targets, 0.17, 2);
        close(icc.single_random_raters, 0.29, 2);
        close(icc.single_fixed_raters, 0.71, 2);
        close(icc.mean_random_targets, 0.44, 2);
        close(icc.mean_random_raters, 0.62, 2);
        close(icc.mean_fixed_raters, 0.91, 2);
    }

    #[test]
    fn everyone_alike_is_undefined_never_nan() {
        let r = matrix(
            &[
                &[s(1.), s(1.), s(1.)],
                &[s(1.), s(1.), s(1.)],
                &[s(1.), s(1.), s(1.)],
            ],
            Level::Nominal,
        );
        let a = agreement(&r, Level::Nominal, 7);
        assert_eq!(a.krippendorff_alpha, None);
        assert_eq!(
            a.undefined.get("krippendorff_alpha"),
            Some(&Undefined::NoVariation)
        );
        assert_eq!(a.percent_agreement, Some(1.0));
        assert_eq!(
            a.undefined.get("fleiss_kappa"),
            Some(&Undefined::NoVariation)
        );
        assert_eq!(
            a.undefined.get("cohen_kappa"),
            Some(&Undefined::NotTwoRaters)
        );
        assert_eq!(a.undefined.get("icc"), Some(&Undefined::NotAtThisLevel));
        let json = serde_json::to_string(&a).unwrap();
        assert!(
            !json.contains("NaN") && json.contains("\"krippendorff_alpha\":null"),
            "{json}"
        );
    }

    #[test]
    fn missing_ratings_make_kappa_and_icc_undefined_but_not_alpha() {
        let r = krippendorff_2011(Level::Ordinal);
        let a = agreement(&r, Level::Ordinal, 1);
        assert!(a.krippendorff_alpha.is_some());
        assert_eq!(
            a.undefined.get("fleiss_kappa"),
            Some(&Undefined::MissingRatings)
        );
        assert_eq!(a.undefined.get("icc"), Some(&Undefined::MissingRatings));
        assert_eq!(a.n_pairable_units, 11);
    }

    #[test]
    fn each_statistic_appears_only_at_the_level_where_it_means_something() {
        // Totals of five calls by three scorers: close, never equal.
        let rows: &[&[Option<f64>]] = &[
            &[s(86.5), s(72.0), s(91.0), s(64.5), s(80.0)],
            &[s(86.6), s(70.5), s(92.0), s(66.0), s(79.0)],
            &[s(85.0), s(73.0), s(90.5), s(63.0), s(81.5)],
        ];
        for level in [Level::Interval, Level::Ratio] {
            let a = agreement(&matrix(rows, level), level, 3);
            assert!(a.krippendorff_alpha.unwrap() > 0.9, "{a:?}");
            assert!(a.icc.is_some());
            for name in ["percent_agreement", "fleiss_kappa", "cohen_kappa"] {
                assert_eq!(
                    a.undefined.get(name),
                    Some(&Undefined::NotAtThisLevel),
                    "{level:?} {name}"
                );
            }
            assert_eq!(
                (a.percent_agreement, a.fleiss_kappa, a.cohen_kappa),
                (None, None, None)
            );
        }
        let yes_no: &[&[Option<f64>]] = &[
            &[s(1.), s(0.), s(1.), s(1.), s(0.)],
            &[s(1.), s(0.), s(1.), s(0.), s(0.)],
        ];
        let a = agreement(&matrix(yes_no, Level::Nominal), Level::Nominal, 3);
        assert_eq!(a.percent_agreement, Some(0.8));
        assert!(a.fleiss_kappa.is_some() && a.cohen_kappa.is_some());
        assert_eq!(a.icc, None);
        assert_eq!(a.undefined.get("icc"), Some(&Undefined::NotAtThisLevel));
        let scale = agreement(&matrix(yes_no, Level::Ordinal), Level::Ordinal, 3);
        assert!(scale.fleiss_kappa.is_some() && scale.icc.is_some());
    }

    #[test]
    fn alpha_gets_an_interval_only_from_the_minimum_number_of_units() {
        let rows = |units: usize| -> Vec<Vec<Option<f64>>> {
            (0..3)
                .map(|rater| {
                    (0..units)
                        .map(|u| Some(((u * 7 + rater * (u % 3)) % 5) as f64))
                        .collect()
                })
                .collect()
        };
        let few = Ratings::new(rows(3), Level::Interval).unwrap();
        let a = agreement(&few, Level::Interval, 5);
        assert!(a.krippendorff_alpha.is_some());
        assert_eq!(a.krippendorff_alpha_ci95, None);
        assert_eq!(
            a.undefined.get("krippendorff_alpha_ci95"),
            Some(&Undefined::TooFewUnitsForInterval)
        );
        let below = Ratings::new(rows(MIN_UNITS_FOR_INTERVAL - 1), Level::Interval).unwrap();
        assert_eq!(
            agreement(&below, Level::Interval, 5).krippendorff_alpha_ci95,
            None
        );
        let enough = Ratings::new(rows(MIN_UNITS_FOR_INTERVAL), Level::Interval).unwrap();
        let a = agreement(&enough, Level::Interval, 5);
        let (low, high) = a
            .krippendorff_alpha_ci95
            .expect("an interval from ten units");
        let alpha = a.krippendorff_alpha.unwrap();
        assert!(low <= alpha && alpha <= high, "{low} {alpha} {high}");
        assert!(!a.undefined.contains_key("krippendorff_alpha_ci95"));
    }

    #[test]
    fn the_interval_holds_alpha_and_is_reproducible() {
        let r = krippendorff_2011(Level::Interval);
        let alpha = krippendorff_alpha(&r, Level::Interval).unwrap();
        let (low, high) = alpha_interval(&r, Level::Interval, 1000, 42).unwrap();
        assert!(
            low < alpha && alpha < high && high <= 1.0,
            "{low} {alpha} {high}"
        );
        assert_eq!(
            alpha_interval(&r, Level::Interval, 1000, 42),
            Some((low, high))
        );
        assert_ne!(
            alpha_interval(&r, Level::Interval, 1000, 43),
            Some((low, high))
        );
    }

    #[test]
    fn bad_matrices_are_refused_with_where_and_why() {
        let json = |v: serde_json::Value| Ratings::from_json(&v, Level::Nominal);
        assert_eq!(
            json(serde_json::json!([[1, 2]])),
            Err(RatingsError::TooFewRaters { found: 1 })
        );
        assert_eq!(
            json(serde_json::json!([[1, 2], [1]])),
            Err(RatingsError::Ragged {
                rater: 2,
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            json(serde_json::json!([[1, 2], [1, "x"]])),
            Err(RatingsError::NotANumber {
                rater: 2,
                unit: 2,
                value: "\"x\"".into()
            })
        );
        assert_eq!(
            json(serde_json::json!({"a": 1})),
            Err(RatingsError::NotAMatrix)
        );
        // Issue #19: an empty matrix answered 200 with every statistic null.
        assert_eq!(
            json(serde_json::json!([[], []])),
            Err(RatingsError::NoUnits)
        );
        assert_eq!(
            Ratings::from_json(&serde_json::json!([[1, -2], [1, 2]]), Level::Ratio),
            Err(RatingsError::NegativeRatio {
                rater: 1,
                unit: 2,
                value: -2.0
            })
        );
        let big = serde_json::Value::Array(vec![
            serde_json::Value::Array(vec![
                1.into();
                MAX_CELLS / 2 + 1
            ]);
            2
        ]);
        assert!(matches!(json(big), Err(RatingsError::TooLarge { .. })));
    }

    #[test]
    fn bands_follow_their_authors() {
        assert_eq!(alpha_band(0.85), AlphaBand::Reliable);
        assert_eq!(alpha_band(0.70), AlphaBand::Tentative);
        assert_eq!(alpha_band(0.5), AlphaBand::Unreliable);
        assert_eq!(kappa_band(0.4), KappaBand::Fair);
        assert_eq!(kappa_band(-0.1), KappaBand::Poor);
        assert_eq!(icc_band(0.95), IccBand::Excellent);
        assert_eq!(icc_band(0.6), IccBand::Moderate);
    }
}

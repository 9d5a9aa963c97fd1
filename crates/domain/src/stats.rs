//! How sure a QA number is: sample sizes (Cochran), intervals for pass rates (Wilson) and mean
//! scores (Student t), and the margin of error a sample buys. Hand-written so the browser and the
//! server compute the same digits without a statistics crate.

use serde::{Deserialize, Serialize};

/// Below this many evaluations an interval is too wide to read: the number is shown as
/// "not enough evaluations" instead.
pub const MIN_N: u32 = 3;

/// The two-sided normal quantile for a confidence level, e.g. 0.95 → 1.959964.
pub fn z_for(confidence: f64) -> f64 {
    normal_quantile(1.0 - (1.0 - confidence) / 2.0)
}

/// Inverse of the standard normal CDF (P. J. Acklam's rational approximation, relative error
/// below 1.2e-9 over (0, 1)).
// Acklam's published coefficients, written as published.
#[allow(clippy::excessive_precision)]
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383577518672690e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Sample size for estimating a proportion: Cochran's n0 = z²·p(1−p)/e², then the finite
/// population correction n = n0 / (1 + (n0 − 1)/N), rounded up. Never more than the population.
pub fn cochran(population: u64, confidence: f64, margin: f64, expected: f64) -> u64 {
    if population == 0 || margin <= 0.0 {
        return population;
    }
    let z = z_for(confidence);
    let n0 = z * z * expected * (1.0 - expected) / (margin * margin);
    let n = n0 / (1.0 + (n0 - 1.0) / population as f64);
    // Rounding noise must not add a call: 277.0000000001 is 277.
    ((n - 1e-9).ceil() as u64).clamp(1, population)
}

/// The half-width of a 95 % interval around a pass rate measured on `n` of `population` calls,
/// at the worst case p = 0.5, with the finite population correction.
pub fn margin_of_error(n: u64, population: u64) -> Option<f64> {
    if n == 0 || population == 0 {
        return None;
    }
    let fpc = if population > 1 {
        ((population - n.min(population)) as f64 / (population - 1) as f64).sqrt()
    } else {
        0.0
    };
    Some(z_for(0.95) * (0.25 / n as f64).sqrt() * fpc)
}

/// A point estimate with its 95 % interval, as every per-agent or per-team figure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub n: u32,
}

/// Wilson's score interval for `passed` of `n` (Wilson 1927): unlike value ± z·se it stays
/// inside 0–1 and is honest at small n and at 0 % or 100 %.
pub fn wilson(passed: u32, n: u32, confidence: f64) -> Option<Estimate> {
    if n < MIN_N {
        return None;
    }
    let (n_f, p) = (n as f64, passed.min(n) as f64 / n as f64);
    let z = z_for(confidence);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n_f)) / (1.0 + z2 / n_f);
    let half = z / (1.0 + z2 / n_f) * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    Some(Estimate {
        value: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
        n,
    })
}

/// The Student t interval around a mean score, clamped to the scale's `0..=max` range.
pub fn mean_interval(scores: &[f64], confidence: f64, max: f64) -> Option<Estimate> {
    let n = scores.len();
    if (n as u32) < MIN_N {
        return None;
    }
    let mean = scores.iter().sum::<f64>() / n as f64;
    let variance = scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let half =
        t_quantile(1.0 - (1.0 - confidence) / 2.0, (n - 1) as f64) * (variance / n as f64).sqrt();
    Some(Estimate {
        value: mean,
        low: (mean - half).max(0.0),
        high: (mean + half).min(max),
        n: n as u32,
    })
}

/// The quantile of Student's t with `df` degrees of freedom, found by bisection on its CDF.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p == 0.5 {
        return 0.0;
    }
    let (mut lo, mut hi) = (-1e3, 1e3);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// P(T ≤ t) through the regularized incomplete beta function: I_x(df/2, 1/2), x = df/(df+t²).
fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// The regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The fraction converges fast only below the mean; use the symmetry I_x(a,b) = 1 − I_(1−x)(b,a).
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(b, a, 1.0 - x);
    }
    let tiny = 1e-300;
    let (mut c, mut d) = (1.0, 1.0 - (a + b) * x / (a + 1.0));
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut f = d;
    for m in 1..300 {
        let m = m as f64;
        for numerator in [
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)),
        ] {
            d = 1.0 + numerator * d;
            d = if d.abs() < tiny { 1.0 / tiny } else { 1.0 / d };
            c = 1.0 + numerator / c;
            if c.abs() < tiny {
                c = tiny;
            }
            f *= c * d;
        }
        if (c * d - 1.0).abs() < 1e-15 {
            break;
        }
    }
    front * f / a
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: about 15 significant digits).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = G[0];
    for (i, g) in G.iter().enumerate().skip(1) {
        sum += g / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn normal_quantiles_match_the_tables() {
        for (confidence, z) in [(0.90, 1.644854), (0.95, 1.959964), (0.99, 2.575829)] {
            assert!(
                close(z_for(confidence), z, 1e-6),
                "{confidence}: {}",
                z_for(confidence)
            );
        }
    }

    /// The worked examples in the issue, which also appear in sample-size tables built on
    /// Cochran (1977), Sampling Techniques, 3rd ed., eq. 4.2 with the finite population correction.
    #[test]
    fn cochran_gives_the_published_sizes() {
        assert_eq!(cochran(1_000, 0.95, 0.05, 0.5), 278);
        assert_eq!(cochran(60_000, 0.99, 0.03, 0.5), 1_789);
        // Without a meaningful correction the classic infinite-population 385 appears.
        assert_eq!(cochran(100_000_000, 0.95, 0.05, 0.5), 385);
        assert_eq!(cochran(10, 0.95, 0.05, 0.5), 10);
        assert_eq!(cochran(0, 0.95, 0.05, 0.5), 0);
    }

    /// Newcombe, R. G. (1998), "Two-sided confidence intervals for the single proportion:
    /// comparison of seven methods", Statistics in Medicine 17, 857–872, Table II, method 3
    /// (Wilson score interval without continuity correction).
    #[test]
    fn wilson_matches_newcombe_1998() {
        for (passed, n, low, high) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let e = wilson(passed, n, 0.95).unwrap();
            assert!(
                close(e.low, low, 5e-5) && close(e.high, high, 5e-5),
                "{passed}/{n}: {e:?}"
            );
        }
        assert_eq!(
            wilson(2, 2, 0.95),
            None,
            "below the minimum n there is no interval"
        );
    }

    /// NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.6.7.2, "Critical values of
    /// the Student's t distribution", column 0.975 (two-sided 95 %).
    #[test]
    fn t_quantiles_match_nist() {
        for (df, t) in [
            (1.0, 12.706),
            (2.0, 4.303),
            (4.0, 2.776),
            (9.0, 2.262),
            (10.0, 2.228),
            (29.0, 2.045),
            (100.0, 1.984),
        ] {
            assert!(
                close(t_quantile(0.975, df), t, 5e-4),
                "df {df}: {}",
                t_quantile(0.975, df)
            );
        }
    }

    #[test]
    fn mean_intervals_use_t_and_stay_on_the_scale() {
        // Mean 80, sample sd 10, n = 5: 80 ± 2.776 · 10/√5 = 80 ± 12.41.
        let (a, b) = (160f64.sqrt(), 40f64.sqrt());
        let scores = [80.0 - a, 80.0 - b, 80.0, 80.0 + b, 80.0 + a];
        let e = mean_interval(&scores, 0.95, 100.0).unwrap();
        assert!(
            close(e.value, 80.0, 1e-9) && close(e.low, 67.58, 0.01) && close(e.high, 92.42, 0.01),
            "{e:?}"
        );
        let high = mean_interval(&[99.0, 100.0, 100.0, 90.0], 0.95, 100.0).unwrap();
        assert!(high.high <= 100.0);
        assert_eq!(mean_interval(&[90.0, 80.0], 0.95, 100.0), None);
    }

    #[test]
    fn a_larger_sample_buys_a_smaller_margin() {
        let small = margin_of_error(5, 1_000).unwrap();
        let large = margin_of_error(278, 1_000).unwrap();
        assert!(close(large, 0.05, 0.001), "{large}");
        assert!(small > 0.4 && small < 0.45, "{small}");
        assert_eq!(
            margin_of_error(10, 10),
            Some(0.0),
            "a census has no sampling error"
        );
        assert_eq!(margin_of_error(0, 10), None);
    }
}

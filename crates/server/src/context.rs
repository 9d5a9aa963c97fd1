//! What every request handler shares: the configuration, the database, and the turns at
//! scarce work (password hashing, heavy reads).

use crate::{throttle, Config, Db, Error, Result};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct ApiContext {
    pub config: Arc<Config>,
    pub db: Db,
    pub throttle: Arc<throttle::Throttle>,
    /// Password hashes computed at once: each takes ~19 MiB and a core for a moment.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Heavy work at once (agreement statistics with their bootstrap, calibration reports, plan
    /// previews streaming a population), one per core: more would only queue on the cores, and
    /// heavy reads holding every reader would stall everyone else's requests.
    pub heavy: Arc<tokio::sync::Semaphore>,
    /// How many turns at heavy work there are.
    pub heavy_slots: usize,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The app's page, cut for the per-request part.
    pub index: Arc<crate::boot::IndexCache>,
    pub started: std::time::Instant,
}

/// Password hashes computed at once.
pub const HASHING_SLOTS: usize = 4;

impl ApiContext {
    /// A turn at heavy work: waits (without a thread) while every core has some.
    pub async fn heavy_permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>> {
        self.heavy
            .acquire()
            .await
            .map_err(|e| Error::Internal(e.to_string()))
    }

    pub fn new(config: Config, db: Db) -> ApiContext {
        let window = Duration::from_secs(u64::from(config.login_window_minutes) * 60);
        let throttle = throttle::Throttle::new(
            config.login_attempts,
            config.login_attempts_per_address,
            window,
        );
        let heavy_slots = std::thread::available_parallelism().map_or(2, |n| n.get());
        ApiContext {
            config: Arc::new(config),
            db,
            throttle: Arc::new(throttle),
            hashing: Arc::new(tokio::sync::Semaphore::new(HASHING_SLOTS)),
            heavy: Arc::new(tokio::sync::Semaphore::new(heavy_slots)),
            heavy_slots,
            metrics: Arc::default(),
            index: Arc::default(),
            started: std::time::Instant::now(),
        }
    }
}

//! A throwaway PostgreSQL server for the tests: Debian's PostgreSQL 15, a cluster made with
//! `initdb` under target/ (as the unprivileged `postgres` user when we are root: PostgreSQL
//! refuses to run as root), on a free loopback port, stopped when the tests end.

use crate::{cmd, free_port, root, run_step, Result};
use std::path::PathBuf;
use std::process::Command;

/// A running cluster; stopped when dropped.
pub struct Cluster {
    /// The cluster's folder: its data, socket and log.
    dir: PathBuf,
    data: PathBuf,
    bin: PathBuf,
    /// `postgres://postgres@127.0.0.1:PORT`, without a database name.
    pub url: String,
}

fn is_root() -> bool {
    cmd("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// PostgreSQL's server programs: Debian keeps them off PATH, under its version's folder.
fn bin_dir() -> Result<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("/usr/lib/postgresql: {e} (is the postgresql package installed?)"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    found.sort();
    found
        .pop()
        .ok_or_else(|| "no PostgreSQL server under /usr/lib/postgresql".into())
}

/// `program` from PostgreSQL's folder, run as the `postgres` user when we are root.
fn pg(bin: &std::path::Path, program: &str) -> Command {
    let path = bin.join(program);
    if is_root() {
        let mut c = cmd("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    }
}

/// Where the cluster lives: target/pg, unless we are root and some folder above it is closed
/// to other users (a checkout under /root, say), which the `postgres` user could not enter.
fn cluster_dir() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let target = root().join("target");
    let reachable = target
        .ancestors()
        .all(|dir| std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
    if !is_root() || reachable {
        target.join("pg")
    } else {
        std::env::temp_dir().join(format!("kappa-test-pg-{}", std::process::id()))
    }
}

impl Cluster {
    /// A fresh cluster under target/pg (or the temporary folder, when the `postgres` user
    /// could not reach target/), started.
    pub fn start() -> Result<Cluster> {
        let bin = bin_dir()?;
        let dir = cluster_dir();
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if is_root() {
            run_step(
                "handing the cluster's folder to the postgres user",
                cmd("chown").args(["postgres:postgres"]).arg(&dir),
            )?;
        }
        let data = dir.join("data");
        run_step(
            "a test PostgreSQL cluster (initdb)",
            pg(&bin, "initdb")
                .arg("-D")
                .arg(&data)
                .args([
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ])
                .args(["--no-instructions", "--no-sync"]),
        )?;
        let port = free_port()?;
        let options = format!(
            "-k {} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=200",
            dir.display()
        );
        let cluster = Cluster {
            dir: dir.clone(),
            data,
            bin,
            url: format!("postgres://postgres@127.0.0.1:{port}"),
        };
        run_step(
            "starting it",
            pg(&cluster.bin, "pg_ctl")
                .arg("-D")
                .arg(&cluster.data)
                .args(["-o", &options, "-l"])
                .arg(dir.join("log"))
                .args(["-w", "start"]),
        )?;
        Ok(cluster)
    }
}

impl Cluster {
    /// A new empty database on the cluster; its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        let port = self.url.rsplit(':').next().unwrap_or_default();
        run_step(
            &format!("an empty database {name}"),
            pg(&self.bin, "createdb").args(["-h", "127.0.0.1", "-p", port, "-U", "postgres", name]),
        )?;
        Ok(format!("{}/{name}", self.url))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = pg(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w", "stop"])
            .status();
        // target/pg is kept for its log until the next run; a temporary folder is not.
        if !self.dir.starts_with(root().join("target")) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

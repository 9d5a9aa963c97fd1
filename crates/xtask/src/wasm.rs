//! The SPA's wasm, split into one chunk per page group. trunk 0.21 cannot split: it runs wasm-bindgen
//! straight after cargo, and the module must be split before that (trunk issue #1022). So
//! index.html's rust link carries `data-trunk-skip`, trunk keeps building the CSS, icon and
//! copied files, and its post_build hook runs `cargo xtask wasm`, which does the rest:
//!
//! cargo (linked with `--emit-relocs`, see .cargo/config.toml) → wasm-split-cli →
//! wasm-bindgen `--keep-lld-exports` → wasm-opt -Oz on every module → one content-hashed folder
//! `pkg-<hash>/` (the bindgen glue and the split loader import each other, so they move as one),
//! and the boot script in index.html and its 404.html twin.

use crate::{cmd, root, run_step, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The page table, `kappa_domain::pages`: each route and its page group, whose chunk is
/// `split_<group>.wasm` (the name a page gives `split_page!`). A page split off into a group the
/// table does not name fails the build, and a group without a budget in `bundle::BUDGETS` fails
/// `cargo xtask test`.
pub use kappa_domain::pages::{PageRoute as Page, PAGES};

/// The JS glue's and main module's name (`BOOT` names `kappa.js` too).
const OUT_NAME: &str = "kappa";
/// The split loader wasm-split-cli writes; it names each chunk's files.
const LOADER: &str = "__wasm_split.js";

/// Run by trunk's post_build hook (`TRUNK_STAGING_DIR`, `TRUNK_PROFILE` set by trunk).
pub fn build_into_staging() -> Result {
    let staging = PathBuf::from(
        std::env::var_os("TRUNK_STAGING_DIR")
            .ok_or("`cargo xtask wasm` runs from trunk's post_build hook")?,
    );
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p != "debug");
    let (profile, dir) = if release {
        ("wasm-release", "wasm-release")
    } else {
        ("dev", "debug")
    };
    run_step(
        &format!("building the wasm ({profile})"),
        cmd("cargo").args([
            "build",
            "--profile",
            profile,
            "--target",
            "wasm32-unknown-unknown",
            "--bin",
            OUT_NAME,
        ]),
    )?;
    let raw = root().join(format!(
        "target/wasm32-unknown-unknown/{dir}/{OUT_NAME}.wasm"
    ));
    let work = root().join("target/wasm-split");
    let (split, pkg) = (work.join("split"), work.join("pkg"));
    let _ = std::fs::remove_dir_all(&work);
    run_step(
        "splitting the wasm per page",
        cmd("wasm-split-cli")
            .args(["--target", "web", "--out-name", OUT_NAME])
            .arg(&raw)
            .arg(&split),
    )?;
    run_step(
        "generating the JS bindings",
        cmd("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-typescript",
                "--out-name",
                OUT_NAME,
                "--out-dir",
            ])
            .arg(&pkg)
            .arg(split.join(format!("{OUT_NAME}.wasm"))),
    )?;
    for file in list(&split)? {
        if file
            .file_name()
            .is_some_and(|n| n != format!("{OUT_NAME}.wasm").as_str())
        {
            copy(&file, &pkg.join(file.file_name().unwrap_or_default()))?;
        }
    }
    if release {
        optimise(
            list(&pkg)?
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "wasm"))
                .collect(),
        )?;
    }
    let manifest = Manifest::read(&pkg)?;
    manifest.check_pages()?;
    // After the manifest, which reads the loader as wasm-split-cli wrote it.
    if release {
        minify(&[pkg.join(format!("{OUT_NAME}.js")), pkg.join(LOADER)])?;
    }
    let folder = format!("pkg-{:016x}", content_hash(&pkg)?);
    let target = staging.join(&folder);
    let _ = std::fs::remove_dir_all(&target);
    std::fs::rename(&pkg, &target)
        .map_err(|e| format!("moving {} to {}: {e}", pkg.display(), target.display()))?;
    let index = staging.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let html = html.replacen(
        "</head>",
        &format!("{}</head>", boot_html(&folder, &manifest)),
        1,
    );
    std::fs::write(&index, &html).map_err(|e| e.to_string())?;
    // Static hosts answer unknown paths with 404.html: the SPA boots from it and routes the path.
    std::fs::write(staging.join("404.html"), &html).map_err(|e| e.to_string())
}

/// Which files each page's module needs, as the split loader says: `split_<module>.wasm` and
/// the shared `chunk_<n>.wasm` files it depends on.
pub struct Manifest {
    /// module name → the files it needs (its own first).
    pub modules: BTreeMap<String, Vec<String>>,
    /// What every page needs: the main module, its glue, the split loader.
    pub shell: Vec<String>,
}

impl Manifest {
    pub fn read(pkg: &Path) -> Result<Manifest> {
        let loader = std::fs::read_to_string(pkg.join(LOADER))
            .map_err(|e| format!("{}: {e}", pkg.join(LOADER).display()))?;
        let mut modules = BTreeMap::new();
        for file in list(pkg)?.iter().map(|f| name(f)) {
            let Some(module) = file
                .strip_prefix("split_")
                .and_then(|f| f.strip_suffix(".wasm"))
            else {
                continue;
            };
            if !PAGES.iter().any(|p| p.group == module) {
                return Err(format!(
                    "{file}: a page was split off into a group the page table (crates/domain/src/pages.rs) does not name"
                ));
            }
            let mut needs = vec![file.clone()];
            let mut next = 0;
            while next < needs.len() {
                for dependency in dependencies(&loader, &needs[next])? {
                    if !needs.contains(&dependency) {
                        needs.push(dependency);
                    }
                }
                next += 1;
            }
            modules.insert(module.to_string(), needs);
        }
        Ok(Manifest {
            modules,
            shell: shell_files(),
        })
    }

    /// What a built `dist/` needs, read from the route table its index.html carries for the
    /// start script: by then the loader is minified, and this table is what the browser uses.
    pub fn built(dist: &Path) -> Result<Manifest> {
        let index = dist.join("index.html");
        let html =
            std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
        let unreadable = || format!("{}: no route table (build first)", index.display());
        let (_, table) = html
            .split_once("<meta name=\"kappa-routes\" content=\"")
            .ok_or_else(unreadable)?;
        let (table, _) = table.split_once('"').ok_or_else(unreadable)?;
        let table: Vec<(String, Vec<String>)> =
            serde_json::from_str(&table.replace("&quot;", "\""))
                .map_err(|e| format!("{}: {e}", index.display()))?;
        let mut modules = BTreeMap::new();
        for (route, files) in table {
            let page = PAGES.iter().find(|p| p.route == route).ok_or_else(|| {
                format!("{route}: in the built route table but not in the page table")
            })?;
            modules.insert(page.group.to_string(), files);
        }
        Ok(Manifest {
            modules,
            shell: shell_files(),
        })
    }

    fn check_pages(&self) -> Result {
        match PAGES.iter().find(|p| !self.modules.contains_key(p.group)) {
            Some(page) => Err(format!(
                "the build has no chunk `{}` for {}: is its page still split off with split_page!?",
                page.group, page.route
            )),
            None => Ok(()),
        }
    }

    pub fn route_files(&self, page: &Page) -> &[String] {
        self.modules.get(page.group).map_or(&[], Vec::as_slice)
    }
}

/// What every page needs: the main module, its glue, the split loader.
fn shell_files() -> Vec<String> {
    vec![
        format!("{OUT_NAME}_bg.wasm"),
        format!("{OUT_NAME}.js"),
        LOADER.to_string(),
    ]
}

/// The loader declares each file as `makeLoad(() => { … fetch("./<file>") … }, [__chunk_1, …])`:
/// the list after a file's fetch names the chunks it needs.
fn dependencies(loader: &str, file: &str) -> Result<Vec<String>> {
    let unreadable = || {
        format!(
            "{LOADER}: cannot find what {file} depends on (has wasm-split-cli's output changed?)"
        )
    };
    let (_, after) = loader
        .split_once(&format!("\"./{file}\""))
        .ok_or_else(unreadable)?;
    let (_, list) = after.split_once(", [").ok_or_else(unreadable)?;
    let (list, _) = list.split_once(']').ok_or_else(unreadable)?;
    Ok(list
        .split(',')
        .filter_map(|d| d.trim().strip_prefix("__"))
        .map(|chunk| format!("{chunk}.wasm"))
        .collect())
}

/// Preloads the main module, and before the app starts, the chunks the address's page needs,
/// so a deep link fetches them in parallel instead of one after the other. What changes from
/// build to build (the folder, the chunk names) sits in meta tags: the script itself stays the
/// same, and so does its hash in the server's Content-Security-Policy, which a running server
/// keeps while trunk rebuilds under it.
fn boot_html(folder: &str, manifest: &Manifest) -> String {
    let routes: Vec<String> = PAGES
        .iter()
        .map(|p| {
            let files: Vec<String> = manifest
                .route_files(p)
                .iter()
                .map(|f| format!("&quot;{f}&quot;"))
                .collect();
            format!("[&quot;{}&quot;,[{}]]", p.route, files.join(","))
        })
        .collect();
    format!(
        concat!(
            "<meta name=\"kappa-pkg\" content=\"/{folder}/\">",
            "<meta name=\"kappa-routes\" content=\"[{routes}]\">",
            "<link rel=\"modulepreload\" href=\"/{folder}/{name}.js\">",
            "<link rel=\"modulepreload\" href=\"/{folder}/{loader}\">",
            "<link rel=\"preload\" href=\"/{folder}/{name}_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>",
            "<script type=\"module\">{boot}</script>"
        ),
        folder = folder,
        name = OUT_NAME,
        loader = LOADER,
        routes = routes.join(","),
        boot = BOOT
    )
}

const BOOT: &str = concat!(
    "const meta=n=>document.querySelector(`meta[name=${n}]`).content,pkg=meta(\"kappa-pkg\"),here=location.pathname.split(\"/\");",
    "for(const[route,files]of JSON.parse(meta(\"kappa-routes\"))){const parts=route.split(\"/\");",
    "if(parts.length===here.length&&parts.every((p,i)=>p.startsWith(\":\")?here[i]!==\"\":p===here[i]))",
    "for(const f of files){const l=document.createElement(\"link\");l.rel=\"preload\";l.as=\"fetch\";l.type=\"application/wasm\";l.crossOrigin=\"\";l.href=pkg+f;document.head.append(l)}}",
    "import(pkg+\"kappa.js\").then(m=>m.default());"
);

/// `wasm-opt -Oz` on every module (the main one first, as it takes longest), one per core.
/// Its output is shown only when it fails: the split modules' name sections make it warn.
fn optimise(mut modules: Vec<PathBuf>) -> Result {
    eprintln!("xtask: optimising {} modules (wasm-opt -Oz)", modules.len());
    modules.sort_by_key(|m| std::cmp::Reverse(std::fs::metadata(m).map_or(0, |m| m.len())));
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let queue = std::sync::Mutex::new(modules.into_iter());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| -> Result {
                    while let Some(wasm) = queue.lock().map_err(|e| e.to_string())?.next() {
                        // Producers and target features would repeat in each of the many chunk
                        // files, where brotli cannot share them: about 20 KB over the app.
                        let out = cmd("wasm-opt")
                            .args(["-Oz", "--strip-producers", "--strip-target-features"])
                            .arg(&wasm)
                            .arg("-o")
                            .arg(&wasm)
                            .output()
                            .map_err(|e| format!("wasm-opt: {e}"))?;
                        if !out.status.success() {
                            return Err(format!(
                                "wasm-opt on {} failed: {}",
                                name(&wasm),
                                String::from_utf8_lossy(&out.stderr)
                            ));
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .map_err(|_| "a wasm-opt worker panicked".to_string())?
        })
    })
}

/// The JS glue and the split loader, minified in place (esbuild, from npm): every page loads
/// both before anything shows. Their exports keep their names, so they still import each other.
fn minify(scripts: &[PathBuf]) -> Result {
    for script in scripts {
        run_step(
            &format!("minifying {}", name(script)),
            cmd("esbuild")
                .arg(script)
                .args([
                    "--minify",
                    "--format=esm",
                    "--log-level=error",
                    "--allow-overwrite",
                ])
                .arg(format!("--outfile={}", script.display())),
        )?;
    }
    Ok(())
}

fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn content_hash(dir: &Path) -> Result<u64> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in list(dir)? {
        name(&file).hash(&mut hasher);
        std::fs::read(&file)
            .map_err(|e| e.to_string())?
            .hash(&mut hasher);
    }
    Ok(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(chunk: &str) -> Manifest {
        let modules = PAGES
            .iter()
            .map(|p| {
                (
                    p.group.to_string(),
                    vec![format!("split_{}.wasm", p.group), chunk.to_string()],
                )
            })
            .collect();
        Manifest {
            modules,
            shell: Vec::new(),
        }
    }

    /// A running server allows the start script by its hash, taken once at start: a rebuild
    /// must not change the script.
    #[test]
    fn the_start_script_is_the_same_for_every_build() {
        let script = |html: &str| {
            html.split("<script type=\"module\">")
                .nth(1)
                .and_then(|s| s.split("</script>").next())
                .map(str::to_string)
        };
        let (a, b) = (
            boot_html("pkg-00000000000000aa", &manifest("chunk_1.wasm")),
            boot_html("pkg-00000000000000bb", &manifest("chunk_2.wasm")),
        );
        assert_ne!(a, b);
        assert_eq!(script(&a), script(&b));
        assert!(a.contains(r#"<meta name="kappa-routes" content="[[&quot;/queue&quot;,[&quot;split_work.wasm&quot;,&quot;chunk_1.wasm&quot;]],"#), "{a}");
    }

    #[test]
    fn a_built_index_gives_back_the_files_of_each_group() {
        let dist = std::env::temp_dir().join(format!("kappa-xtask-{}", std::process::id()));
        std::fs::create_dir_all(&dist).unwrap();
        let written = manifest("chunk_1.wasm");
        std::fs::write(
            dist.join("index.html"),
            format!(
                "<head>{}</head>",
                boot_html("pkg-00000000000000aa", &written)
            ),
        )
        .unwrap();
        let read = Manifest::built(&dist).unwrap();
        let _ = std::fs::remove_dir_all(&dist);
        assert_eq!(read.modules, written.modules);
        assert_eq!(read.shell, shell_files());
    }

    #[test]
    fn dependencies_are_read_from_the_split_loader() {
        let loader = r#"const __chunk_3 = makeLoad(() => { const src = fetch(new URL("./chunk_3.wasm", import.meta.url)); src.catch(() => {}); }, []);
export const __wasm_split_load_users = wrapAsyncCb(makeLoad(() => { const src = fetch(new URL("./split_users.wasm", import.meta.url)); src.catch(() => {}); }
, [__chunk_3, __chunk_7]));"#;
        assert_eq!(
            dependencies(loader, "split_users.wasm").unwrap(),
            vec!["chunk_3.wasm", "chunk_7.wasm"]
        );
        assert_eq!(
            dependencies(loader, "chunk_3.wasm").unwrap(),
            Vec::<String>::new()
        );
        assert!(dependencies(loader, "split_calls.wasm")
            .unwrap_err()
            .contains("split_calls.wasm"));
    }
}

//! Cuts the app's wasm at its split points (Leptos's lazy routes and `#[lazy]`
//! functions) with `wasm_split_cli_support`, merges the files each split module
//! needs into one module (`merge.rs`), and writes `split.json`: for every split
//! module, its files in load order (its merged module, after the modules of
//! initialised statics it shares with others). The splitter computes which files
//! a module needs itself; writing it down here means no later build step has to
//! recover it from the JavaScript the splitter generates.
//!
//! It also writes `within`: each panel module (a route's `staff` or `members` in
//! `core::routes`) and the page module it is drawn inside. A panel's merged
//! module leaves out what its page's has (the loader loads the page first), and
//! calls that code through the table.
//!
//!   moim-split <input.wasm> <output dir>

mod merge;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
    process::ExitCode,
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out] = args.as_slice() else {
        eprintln!("usage: moim-split <input.wasm> <output dir>");
        return ExitCode::from(2);
    };
    match run(Path::new(input), Path::new(out)) {
        Ok(n) => {
            println!("moim-split: {n} split modules");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("moim-split: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &Path, out: &Path) -> Result<usize, String> {
    let wasm = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let main_out = out.join("main.wasm");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = out;
    opts.main_out_path = &main_out;
    let split = wasm_split_cli_support::transform(opts).map_err(|e| format!("{e:#}"))?;
    // Sorted, so the manifest (and everything hashed from it) is the same for the
    // same input.
    let cut: BTreeMap<String, Vec<String>> = split.prefetch_map.into_iter().collect();
    let within = within();
    let by_page: BTreeMap<&str, &Vec<String>> = cut
        .iter()
        .map(|(name, stems)| (page_name(name), stems))
        .collect();
    // Files more than one module needs (their initialised statics are written
    // by a module of their own, once).
    let mut needed_by: BTreeMap<&str, usize> = BTreeMap::new();
    for stems in cut.values() {
        for s in stems {
            *needed_by.entry(s).or_default() += 1;
        }
    }
    let mut modules: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut written = BTreeSet::new();
    for (name, stems) in &cut {
        // A panel leaves out what its page brings.
        let had: BTreeSet<&String> = match within.get(page_name(name)) {
            Some(page) => by_page
                .get(page)
                .ok_or_else(|| format!("{name} is drawn inside {page}, which was not cut"))?
                .iter()
                .collect(),
            None => BTreeSet::new(),
        };
        let parts = stems
            .iter()
            .filter(|s| !had.contains(s))
            .map(|s| {
                let file = out.join(format!("{s}.wasm"));
                std::fs::read(&file)
                    .map(|wasm| (s.clone(), wasm))
                    .map_err(|e| format!("{}: {e}", file.display()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut files = Vec::new();
        if !parts.is_empty() {
            let merged = merge::merge(&parts, |s| needed_by.get(s).is_some_and(|n| *n > 1))
                .map_err(|e| format!("{name}: {e}"))?;
            for (stem, wasm) in merged.once {
                let file = format!("d_{stem}.wasm");
                if written.insert(file.clone()) {
                    write(&out.join(&file), &wasm)?;
                }
                files.push(file);
            }
            let file = format!("m_{name}.wasm");
            write(&out.join(&file), &merged.wasm)?;
            files.push(file);
        }
        modules.insert(name, files);
    }
    // The splitter's own files are all in merged modules now.
    for stems in cut.values() {
        for s in stems {
            let file = out.join(format!("{s}.wasm"));
            if file.exists() {
                std::fs::remove_file(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            }
        }
    }
    let n = modules.len();
    let json =
        serde_json::to_string_pretty(&serde_json::json!({ "modules": modules, "within": within }))
            .map_err(|e| e.to_string())?;
    std::fs::write(out.join("split.json"), json).map_err(|e| e.to_string())?;
    Ok(n)
}

fn write(file: &Path, data: &[u8]) -> Result<(), String> {
    std::fs::write(file, data).map_err(|e| format!("{}: {e}", file.display()))
}

/// The page name of a split module: Leptos names a `#[lazy]` function's module
/// after the function and a hash of its call site (`ideas_route_2525…`).
fn page_name(module: &str) -> &str {
    let name = module.trim_start_matches("__");
    let name = match name.rsplit_once('_') {
        Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => name,
    };
    name.strip_suffix("_view").unwrap_or(name)
}

/// Panel module → the one page module it is drawn inside. A panel of two
/// different pages, or one that is some route's page too, is left out (its pack
/// stays whole, and the loader never waits on a page for it).
fn within() -> BTreeMap<&'static str, &'static str> {
    let routes = moim_core::routes::ROUTES;
    let mut pages: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in routes {
        for panel in r.staff.iter().chain(r.members) {
            if routes.iter().any(|p| p.page == *panel) {
                continue;
            }
            let of = pages.entry(panel).or_default();
            if !of.contains(&r.page) {
                of.push(r.page);
            }
        }
    }
    pages
        .into_iter()
        .filter_map(|(panel, of)| match of.as_slice() {
            [page] => Some((panel, *page)),
            _ => None,
        })
        .collect()
}

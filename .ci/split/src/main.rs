//! Cuts the app's wasm at its split points (Leptos's lazy routes and `#[lazy]`
//! functions) with `wasm_split_cli_support`, and writes `split.json`: for every
//! split module, the files it needs in load order. The splitter computes that
//! list itself; writing it down here means no later build step has to recover it
//! from the JavaScript the splitter generates.
//!
//! It also writes `within`: each panel module (a route's `staff` or `members` in
//! `core::routes`) and the page module it is drawn inside, so the panel's pack
//! can leave out what the page's pack already brought.
//!
//!   moim-split <input.wasm> <output dir>

use std::{collections::BTreeMap, path::Path, process::ExitCode};

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
    let modules: BTreeMap<String, Vec<String>> = split
        .prefetch_map
        .into_iter()
        .map(|(name, stems)| (name, stems.into_iter().map(|s| s + ".wasm").collect()))
        .collect();
    let n = modules.len();
    let json = serde_json::to_string_pretty(
        &serde_json::json!({ "modules": modules, "within": within() }),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(out.join("split.json"), json).map_err(|e| e.to_string())?;
    Ok(n)
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

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
        // A panel leaves out what the modules it is drawn inside bring.
        let mut had: BTreeSet<&String> = BTreeSet::new();
        for parent in chain(&within, page_name(name)).into_iter().skip(1) {
            let stems = by_page
                .get(parent)
                .ok_or_else(|| format!("{name} is drawn inside {parent}, which was not cut"))?;
            had.extend(stems.iter());
        }
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
    // A page with a signed-in person's panel, as one module, for a first visit
    // that needs both: one module compresses and links better than two (the
    // server names it instead of the two when it names both).
    let mut combined: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for (page, member) in page_members() {
        let (Some(page_stems), Some(member_stems)) = (by_page.get(page), by_page.get(member))
        else {
            return Err(format!("{page} with {member}: not both cut"));
        };
        let mut stems: Vec<&String> = page_stems.iter().collect();
        stems.extend(member_stems.iter().filter(|s| !page_stems.contains(s)));
        let parts = stems
            .iter()
            .map(|s| {
                let file = out.join(format!("{s}.wasm"));
                std::fs::read(&file)
                    .map(|wasm| (s.to_string(), wasm))
                    .map_err(|e| format!("{}: {e}", file.display()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let name = format!("{page}+{member}");
        let merged = merge::merge(&parts, |s| needed_by.get(s).is_some_and(|n| *n > 1))
            .map_err(|e| format!("{name}: {e}"))?;
        let mut files = Vec::new();
        for (stem, wasm) in merged.once {
            let file = format!("d_{stem}.wasm");
            if written.insert(file.clone()) {
                write(&out.join(&file), &wasm)?;
            }
            files.push(file);
        }
        let file = format!("m_{page}_with_{member}.wasm");
        write(&out.join(&file), &merged.wasm)?;
        files.push(file);
        // The split modules it stands for, by the names the wasm loads them by.
        let modules: Vec<&str> = [page, member]
            .iter()
            .filter_map(|p| cut.keys().find(|k| page_name(k) == *p).map(String::as_str))
            .collect();
        combined.insert(
            name,
            serde_json::json!({ "files": files, "modules": modules }),
        );
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
    let json = serde_json::to_string_pretty(
        &serde_json::json!({ "modules": modules, "within": within, "combined": combined }),
    )
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

/// Panel module → the one module it is drawn inside: a signed-in person's panel
/// (a route's `members`) inside its page, one drawn when opened (`later`) inside
/// the module it names; a CM's or admin's (`staff`) inside the
/// route's one members' panel if it has one (staff are signed in, so they have
/// it), else inside the page. A panel of two different pages, or one that is
/// some route's page too, is left out (its pack stays whole, and the loader
/// never waits on another module for it).
fn within() -> BTreeMap<&'static str, &'static str> {
    let routes = moim_core::routes::ROUTES;
    let mut parents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in routes {
        let members_panel = match r.members {
            [one] => Some(*one),
            _ => None,
        };
        let placed = r
            .members
            .iter()
            .map(|m| (*m, r.page))
            .chain(r.later.iter().copied())
            .chain(
                r.staff
                    .iter()
                    .map(|s| (*s, members_panel.unwrap_or(r.page))),
            );
        for (panel, parent) in placed {
            if routes.iter().any(|p| p.page == panel) {
                continue;
            }
            let of = parents.entry(panel).or_default();
            if !of.contains(&parent) {
                of.push(parent);
            }
        }
    }
    parents
        .into_iter()
        .filter_map(|(panel, of)| match of.as_slice() {
            [parent] => Some((panel, *parent)),
            _ => None,
        })
        .collect()
}

/// Each route's page with each of its signed-in person's panels (`members`).
fn page_members() -> BTreeSet<(&'static str, &'static str)> {
    moim_core::routes::ROUTES
        .iter()
        .flat_map(|r| r.members.iter().map(|m| (r.page, *m)))
        .collect()
}

/// `module` and every module it is drawn inside, nearest first.
fn chain<'a>(within: &BTreeMap<&'a str, &'a str>, module: &'a str) -> Vec<&'a str> {
    let mut out = vec![module];
    while let Some(parent) = out.last().and_then(|m| within.get(m)) {
        if out.contains(parent) {
            break;
        }
        out.push(parent);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_are_drawn_inside_their_page_or_its_members_panel() {
        let within = within();
        assert_eq!(within.get("problem_panels"), Some(&"problem_route"));
        assert_eq!(within.get("problem_records"), Some(&"problem_firm"));
        assert_eq!(within.get("consortium_manage"), Some(&"consortium_route"));
        // A CM's panel of an idea sits inside the signed-in person's tools.
        assert_eq!(
            chain(&within, "idea_moderation"),
            ["idea_moderation", "idea_tools", "idea_route"]
        );
        assert!(!within.contains_key("idea_route"));
        // Each page with each of its signed-in person's panels, as one module.
        let pairs = page_members();
        assert!(pairs.contains(&("problem_route", "problem_firm")));
        assert!(pairs.contains(&("idea_route", "idea_tools")));
    }

    #[test]
    fn page_names_drop_the_call_site_hash() {
        assert_eq!(page_name("ideas_route_10620452462617377554"), "ideas_route");
        assert_eq!(page_name("__idea_route_view_7"), "idea_route");
        assert_eq!(page_name("deliver"), "deliver");
    }
}

//! The module graph points one way: every module of `src/` uses only
//! modules of lower layers (docs/ARCHITECTURE.md, "Layers"). Read from the
//! source: every `crate::…` path, and every `super::` that climbs to the
//! crate root.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every top-level module with its layer, lowest first. A module may use
/// only modules of a lower layer; the crate root (`lib.rs`, `main.rs`)
/// puts them all together.
const LAYERS: &[(&str, u8)] = &[
    ("util", 0),
    ("ids", 1),
    ("build_info", 1),
    ("error", 2),
    ("config", 3),
    ("db", 4),
    ("live", 5),
    ("auth", 6),
    ("web", 7),
    ("visits", 8),
    ("notifications", 9),
    ("images", 9),
    ("stories", 10),
    ("accounts", 11),
    ("activity", 11),
    ("feeds", 11),
    ("streams", 12),
    ("admin", 13),
    ("ops", 14),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Resources that stand alone: they use no other resource.
const ALONE: &[&str] = &["accounts", "activity"];
const RESOURCES: &[&str] = &[
    "visits",
    "notifications",
    "images",
    "stories",
    "accounts",
    "activity",
];

/// Whether `user` may use `used`: a lower layer, and no other resource for
/// those that stand alone.
fn may_use(user: &str, used: &str) -> Option<bool> {
    let (own, theirs) = (layer(user)?, layer(used)?);
    Some(theirs < own && !(ALONE.contains(&user) && RESOURCES.contains(&used)))
}

/// Ways of reaching another module that the path reading below cannot
/// follow, so none is used in `src/`.
const UNFOLLOWED: &[&str] = &[
    "crate::*",
    "extern crate self",
    "crate as ",
    "#[path",
    "include!(",
];

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("src/ can be read");
    for entry in entries.map(|e| e.expect("a directory entry").path()) {
        if entry.is_dir() {
            source_files(&entry, found);
        } else if entry.extension().is_some_and(|e| e == "rs") {
            found.push(entry);
        }
    }
}

/// The module path of a file below `src/`: `live/memory/hub.rs` is
/// `["live", "memory", "hub"]`; a `mod.rs` is its directory.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first name of each item of a `{…}` group (whose `{` is already
/// taken): `db::Db, web::{Layout, Back}}` is `db` and `web`.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && !c.is_whitespace() => {
                heads.push(identifier(&group[at..]).to_string());
                item_start = false;
            }
            _ => {}
        }
    }
    heads
}

/// The top-level modules a file `depth` modules deep uses, from its code
/// (comment lines left out). A test module at the end of a file (after
/// `#[cfg(test)]`) sits one module deeper.
fn used_modules(code: &str, depth: usize) -> BTreeSet<String> {
    let code: String = code
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    match code.split_once("#[cfg(test)]") {
        Some((main, tests)) => {
            let mut used = paths_used(main, depth);
            used.extend(paths_used(tests, depth + 1));
            used
        }
        None => paths_used(&code, depth),
    }
}

fn paths_used(code: &str, depth: usize) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => used.extend(group_heads(group)),
            None => {
                used.insert(identifier(rest).to_string());
            }
        }
    }
    // `super::` repeated as deep as the file sits reaches the crate root.
    if depth > 0 {
        let climb = "super::".repeat(depth);
        for (at, _) in code.match_indices(&climb) {
            let rest = &code[at + climb.len()..];
            if !rest.starts_with("super::") {
                used.insert(identifier(rest).to_string());
            }
        }
    }
    used.retain(|m| !m.is_empty());
    used
}

#[test]
fn no_module_uses_one_of_its_own_layer_or_above() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("below src/");
        let path = module_path(relative);
        let top = path[0].as_str();
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(own) = layer(top) else {
            wrong.push(format!("{}: module {top} has no layer", relative.display()));
            continue;
        };
        let code = std::fs::read_to_string(file).expect("a source file");
        for form in UNFOLLOWED.iter().filter(|form| code.contains(*form)) {
            wrong.push(format!("{}: uses `{form}`", relative.display()));
        }
        for used in used_modules(&code, path.len()) {
            if used == top {
                continue;
            }
            match may_use(top, &used) {
                Some(true) => {}
                Some(false) => wrong.push(format!(
                    "{} (layer {own}) uses {used}, which is not below it or is another resource",
                    relative.display()
                )),
                None => wrong.push(format!(
                    "{}: uses {used}, which has no layer",
                    relative.display()
                )),
            }
        }
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_live_engine_knows_no_database() {
    let live = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/live");
    let mut files = Vec::new();
    source_files(&live, &mut files);
    assert!(!files.is_empty());
    for file in files {
        let code = std::fs::read_to_string(&file).expect("a source file");
        assert!(!code.contains("sqlx"), "{} uses sqlx", file.display());
        assert!(
            !code.contains("rocket::Route"),
            "{} has routes",
            file.display()
        );
    }
}

#[test]
fn the_check_sees_grouped_and_climbing_paths() {
    let code = "use crate::{db::Db, web::{Layout, Back}};\nuse super::super::stories::x;\n\
                // use crate::admin::Admin;\nlet a = crate::ops::BUILD;";
    let used = used_modules(code, 2);
    let expected: BTreeSet<String> = ["db", "web", "stories", "ops"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(used, expected);
    // `super::x` in a file's test module names the file's own module.
    let with_tests =
        "use super::y;\n#[cfg(test)]\nmod tests {\n use super::z;\n use super::super::w; }";
    let expected: BTreeSet<String> = ["y", "w"].iter().map(|s| s.to_string()).collect();
    assert_eq!(used_modules(with_tests, 1), expected);
    assert_eq!(may_use("activity", "stories"), Some(false));
    assert_eq!(may_use("streams", "stories"), Some(true));
}

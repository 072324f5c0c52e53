//! The architecture's invariants that can be checked mechanically, read
//! from the source: no `sqlx` outside `store/`, no `axum` outside `web/`,
//! no SQL text outside `store/`, and no module importing from a layer
//! above its own (ARCHITECTURE.md, "Layers").

use std::path::{Path, PathBuf};

/// The layers, lowest first; a module may use its own layer and those below.
const LAYERS: &[&[&str]] = &[
    &["domain", "clock", "paths", "pdf"],
    &["store", "files", "secret_key", "config"],
    &["mail"],
    &["service"],
    &["web", "app", "jobs"],
    &["demo", "generate", "main", "lib"],
];

/// Imports forbidden although the layers would allow them.
const FORBIDDEN: &[(&str, &str)] = &[("jobs", "web"), ("jobs", "app")];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module {module} is in no layer of tests/app/layers.rs"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file with its top module (`src/web/x.rs` → `web`) and its
/// code without comments and without `#[cfg(test)]` modules at its end.
fn files() -> Vec<(String, PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).unwrap();
            let top = relative
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let code = code
                .lines()
                .map(|line| match line.trim_start().starts_with("//") {
                    true => "",
                    false => line,
                })
                .collect::<Vec<_>>()
                .join("\n");
            (top, relative.to_owned(), code)
        })
        .collect()
}

fn words(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
}

#[test]
fn sqlx_is_used_only_in_the_store() {
    let outside: Vec<_> = files()
        .into_iter()
        .filter(|(top, _, code)| top != "store" && words(code).any(|w| w == "sqlx"))
        .map(|(_, path, _)| path)
        .collect();
    assert!(outside.is_empty(), "sqlx outside store/: {outside:?}");
}

#[test]
fn axum_is_used_only_in_the_web_layer() {
    let outside: Vec<_> = files()
        .into_iter()
        .filter(|(top, _, code)| top != "web" && words(code).any(|w| w == "axum"))
        .map(|(_, path, _)| path)
        .collect();
    assert!(outside.is_empty(), "axum outside web/: {outside:?}");
}

#[test]
fn sql_text_is_only_in_the_store() {
    const SQL: &[&str] = &[
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        "UPDATE ",
        "CREATE TABLE",
        "ALTER TABLE",
        "DROP TABLE",
        " WHERE ",
        "ON CONFLICT",
    ];
    let mut found = Vec::new();
    for (top, path, code) in files() {
        if top == "store" {
            continue;
        }
        // Fragments of SQL kept as named constants.
        if let Some(name) = words(&code).find(|w| w.ends_with("_SQL")) {
            found.push(format!("{}: {name}", path.display()));
        }
        // Only string literals: SQL is text the program sends.
        for literal in code.split('"').skip(1).step_by(2) {
            if let Some(sql) = SQL.iter().find(|s| literal.contains(*s)) {
                found.push(format!("{}: {sql:?} in {literal:?}", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL text outside store/:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let mut found = Vec::new();
    for (top, path, code) in files() {
        let own = layer(&top);
        for used in used_modules(&code) {
            if used == top {
                continue;
            }
            if layer(&used) > own || FORBIDDEN.contains(&(top.as_str(), used.as_str())) {
                found.push(format!("{}: {top} uses {used}", path.display()));
            }
        }
    }
    found.dedup();
    assert!(
        found.is_empty(),
        "imports from above:\n{}",
        found.join("\n")
    );
}

/// The top modules a file names after `crate::`, also inside
/// `crate::{a::X, b}`.
fn used_modules(code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut used = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + 7..];
        let Some(group) = rest.strip_prefix('{') else {
            used.push(ident(rest));
            continue;
        };
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    used.push(ident(&group[start..i]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    used.push(ident(&group[start..i]));
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    used.retain(|u| !u.is_empty());
    used
}

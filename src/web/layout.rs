//! What every page shares: the site's name, the navigation, the funder's
//! attribution in the footer, and Markdown rendering of editable texts.

use pulldown_cmark::{html, Event, Options, Parser};
use std::sync::Arc;

use super::paths;
use crate::store::programme::Project;

/// Site-wide facts: the project the public site shows, read from the
/// database once per data version (`AppState::refresh`), not per page.
#[derive(Clone, Debug, Default)]
pub struct SiteInfo {
    pub project: Option<Project>,
}

impl SiteInfo {
    pub fn project_name(&self) -> &str {
        self.project
            .as_ref()
            .map_or("Koalicja", |p| p.name.as_str())
    }

    pub fn lead_name(&self) -> &str {
        self.project.as_ref().map_or("", |p| p.lead_name.as_str())
    }

    pub fn funder_sentence(&self) -> &str {
        self.project
            .as_ref()
            .map_or("", |p| p.funder_sentence.as_str())
    }
}

/// The navigation, in order: path and Polish label.
pub const NAV: &[(&str, &str)] = &[
    (paths::HOME, "O projekcie"),
    (paths::TRAININGS, "Szkolenia"),
    (paths::EVENTS, "Wydarzenia"),
    (paths::LOCAL_WORK, "Działania lokalne"),
    (paths::ADVISORY, "Doradztwo i interwencje"),
    (paths::RESEARCH, "Badania"),
    (paths::GUIDES, "Poradniki"),
    (paths::NETWORK, "Sieć urzędników"),
    (paths::JST_INDEX, "Samorządy"),
];

/// The part of every page struct that the base layout reads.
pub struct Layout {
    pub title: String,
    pub site: Arc<SiteInfo>,
    /// The navigation entry to mark as current.
    pub section: &'static str,
}

impl Layout {
    pub fn new(site: Arc<SiteInfo>, section: &'static str, title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            site,
            section,
        }
    }

    pub fn nav(&self) -> &'static [(&'static str, &'static str)] {
        NAV
    }

    pub fn is_current(&self, path: &str) -> bool {
        self.section == path
    }
}

/// Renders staff-written Markdown. Raw HTML in the source is shown as
/// text, never passed through.
pub fn markdown(source: &str) -> String {
    let parser = Parser::new_ext(source, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 5 / 4);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_raw_html() {
        let out = markdown("Tekst <script>alert(1)</script> **ważny**");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(out.contains("<strong>ważny</strong>"), "{out}");
    }
}

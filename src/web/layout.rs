//! What every page shares: the site's name, the navigation, the funder's
//! attribution in the footer, and Markdown rendering of editable texts.

use pulldown_cmark::{html, Event, Options, Parser};
use std::sync::Arc;

use super::paths;

/// Site-wide facts, read from the database once per data version.
#[derive(Clone, Debug)]
pub struct SiteInfo {
    pub project_name: String,
    pub lead_name: String,
    pub funder_sentence: String,
}

impl Default for SiteInfo {
    fn default() -> Self {
        SiteInfo {
            project_name: "Koalicja".into(),
            lead_name: String::new(),
            funder_sentence: String::new(),
        }
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

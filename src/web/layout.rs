//! What every page shares: the site's name, the navigation, the funder's
//! attribution in the footer, and Markdown rendering of editable texts.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};
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
    (paths::MONITORING, "Monitoring"),
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

/// Whether a link target is harmless: relative, an anchor, or http(s)
/// and mailto. Anything else (`javascript:`, `data:`, …) is dropped.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after a slash, `?` or `#` is part of a relative path.
            lower[..colon].contains(['/', '?', '#'])
                || ["http", "https", "mailto"].contains(&&lower[..colon])
        }
    }
}

fn clean(url: CowStr<'_>) -> CowStr<'_> {
    if safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// Renders staff-written Markdown, sanitised: raw HTML in the source is
/// shown as text, never passed through, and links or images with an
/// unsafe scheme point nowhere.
pub fn markdown(source: &str) -> String {
    let parser = Parser::new_ext(source, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: clean(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: clean(dest_url),
            title,
            id,
        }),
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

    #[test]
    fn markdown_drops_script_links_and_keeps_web_ones() {
        let out = markdown("[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](https://example.org) [d](/jst/14) ![e](data:image/png;base64,xx)");
        assert!(!out.to_lowercase().contains("javascript"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(out.contains("href=\"https://example.org\""), "{out}");
        assert!(out.contains("href=\"/jst/14\""), "{out}");
    }
}

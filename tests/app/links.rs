//! Every link of the public site leads somewhere: a crawl of the demo from
//! `/` over same-site links (`href` and `src`) finds no page that is not
//! found and none that fails.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use reqwest::StatusCode;

use crate::helpers::spawn_app;

/// Pages the crawl reads at most, and addresses per path (paged lists
/// and filters would otherwise multiply without end).
const MAX_PAGES: usize = 4000;
const MAX_PER_PATH: usize = 12;

/// The values of `href` and `src` attributes of a page, unescaped.
pub(crate) fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            let preceded = rest[..at].chars().next_back();
            rest = &rest[at + attribute.len()..];
            let Some(end) = rest.find('"') else { break };
            if preceded.is_some_and(|c| c.is_whitespace()) {
                found.push(
                    rest[..end]
                        .replace("&amp;", "&")
                        .replace("&#x2F;", "/")
                        .replace("&#47;", "/")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'"),
                );
            }
            rest = &rest[end..];
        }
    }
    found
}

/// A link as a same-site address (`/path?query`), or `None` for other
/// sites, fragments of the page itself and other schemes.
fn local(link: &str, page: &str, site: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    if let Some(rest) = link.strip_prefix(site) {
        return Some(if rest.is_empty() {
            "/".into()
        } else {
            rest.into()
        });
    }
    if link.starts_with("//")
        || link.contains("://")
        || link.contains(':') && !link.starts_with('/')
    {
        return None;
    }
    if link.starts_with('/') {
        return Some(link.to_owned());
    }
    let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    Some(format!("{dir}{link}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_link_of_every_public_page_leads_to_a_page() {
    let app = spawn_app().await;
    let mut queue = VecDeque::from([("/".to_owned(), "(start)".to_owned())]);
    let mut seen = BTreeSet::from(["/".to_owned()]);
    let mut per_path: BTreeMap<String, usize> = BTreeMap::new();
    let mut broken = Vec::new();
    let mut read = 0;
    while let Some((address, from)) = queue.pop_front() {
        if read == MAX_PAGES {
            break;
        }
        read += 1;
        let reply = app.get(&address).await;
        let status = reply.status;
        if status == StatusCode::NOT_FOUND || status.is_server_error() {
            broken.push(format!("{address} ({status}), linked from {from}"));
            continue;
        }
        let mut next = Vec::new();
        if status.is_redirection() {
            if let Some(to) = reply.headers.get("location").and_then(|l| l.to_str().ok()) {
                next.push(to.to_owned());
            }
        }
        let html = reply
            .headers
            .get("content-type")
            .and_then(|t| t.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if html {
            next.extend(links(&reply.body));
        }
        for link in next {
            let Some(to) = local(&link, &address, &app.address) else {
                continue;
            };
            let path = to.split('?').next().unwrap_or("").to_owned();
            let count = per_path.entry(path).or_insert(0);
            if *count < MAX_PER_PATH && seen.insert(to.clone()) {
                *count += 1;
                queue.push_back((to, address.clone()));
            }
        }
    }
    assert!(read > 300, "the crawl read only {read} pages");
    assert!(
        broken.is_empty(),
        "{} of {read} addresses linked from public pages are broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn links_are_read_from_href_and_src() {
    let html = r#"<a href="/a?x=1&amp;y=2#f">a</a><img src="/logo.png" alt=""><a data-href="/no">"#;
    assert_eq!(links(html), ["/a?x=1&y=2#f", "/logo.png"]);
    assert_eq!(local("/a#f", "/", "http://h"), Some("/a".into()));
    assert_eq!(local("mailto:x@example.org", "/", "http://h"), None);
    assert_eq!(local("https://example.org/", "/", "http://h"), None);
    assert_eq!(local("http://h/b", "/", "http://h"), Some("/b".into()));
    assert_eq!(local("c.ics", "/x/y", "http://h"), Some("/x/c.ics".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_of_local_work_offers_its_calendar_beside_its_page() {
    let app = spawn_app().await;
    let (slug, title): (String, String) = sqlx::query_as(
        "SELECT slug, title FROM activity WHERE local_work_id IS NOT NULL ORDER BY starts_on DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let page = format!("/dzialania-lokalne/wydarzenie/{slug}");
    let html = app.get(&page).await.body;
    let calendar = format!("{page}/kalendarz.ics");
    assert!(html.contains(&format!("href=\"{calendar}\"")), "{html}");
    let file = app.get(&calendar).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    assert!(file.body.contains("BEGIN:VEVENT"));
    let start: String = title.chars().take(20).collect();
    assert!(
        file.body.contains(&format!("SUMMARY:{start}")),
        "{}",
        file.body
    );
    // Only there: no other section serves it.
    for elsewhere in ["/szkolenia", "/wydarzenia"] {
        let other = app.get(&format!("{elsewhere}/{slug}/kalendarz.ics")).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{elsewhere}");
    }
}

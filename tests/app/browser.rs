//! A browser for the back office: keeps cookies, reads the CSRF token off
//! forms, signs in. Built on the app's reqwest client (no redirects).

use std::collections::BTreeMap;
use std::sync::Mutex;

use reqwest::StatusCode;

use crate::helpers::{between, Reply, TestApp};

/// The password of every account tests create.
pub const PASSWORD: &str = "bardzo tajne hasło 2024";

pub struct Browser<'a> {
    pub app: &'a TestApp,
    cookies: Mutex<BTreeMap<String, String>>,
    /// Every `Set-Cookie` this browser received.
    pub set_cookies: Mutex<Vec<String>>,
    /// Headers sent with every request.
    headers: Mutex<Vec<(String, String)>>,
}

/// The CSRF token in the first form of a page.
pub fn csrf(html: &str) -> String {
    between(html, "name=\"csrf\" value=\"", "\"").expect("the page has a form with a CSRF token")
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            cookies: Mutex::new(BTreeMap::new()),
            set_cookies: Mutex::new(Vec::new()),
            headers: Mutex::new(Vec::new()),
        }
    }

    /// Sends `name: value` with every later request.
    pub fn always_send(&self, name: &str, value: &str) {
        self.headers
            .lock()
            .expect("lock")
            .push((name.into(), value.into()));
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().expect("lock").get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .expect("lock")
            .insert(name.into(), value.into());
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .expect("lock")
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&self, mut request: reqwest::RequestBuilder) -> Reply {
        for (k, v) in self.headers.lock().expect("lock").iter() {
            request = request.header(k.as_str(), v.as_str());
        }
        let response = request
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().expect("ascii cookie").to_owned();
            let pair = text.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                let mut jar = self.cookies.lock().expect("lock");
                if v.is_empty() || text.contains("Max-Age=0") {
                    jar.remove(k);
                } else {
                    jar.insert(k.to_owned(), v.to_owned());
                }
            }
            self.set_cookies.lock().expect("lock").push(text);
        }
        let bytes = response.bytes().await.expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.app.client.get(format!("{}{path}", self.app.address)))
            .await
    }

    pub async fn get_bytes(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let response = self
            .app
            .client
            .get(format!("{}{path}", self.app.address))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("sent");
        (
            response.status(),
            response.bytes().await.expect("body").to_vec(),
        )
    }

    /// A form POST exactly as given (no token added).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.send(
            self.app
                .client
                .post(format!("{}{path}", self.app.address))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await
    }

    /// Opens `page`, takes its CSRF token, and posts `fields` to `action`.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
        let form = self.get(page).await;
        assert_eq!(form.status, StatusCode::OK, "{page}: {}", form.body);
        let token = csrf(&form.body);
        for (name, _) in fields {
            assert!(
                form.body.contains(&format!("name=\"{name}\"")),
                "{page} has no field {name}"
            );
        }
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Uploads a file as a multipart form, the token in the address.
    pub async fn upload(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        file: (&str, Vec<u8>),
    ) -> Reply {
        self.upload_files(page, action, fields, vec![(file.0, "plik.csv", file.1)])
            .await
    }

    /// Opens `page` for its token and sends a multipart form to `action`:
    /// text `fields` and `files` as (field, file name, bytes).
    pub async fn upload_files(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, &str, Vec<u8>)>,
    ) -> Reply {
        let form = self.get(page).await;
        let token = csrf(&form.body);
        let mut multipart = reqwest::multipart::Form::new();
        for (k, v) in fields {
            multipart = multipart.text(k.to_string(), v.to_string());
        }
        for (field, name, bytes) in files {
            multipart = multipart.part(
                field.to_owned(),
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        }
        self.send(
            self.app
                .client
                .post(format!("{}{action}?csrf={token}", self.app.address))
                .multipart(multipart),
        )
        .await
    }

    /// Signs in with `PASSWORD`; returns the reply to the sign-in POST.
    pub async fn sign_in(&self, email: &str) -> Reply {
        self.sign_in_with(email, PASSWORD).await
    }

    pub async fn sign_in_with(&self, email: &str, password: &str) -> Reply {
        self.submit(
            "/admin/logowanie",
            "/admin/logowanie",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

impl TestApp {
    /// Creates a staff account with `PASSWORD`.
    pub async fn account(&self, email: &str, role: &str, areas: &[&str]) -> i64 {
        let areas: Vec<String> = areas.iter().map(|a| (*a).to_owned()).collect();
        koalicja::service::accounts::create_account(
            &self.db,
            email,
            "Ewa Żółkiewska",
            role,
            PASSWORD,
            &areas,
            "2026-11-28T10:00:00Z".parse().unwrap(),
        )
        .await
        .expect("account created")
    }

    /// A browser signed in as a new account of `role`.
    pub async fn signed_in(&self, email: &str, role: &str, areas: &[&str]) -> Browser<'_> {
        self.account(email, role, areas).await;
        let b = Browser::new(self);
        let reply = b.sign_in(email).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        b
    }
}

//! Extractors whose rejections are `web::Error`, so a malformed address
//! gets the Polish error page (or JSON under `/api/`), never axum's own
//! English text.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::Error;

/// The query string, parsed into `T`.
pub struct Query<T>(pub T);

/// The path parameters, parsed into `T`.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|_| Error::BadRequest("Nieprawidłowe parametry w adresie strony.".into()))
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| Error::BadRequest("Nieprawidłowy adres strony.".into()))
    }
}

/// A form body (`application/x-www-form-urlencoded`), parsed into `T`.
/// A body with a control character in any field is refused whole
/// (`domain::records::has_control_character`), so nothing of it is kept.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = Error;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Error> {
        let unreadable = || {
            Error::BadRequest("Nie udało się odczytać formularza. Wróć i spróbuj ponownie.".into())
        };
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, super::session::FORM_LIMIT)
            .await
            .map_err(|_| Error::TooLarge)?;
        check_text(form_urlencoded::parse(&bytes).flat_map(|(k, v)| [k, v]))?;
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        axum::extract::Form::<T>::from_request(req, state)
            .await
            .map(|f| Form(f.0))
            .map_err(|_| unreadable())
    }
}

/// A multipart form (files with text fields), read by the handler; a body
/// that is not one is refused in Polish.
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Multipart {
    type Rejection = Error;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Error> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Multipart)
            .map_err(|_| {
                Error::BadRequest(
                    "Nie udało się odczytać formularza z plikami. Wróć i spróbuj ponownie.".into(),
                )
            })
    }
}

/// Refuses a form whose names or values hold a control character; the
/// multipart readers call it with their text fields.
pub fn check_text<I>(texts: I) -> Result<(), Error>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    if texts
        .into_iter()
        .any(|t| crate::domain::records::has_control_character(t.as_ref()))
    {
        return Err(Error::BadRequest(
            crate::domain::records::CONTROL_CHARACTERS.into(),
        ));
    }
    Ok(())
}

/// What an address with a control character in its path or query is told.
pub const ADDRESS_CONTROL_CHARACTERS: &str =
    "Adres strony zawiera niedozwolone znaki sterujące (na przykład znak o kodzie 0). \
     Sprawdź adres i spróbuj ponownie.";

/// Refuses (400) a request whose path or query string holds a control
/// character, percent-encoded or not, before any cache, handler or
/// database sees it: no page has such an address, and PostgreSQL refuses
/// a NUL in text.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    if address_has_control_character(request.uri()) {
        // The body is read (up to the largest taken) and dropped, so that
        // the client, still sending it, gets the answer rather than a
        // closed connection.
        let _ = axum::body::to_bytes(request.into_body(), super::session::UPLOAD_LIMIT).await;
        return Error::BadRequest(ADDRESS_CONTROL_CHARACTERS.into()).into_response();
    }
    next.run(request).await
}

/// Whether the path or a query parameter holds a control character: any,
/// tabs and line ends too (no address has one; a form's text may).
fn address_has_control_character(uri: &Uri) -> bool {
    let control = |text: &str| text.chars().any(char::is_control);
    control(&String::from_utf8_lossy(&percent_decoded(uri.path())))
        || uri.query().is_some_and(|q| {
            form_urlencoded::parse(q.as_bytes()).any(|(k, v)| control(&k) || control(&v))
        })
}

/// The bytes a path stands for: `%XX` decoded, everything else as it is.
fn percent_decoded(path: &str) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| (h * 16 + l) as u8),
            _ => None,
        };
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_in_paths_and_queries_however_encoded() {
        let bad = |u: &str| address_has_control_character(&u.parse::<Uri>().unwrap_or_default());
        assert!(bad("/szkolenia/a%00b"));
        assert!(bad("/zapisy/x%1B%5B31m"));
        assert!(bad("/szkolenia?q=a%00"));
        assert!(bad("/jst?%00=1"));
        assert!(bad("/szkolenia?temat=%C2%85"));
        assert!(bad("/zapisy/a%0Ab"));
        assert!(bad("/jst?q=a%09b"));
        assert!(!bad(
            "/szkolenia/zaz%C3%B3%C5%82%C4%87?q=P%C5%82o%C5%84sk+x&strona=2"
        ));
        assert!(!bad("/a%2"));
        assert!(!bad("/a%zz%"));
        assert_eq!(percent_decoded("/a%20b%2"), b"/a b%2");
    }
}

//! Extractors whose rejections are `web::Error`, so a malformed address
//! gets the Polish error page (or JSON under `/api/`), never axum's own
//! English text.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
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

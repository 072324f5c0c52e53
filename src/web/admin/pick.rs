//! Fields where staff type an organisation or a JST (a number, a code or a
//! name) and the server finds the record (`service::references`): works
//! without JavaScript; when several records match, the message lists them
//! with their numbers.

pub use crate::service::references::{jst, jst_shown, organisation, person};

/// The choices picked on a form (`{field}_wybor` radio buttons), read from
/// the body `session::layer` kept.
#[derive(Clone, Debug, Default)]
pub struct Choices(Vec<(String, String)>);

impl Choices {
    /// The value picked for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.strip_suffix("_wybor") == Some(field))
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Choices {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        let pairs = parts
            .extensions
            .get::<crate::web::session::FormBody>()
            .map(|b| {
                form_urlencoded::parse(&b.0)
                    .filter(|(k, _)| k.ends_with("_wybor"))
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Choices(pairs))
    }
}

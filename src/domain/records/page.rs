//! A page of the site: its form.

use serde::Deserialize;

use super::*;

/// A page of the site as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageForm {
    pub slug: String,
    pub title: String,
    pub body_md: String,
}

impl PageForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<PageForm> {
        let slug = required(errors, "slug", &self.slug, 100);
        if !slug.is_empty()
            && !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            errors.add(
                "slug",
                "Adres może zawierać tylko małe litery bez polskich znaków, cyfry i myślniki.",
            );
        }
        let page = PageForm {
            slug,
            title: required(errors, "title", &self.title, 300),
            body_md: optional(errors, "body_md", &self.body_md, 100_000),
        };
        errors.is_empty().then_some(page)
    }
}

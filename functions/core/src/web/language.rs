//! The language of the page a visitor used, from `Accept-Language` (the site's scripts
//! send the page's own language): mail to someone without an account is written in it.

use crate::domain::customer::Language;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use std::convert::Infallible;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLanguage(pub Language);

/// The first language range that we speak (`es`, `es-ES`, `en-GB`…); English when
/// none is.
pub fn from_accept_language(value: &str) -> Language {
    value
        .split(',')
        .map(|range| {
            range
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .find_map(|range| {
            let primary = range.split('-').next().unwrap_or("");
            Language::parse(primary)
        })
        .unwrap_or(Language::En)
}

impl<S: Send + Sync> FromRequestParts<S> for PageLanguage {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(PageLanguage(from_accept_language(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_language_we_speak_wins() {
        assert_eq!(from_accept_language("es"), Language::Es);
        assert_eq!(
            from_accept_language("es-ES,es;q=0.9,en;q=0.8"),
            Language::Es
        );
        assert_eq!(from_accept_language("fr-FR, es;q=0.5"), Language::Es);
        assert_eq!(from_accept_language("en-GB"), Language::En);
        assert_eq!(from_accept_language(""), Language::En);
        assert_eq!(from_accept_language("de"), Language::En);
    }
}

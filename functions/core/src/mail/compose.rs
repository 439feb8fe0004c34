//! Building a [`Mail`]: blocks of content rendered once into a plain-text and an HTML
//! part, and the footer every mail carries (why the reader gets it, where to change
//! what we send, who the shop is).

use super::Mail;
use crate::domain::customer::Language;
use crate::site_config;

/// Why the reader gets a mail: said in the footer of every mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Someone asked for it on the site with this address (codes, visitors' quotes).
    Requested,
    /// It is about the reader's account or a request they made; sent whatever their
    /// marketing choices.
    Account,
    /// The reader confirmed they want news by email.
    Marketing,
    /// A notification to the shop's own staff address.
    Staff,
}

impl Why {
    fn text(self, language: Language) -> &'static str {
        match (self, language) {
            (Why::Requested, Language::En) => {
                "You get this mail because someone (normally you) asked for it on our site with this address."
            }
            (Why::Requested, Language::Es) => {
                "Recibes este correo porque alguien (normalmente tú) lo pidió en nuestra web con esta dirección."
            }
            (Why::Account, Language::En) => {
                "You get this mail because it is about your account or a request you made; we send it whatever your marketing choices."
            }
            (Why::Account, Language::Es) => {
                "Recibes este correo porque trata de tu cuenta o de algo que pediste; lo enviamos sean cuales sean tus preferencias de marketing."
            }
            (Why::Marketing, Language::En) => {
                "You get this mail because you confirmed that you want news by email. One click on the unsubscribe link stops it."
            }
            (Why::Marketing, Language::Es) => {
                "Recibes este correo porque confirmaste que quieres novedades por correo. Un clic en el enlace de baja lo detiene."
            }
            (Why::Staff, Language::En) => {
                "You get this mail because this address is the shop's order address in site/config.toml."
            }
            (Why::Staff, Language::Es) => {
                "Recibes este correo porque esta dirección es la de pedidos de la tienda en site/config.toml."
            }
        }
    }
}

/// An absolute link to a page of the site in a language: `/quote/` becomes
/// `https://shop.example/es/quote/` in Spanish.
pub fn site_link(language: Language, path_and_query: &str) -> String {
    let base = &site_config::facts().site_url;
    match language {
        Language::En => format!("{base}{path_and_query}"),
        Language::Es => format!("{base}/es{path_and_query}"),
    }
}

pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[derive(Debug, Clone)]
enum Block {
    Para(String),
    Link {
        label: String,
        url: String,
    },
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A mail being written; [`Compose::build`] renders both parts and the footer.
#[derive(Debug, Clone)]
#[must_use]
pub struct Compose {
    template: String,
    language: Language,
    subject: String,
    blocks: Vec<Block>,
    why: Why,
    /// Footer languages: the mail's own, and both for mails sent before the reader's
    /// language is known (codes).
    footer_languages: Vec<Language>,
    preferences: Option<String>,
    unsubscribe: Option<String>,
}

impl Compose {
    pub fn new(template: &str, language: Language, subject: impl Into<String>) -> Self {
        Self {
            template: template.to_string(),
            language,
            subject: subject.into(),
            blocks: Vec::new(),
            why: Why::Account,
            footer_languages: vec![language],
            preferences: None,
            unsubscribe: None,
        }
    }

    /// A mail written in English and Spanish (the reader's language is not known).
    pub fn bilingual(mut self) -> Self {
        self.footer_languages = vec![Language::En, Language::Es];
        self
    }

    pub fn para(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Para(text.into()));
        self
    }

    pub fn link(mut self, label: impl Into<String>, url: impl Into<String>) -> Self {
        self.blocks.push(Block::Link {
            label: label.into(),
            url: url.into(),
        });
        self
    }

    pub fn table(mut self, head: &[&str], rows: Vec<Vec<String>>) -> Self {
        self.blocks.push(Block::Table {
            head: head.iter().map(|h| h.to_string()).collect(),
            rows,
        });
        self
    }

    pub fn why(mut self, why: Why) -> Self {
        self.why = why;
        self
    }

    /// The reader's no-login preference page (absolute URL with its token).
    pub fn preferences(mut self, url: Option<String>) -> Self {
        self.preferences = url;
        self
    }

    /// Marketing mail: the one-click unsubscribe URL (RFC 8058) goes into the headers
    /// and the footer.
    pub fn marketing(mut self, one_click_url: String) -> Self {
        self.why = Why::Marketing;
        self.unsubscribe = Some(one_click_url);
        self
    }

    pub fn build(self) -> Mail {
        let mut text = String::new();
        let mut html = String::from(
            "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif;line-height:1.5\">",
        );
        for block in &self.blocks {
            render(block, &mut text, &mut html);
        }
        self.footer(&mut text, &mut html);
        html.push_str("</body></html>");
        Mail {
            template: self.template,
            language: self.language,
            subject: self.subject,
            text,
            html,
            list_unsubscribe: self.unsubscribe,
        }
    }

    fn footer(&self, text: &mut String, html: &mut String) {
        let shop = &site_config::facts().shop;
        text.push_str("\n-- \n");
        html.push_str("<hr><footer style=\"font-size:smaller;color:#444\">");
        for &language in &self.footer_languages {
            let es = language == Language::Es;
            let why = self.why.text(language);
            text.push_str(why);
            text.push('\n');
            html.push_str(&format!("<p>{}</p>", escape_html(why)));
            if let Some(url) = &self.preferences {
                let label = if es {
                    "Cambia qué te enviamos, o date de baja de todo, sin iniciar sesión"
                } else {
                    "Change what we send you, or unsubscribe from everything, without signing in"
                };
                text.push_str(&format!("{label}: {url}\n"));
                html.push_str(&link_html(label, url));
            }
            if let Some(url) = &self.unsubscribe {
                let label = if es {
                    "Darte de baja de las novedades"
                } else {
                    "Unsubscribe from news"
                };
                text.push_str(&format!("{label}: {url}\n"));
                html.push_str(&link_html(label, url));
            }
            let (contact, data, privacy) = if es {
                ("Contacto", "Protección de datos", "Política de privacidad")
            } else {
                ("Contact", "Data protection", "Privacy policy")
            };
            let privacy_url = site_link(language, "/privacy/");
            let lines = [
                format!("{}, {}", shop.legal_name, shop.postal_address),
                format!(
                    "{contact}: {} · {data}: {}",
                    shop.contact_email, shop.data_protection_email
                ),
                format!("{privacy}: {privacy_url}"),
            ];
            for line in &lines {
                text.push_str(line);
                text.push('\n');
            }
            html.push_str(&format!(
                "<p>{}<br>{}<br>{}</p>",
                escape_html(&lines[0]),
                escape_html(&lines[1]),
                link_inline(privacy, &privacy_url)
            ));
        }
        html.push_str("</footer>");
    }
}

fn link_inline(label: &str, url: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        escape_html(url),
        escape_html(label)
    )
}

fn link_html(label: &str, url: &str) -> String {
    format!("<p>{}</p>", link_inline(label, url))
}

fn render(block: &Block, text: &mut String, html: &mut String) {
    match block {
        Block::Para(p) => {
            text.push_str(p);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape_html(p)));
        }
        Block::Link { label, url } => {
            text.push_str(&format!("{label}: {url}\n\n"));
            html.push_str(&link_html(label, url));
        }
        Block::Table { head, rows } => {
            text.push_str(&head.join(" | "));
            text.push('\n');
            for row in rows {
                text.push_str(&row.join(" | "));
                text.push('\n');
            }
            text.push('\n');
            html.push_str("<table style=\"border-collapse:collapse\"><thead><tr>");
            for h in head {
                html.push_str(&format!(
                    "<th style=\"text-align:left;padding:2px 8px\">{}</th>",
                    escape_html(h)
                ));
            }
            html.push_str("</tr></thead><tbody>");
            for row in rows {
                html.push_str("<tr>");
                for cell in row {
                    html.push_str(&format!(
                        "<td style=\"padding:2px 8px\">{}</td>",
                        escape_html(cell)
                    ));
                }
                html.push_str("</tr>");
            }
            html.push_str("</tbody></table>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_carry_the_content_and_the_shop_in_the_footer() {
        let mail = Compose::new("t", Language::Es, "Asunto <1>")
            .para("Hola & adiós")
            .link("Ver", "https://shop.example/es/x/?a=1&b=2")
            .table(&["A", "B"], vec![vec!["1".into(), "<2>".into()]])
            .preferences(Some("https://shop.example/es/p/#t".into()))
            .build();
        let shop = &site_config::facts().shop;
        assert!(mail.text.contains("Hola & adiós"));
        assert!(mail.html.contains("Hola &amp; adiós"));
        assert!(mail.html.contains("&lt;2&gt;") && !mail.html.contains("<2>"));
        assert!(
            mail.html
                .contains("href=\"https://shop.example/es/x/?a=1&amp;b=2\"")
        );
        for part in [&mail.text, &mail.html] {
            assert!(part.contains(&shop.contact_email));
            assert!(part.contains("Recibes este correo"));
            assert!(part.contains("https://shop.example/es/p/#t"));
        }
        assert!(mail.list_unsubscribe.is_none());
        assert!(Mail::headers(None).is_empty());
    }

    #[test]
    fn marketing_mail_has_one_click_headers() {
        let mail = Compose::new("news", Language::En, "News")
            .marketing("https://shop.example/api/unsubscribe?token=x".into())
            .build();
        let headers = Mail::headers(mail.list_unsubscribe.as_deref());
        assert_eq!(
            headers,
            [
                (
                    "List-Unsubscribe",
                    "<https://shop.example/api/unsubscribe?token=x>".to_string()
                ),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into())
            ]
        );
    }
}

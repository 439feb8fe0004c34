//! Lifecycle mail through the local mailbox (issue #15): welcome after the email is
//! proven, quote issued and accepted (customer and shop), erasure done. Each is in the
//! reader's language, has a plain-text and an HTML part, names the shop and says why
//! in the footer, and its links work (they point at the runner, as the mailbox
//! re-points the shop's origin).

use ecrm_e2e::{TestApp, sign_up_body};
use reqwest::Method;
use serde_json::{Value, json};

fn shop() -> &'static ecrm_core::site_config::ShopIdentity {
    &ecrm_core::site_config::facts().shop
}

/// Both parts carry the shop's identity and a why-you-get-this line; no unsubscribe
/// headers (none of these is marketing).
fn assert_footer(mail: &Value, why: &str) {
    let (text, html) = (
        mail["text"].as_str().unwrap(),
        mail["html"].as_str().unwrap(),
    );
    for part in [text, html] {
        assert!(part.contains(&shop().legal_name), "{part}");
        assert!(part.contains(&shop().contact_email), "{part}");
        assert!(part.contains(&shop().data_protection_email), "{part}");
        assert!(part.contains(why), "{part}");
    }
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(
        mail["headers"],
        json!([]),
        "no List-Unsubscribe on account mail"
    );
}

/// The first link in `text` that starts with `prefix` (after the runner's origin).
fn link(app: &TestApp, text: &str, prefix: &str) -> String {
    let start = app.url(prefix);
    let at = text
        .find(&start)
        .unwrap_or_else(|| panic!("no {start} in {text}"));
    text[at..].split_whitespace().next().unwrap().to_string()
}

fn fragment_token(url: &str, name: &str) -> String {
    url.split_once(&format!("#{name}="))
        .map(|(_, token)| token.to_string())
        .unwrap_or_else(|| panic!("no #{name}= in {url}"))
}

#[tokio::test]
async fn welcome_follows_verification_in_the_customers_language() {
    let app = TestApp::start().await;
    let (id, _) = app.sign_up("ana@example.com").await;
    let mail = app.mail_from_template("ana@example.com", "welcome").await;
    assert_eq!(mail["language"], "es");
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .starts_with("Te damos la bienvenida")
    );
    let text = mail["text"].as_str().unwrap();
    assert!(
        text.contains("Regalos y envoltorios"),
        "the topic, by its label"
    );
    assert_footer(&mail, "Recibes este correo porque trata de tu cuenta");
    // The preference link opens the no-login page, for this customer.
    let url = link(&app, text, "/es/email-preferences/");
    let token = fragment_token(&url, "token");
    let response = app
        .site_request(
            Method::GET,
            &format!("/api/preferences/by-link?token={token}"),
            None,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let prefs: Value = response.json().await.unwrap();
    assert_eq!(prefs["topics"], json!(["gifts"]));
    // The outbox item is gone once sent; nothing of the mail stays but the timeline's
    // subject line.
    let mut kept = true;
    for _ in 0..40 {
        let items = app.scan_all().await;
        kept = items.iter().any(|i| {
            i.get("kind")
                .and_then(|k| k.as_s().ok())
                .map(String::as_str)
                == Some("outbox")
        });
        if !kept {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!kept, "sent mail is not kept");
    assert!(!id.is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn an_english_customer_gets_english_mail() {
    let app = TestApp::start().await;
    let mut body = sign_up_body("ben@example.com");
    body["language"] = json!("en");
    app.sign_up_with(&body).await;
    let mail = app.mail_from_template("ben@example.com", "welcome").await;
    assert_eq!(mail["language"], "en");
    assert!(mail["subject"].as_str().unwrap().starts_with("Welcome to"));
    assert_footer(&mail, "You get this mail because it is about your account");
    link(
        &app,
        mail["text"].as_str().unwrap(),
        "/email-preferences/#token=",
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_visitor_quote_is_mailed_in_the_page_language_and_acceptance_reaches_the_shop() {
    let app = TestApp::start().await;
    let body = json!({
        "lines": [{"sku": "22423", "quantity": 2}],
        "country": "ES",
        "contact": {"name": "Vera", "email": "vera@example.com"}
    });
    let response = app
        .site_request(Method::POST, "/api/quotes", None)
        .header("accept-language", "es-ES,es;q=0.9")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let quote: Value = response.json().await.unwrap();
    let id = quote["id"].as_str().unwrap();

    let mail = app
        .mail_from_template("vera@example.com", "quote_issued")
        .await;
    assert_eq!(mail["language"], "es");
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains(quote["number"].as_str().unwrap()));
    assert!(text.contains("Válido hasta"));
    assert_footer(&mail, "Recibes este correo porque alguien");
    // The link carries the visitor's token and opens the quote.
    let url = link(&app, text, "/es/quote/view/");
    let token = url.split_once("token=").unwrap().1;
    let opened = app
        .site_request(
            Method::GET,
            &format!("/api/quotes/{id}?token={token}"),
            None,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);

    let accepted = app
        .site_request(
            Method::POST,
            &format!("/api/quotes/{id}/accept?token={token}"),
            None,
        )
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);
    let ack = app
        .mail_from_template("vera@example.com", "quote_accepted")
        .await;
    assert!(
        ack["subject"]
            .as_str()
            .unwrap()
            .starts_with("Hemos recibido tu pedido")
    );
    let order = app
        .mail_from_template(&shop().order_email, "order_notification")
        .await;
    let order_text = order["text"].as_str().unwrap();
    assert!(order_text.contains("22423") && order_text.contains("vera@example.com"));
    assert_footer(&order, "order address");
    app.shutdown().await;
}

#[tokio::test]
async fn a_members_quote_mail_has_their_preference_link_and_erasure_says_goodbye() {
    let app = TestApp::start().await;
    let (_, cookie) = app.sign_up("ana@example.com").await;
    let response = app
        .site_request(Method::POST, "/api/quotes", Some(&cookie))
        .body(json!({"lines": [{"sku": "22423", "quantity": 1}], "country": "ES"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let mail = app
        .mail_from_template("ana@example.com", "quote_issued")
        .await;
    assert_eq!(mail["language"], "es", "the member's language");
    let text = mail["text"].as_str().unwrap();
    link(&app, text, "/es/email-preferences/#token=");
    assert!(
        !link(&app, text, "/es/quote/view/").contains("token="),
        "a member's link needs no token"
    );

    let erased = app
        .site_request(Method::DELETE, "/api/me", Some(&cookie))
        .body(json!({"confirm_email": "ana@example.com"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(erased.status(), 204);
    let goodbye = app
        .mail_from_template("ana@example.com", "erasure_done")
        .await;
    let text = goodbye["text"].as_str().unwrap();
    assert!(
        text.contains("6 años"),
        "what is kept and for how long: {text}"
    );
    assert_footer(&goodbye, "Recibes este correo");
    app.shutdown().await;
}

/// Marketing mail (none is sent by a flow yet: a campaign writes it like this) carries
/// the RFC 8058 headers, and a mail client's one-click POST to the header's URL
/// unsubscribes from everything.
#[tokio::test]
async fn marketing_mail_has_one_click_unsubscribe_headers_that_work() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let token = ecrm_core::domain::link::sign(
        &app.session_key,
        ecrm_core::domain::link::LinkPurpose::Preferences,
        &id,
        0,
        time::OffsetDateTime::now_utc().unix_timestamp(),
        None,
    );
    let one_click = format!(
        "{}/api/unsubscribe?token={token}",
        ecrm_core::site_config::facts().site_url
    );
    let news = ecrm_core::mail::Compose::new(
        "news",
        ecrm_core::domain::customer::Language::Es,
        "Novedades de temporada",
    )
    .para("Lo nuevo en regalos.")
    .marketing(one_click)
    .build();
    let item = ecrm_core::store::outbox::OutboxItem::new(
        "ana@example.com",
        Some(&id),
        news,
        "2026-11-30T00:00:00.000000Z".into(),
        time::OffsetDateTime::now_utc().unix_timestamp(),
    );
    app.running
        .client
        .put_item()
        .table_name(&app.running.table)
        .set_item(Some(serde_dynamo::to_item(&item).unwrap()))
        .send()
        .await
        .unwrap();

    let mail = app.mail_from_template("ana@example.com", "news").await;
    let url = app.url(&format!("/api/unsubscribe?token={token}"));
    assert_eq!(
        mail["headers"],
        json!([
            ["List-Unsubscribe", format!("<{url}>")],
            ["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"]
        ])
    );
    assert!(
        mail["text"].as_str().unwrap().contains(&url),
        "and in the footer"
    );
    assert!(
        mail["text"]
            .as_str()
            .unwrap()
            .contains("Recibes este correo porque confirmaste")
    );

    // What a mail client does with it: POST, no Origin, no cookie.
    let response = app
        .http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let me: Value = app
        .site_request(Method::GET, "/api/me", Some(&cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["contact"]["channels"]["email"], false);
    app.shutdown().await;
}

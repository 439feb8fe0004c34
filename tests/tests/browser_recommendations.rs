//! "Find what fits me" in headless Chromium: a visitor picks topics and sees popular
//! items with their reasons; a customer (personalisation on) opens an item's "often
//! bought together", and their "recommended for you" list changes to include that
//! item's neighbours, saying so.

use ecrm_e2e::browser::{Browser, wait_until};
use ecrm_e2e::{TestApp, artifacts_dir};
use fantoccini::Locator;

/// The SKUs and reasons listed in `list_id`, in order.
async fn listed(browser: &Browser, list_id: &str) -> Vec<(String, String)> {
    let script = format!(
        "return [...document.querySelectorAll('#{list_id} li[data-sku]')].map(li => [li.dataset.sku, li.querySelector('.recs-reason').textContent]);"
    );
    let value = browser
        .client
        .execute(&script, vec![])
        .await
        .unwrap_or_default();
    value
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|r| Some((r[0].as_str()?.to_string(), r[1].as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Tick one topic, ask for suggestions, and wait for them.
async fn pick_topic(browser: &Browser, topic: &str) -> Vec<(String, String)> {
    let c = &browser.client;
    for target in [
        Locator::Id(&format!("fit-topic-{topic}")),
        Locator::Css("#fit-topics-form button[type=submit]"),
    ] {
        c.find(target).await.unwrap().click().await.unwrap();
    }
    wait_until("topic suggestions", || async {
        !listed(browser, "fit-topics-list").await.is_empty()
    })
    .await;
    listed(browser, "fit-topics-list").await
}

#[tokio::test]
async fn viewing_an_item_changes_what_is_recommended() {
    let app = TestApp::start().await;
    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;

    // A visitor picks a topic.
    c.goto(&app.url("/fit/")).await.unwrap();
    let topic_items = pick_topic(&browser, "kitchen").await;
    // The topic's items first, then (when the topic has few) what is popular.
    assert!(
        topic_items[0]
            .1
            .starts_with("Popular with people who follow kitchen"),
        "{topic_items:?}"
    );
    assert!(
        topic_items.iter().all(|(_, why)| why
            .starts_with("Popular with people who follow kitchen")
            || why == "Popular in our shop"),
        "{topic_items:?}"
    );

    // The same page, signed in (personalisation on) through the sign-in form.
    app.sign_up("ana@example.com").await;
    c.goto(&app.url("/signin/?next=%2Ffit%2F")).await.unwrap();
    c.wait()
        .for_element(Locator::Id("signin-email"))
        .await
        .unwrap()
        .send_keys("ana@example.com")
        .await
        .unwrap();
    let before_mail = app.mailbox().await.len();
    c.find(Locator::Id("signin-email-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let code = app.next_code(before_mail).await;
    c.wait()
        .for_element(Locator::Id("signin-code"))
        .await
        .unwrap()
        .send_keys(&code)
        .await
        .unwrap();
    c.find(Locator::Id("signin-code-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("back on the page", || async {
        c.current_url()
            .await
            .map(|u| u.path() == "/fit/")
            .unwrap_or(false)
    })
    .await;
    wait_until("recommended for you", || async {
        !listed(&browser, "fit-list").await.is_empty()
    })
    .await;
    let before = listed(&browser, "fit-list").await;
    let switch = c
        .find(Locator::Id("fit-switch-state"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(switch.starts_with("Personalisation is on"), "{switch}");
    let link = c.find(Locator::Id("fit-switch-link")).await.unwrap();
    assert!(
        link.attr("href")
            .await
            .unwrap()
            .unwrap_or_default()
            .ends_with("/account/preferences/#consents-heading")
    );

    // Look at what goes with the first kitchen item.
    let viewed = pick_topic(&browser, "kitchen").await[0].0.clone();
    c.find(Locator::Css(&format!(
        "#fit-topics-list li[data-sku='{viewed}'] button"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_until("bought together, and the list changed", || async {
        !listed(&browser, "fit-together-list").await.is_empty()
            && listed(&browser, "fit-list")
                .await
                .iter()
                .any(|(_, why)| why.starts_with("Because you looked at "))
    })
    .await;
    let after = listed(&browser, "fit-list").await;
    assert_ne!(before, after);
    assert!(
        !after.iter().any(|(sku, _)| *sku == viewed),
        "not the item itself"
    );
    let _ = std::fs::create_dir_all(artifacts_dir());
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(artifacts_dir().join("fit-recommended.png"), png);
    }
    browser.close().await;
    app.shutdown().await;
}

#[tokio::test]
async fn a_quote_line_shows_what_is_often_bought_with_it() {
    let app = TestApp::start().await;
    let browser = Browser::start(1280, 1000).await;
    let c = &browser.client;
    c.goto(&app.url("/quote/")).await.unwrap();
    wait_until("the catalog", || async {
        c.find(Locator::Css("#catalog input[data-sku]"))
            .await
            .is_ok()
    })
    .await;
    // An item on the page that the lists know (it has companions).
    let on_page = browser
        .client
        .execute(
            "return [...document.querySelectorAll('#catalog input[data-sku]')].map(i => i.dataset.sku);",
            vec![],
        )
        .await
        .unwrap();
    let mut chosen = None;
    for sku in on_page
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
    {
        let (_, body) =
            ecrm_e2e::recs::get(&app, &format!("/api/recommendations?item={sku}"), None).await;
        if body["items"].as_array().is_some_and(|i| !i.is_empty()) {
            chosen = Some(sku.to_string());
            break;
        }
    }
    let sku = chosen.expect("an item with companions on the quote page");
    let input = c.find(Locator::Id(&format!("qty-{sku}"))).await.unwrap();
    input.send_keys("50").await.unwrap();
    // Leaving the field fires `change`.
    c.find(Locator::Css("h1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until("often bought together", || async {
        match c.find(Locator::Id("recs-together")).await {
            Ok(panel) => panel.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    })
    .await;
    let heading = c
        .find(Locator::Id("recs-together-heading"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        heading.starts_with("Often bought together with "),
        "{heading}"
    );
    let buttons = c
        .find_all(Locator::Css("#recs-together li.recs-item button"))
        .await
        .unwrap();
    assert!(!buttons.is_empty());
    browser.close().await;
    app.shutdown().await;
}

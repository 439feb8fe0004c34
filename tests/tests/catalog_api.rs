//! `GET /api/catalog`: the featured items and a fixture purchase log imported, walked
//! page by page (each page one DynamoDB round trip), searched in English and Spanish,
//! filtered by topic, need and featured; bad parameters answered with problem+json
//! naming the parameter; the seed idempotent.

use ecrm_core::app::App;
use ecrm_core::app::catalog;
use ecrm_core::domain::clock::Clock;
use ecrm_core::store::Store;
use ecrm_core::telemetry::count_dynamodb_calls;
use ecrm_e2e::TestApp;
use ecrm_runner::CatalogSource;
use ecrm_runner::catalog_seed::load_catalog;
use reqwest::Method;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The products the fixture log adds to the featured ones (the rest of its rows are
/// featured items, postage, a cancellation, a code without a name or a price).
const IMPORTED: [&str; 12] = [
    "71053", "84029E", "84406B", "22752", "21730", "22633", "37370", "21071", "22114", "20679",
    "47566B", "21034",
];

fn fixture() -> CatalogSource {
    CatalogSource::RetailLog(ecrm_e2e::repo_root().join("tests/fixtures/retail-sample.csv"))
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.site_request(Method::GET, path, None)
        .send()
        .await
        .expect("request")
}

async fn page(app: &TestApp, path: &str) -> Value {
    let response = get(app, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("json")
}

fn skus(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["sku"].as_str().expect("sku").to_string())
        .collect()
}

/// Every SKU of a search, following `next_cursor` to the end; fails on a repeat.
async fn walk(app: &TestApp, query: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..200 {
        let path = match &cursor {
            None => format!("/api/catalog?{query}"),
            Some(c) => format!("/api/catalog?{query}&cursor={c}"),
        };
        let body = page(app, &path).await;
        seen.extend(skus(&body));
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => {
                let distinct: HashSet<&String> = seen.iter().collect();
                assert_eq!(distinct.len(), seen.len(), "no item twice: {seen:?}");
                return seen;
            }
        }
    }
    panic!("{query}: the pages never ended");
}

fn featured_skus() -> HashSet<String> {
    ecrm_core::domain::catalog::bundled()
        .expect("bundled")
        .into_iter()
        .map(|i| i.sku)
        .collect()
}

#[tokio::test]
async fn pages_walk_the_whole_catalog_once_featured_first_one_round_trip_each() {
    let app = TestApp::start_with_catalog(fixture()).await;
    let featured = featured_skus();
    let all = walk(&app, "limit=7").await;
    assert_eq!(all.len(), featured.len() + IMPORTED.len());
    assert!(
        all[..featured.len()].iter().all(|s| featured.contains(s)),
        "featured first"
    );
    for sku in IMPORTED {
        assert!(all.contains(&sku.to_string()), "{sku}");
    }
    // A page of exactly the rest ends without an empty page after it.
    let first = page(&app, "/api/catalog?limit=50").await;
    assert_eq!(skus(&first).len(), 50);
    let cursor = first["next_cursor"].as_str().expect("more remain");
    let last = page(&app, &format!("/api/catalog?limit=1&cursor={cursor}")).await;
    assert_eq!(skus(&last).len(), 1);
    assert!(last["next_cursor"].is_null(), "nothing after the last item");

    // One round trip per page: a listing, a later page, a search, a filtered search.
    let core = App::new(
        Store::new(app.running.client.clone(), app.running.table.clone()),
        app.session_key.clone(),
        Clock::system(),
    );
    for params in [
        vec![("limit", "7")],
        vec![("limit", "7"), ("cursor", cursor)],
        vec![("q", "heart")],
        vec![("q", "white hea"), ("need", "home"), ("limit", "2")],
        vec![("topic", "kitchen"), ("need", "event")],
    ] {
        let params: HashMap<String, String> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (found, calls) = count_dynamodb_calls(catalog::browse(&core, &params)).await;
        found.expect("a page");
        assert_eq!(calls, 1, "{params:?}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_word_finds_every_item_whose_name_holds_it_in_either_language() {
    let app = TestApp::start_with_catalog(fixture()).await;
    let heart = walk(&app, "q=heart&limit=100").await;
    for sku in ["85123A", "84029E", "84406B", "22457", "22469"] {
        assert!(heart.contains(&sku.to_string()), "{sku} in {heart:?}");
    }
    assert!(
        !heart.contains(&"71053".to_string()),
        "the lantern has no heart"
    );
    // The same answer a page of one item at a time.
    let mut one_by_one = walk(&app, "q=heart&limit=1").await;
    let mut all = heart.clone();
    one_by_one.sort();
    all.sort();
    assert_eq!(one_by_one, all);
    // As you type: a prefix finds what the word finds.
    let typed = walk(&app, "q=HEA&limit=100").await;
    assert!(heart.iter().all(|s| typed.contains(s)));
    // Every word must match.
    let white_heart = walk(&app, "q=white%20heart").await;
    assert!(
        white_heart.contains(&"85123A".to_string()) && white_heart.contains(&"84029E".to_string())
    );
    assert!(!white_heart.contains(&"84406B".to_string()));
    // Spanish, with or without the accent: featured items' real Spanish names.
    for q in ["coraz%C3%B3n", "corazon", "CORAZ"] {
        let found = walk(&app, &format!("q={q}")).await;
        assert!(
            found.contains(&"85123A".to_string()) && found.contains(&"22457".to_string()),
            "{q}"
        );
        assert!(
            !found.contains(&"84029E".to_string()),
            "no Spanish name was made up"
        );
    }
    // An imported item keeps its English name in Spanish, marked as English.
    let hottie = page(&app, "/api/catalog?q=hottie").await;
    assert_eq!(skus(&hottie), vec!["84029E"]);
    let item = &hottie["items"][0];
    assert_eq!(item["name"]["en"], "Red woolly hottie white heart.");
    assert_eq!(item["name"]["es"], item["name"]["en"]);
    assert_eq!(item["name_es_lang"], "en");
    assert_eq!(item["unit_price_minor"], 339);
    let holder = page(&app, "/api/catalog?q=portavelas").await;
    assert_eq!(skus(&holder), vec!["85123A"]);
    assert!(holder["items"][0].get("name_es_lang").is_none());
    assert_eq!(
        skus(&page(&app, "/api/catalog?q=zzzz").await),
        Vec::<String>::new()
    );
    app.shutdown().await;
}

#[tokio::test]
async fn topics_needs_and_featured_filter_every_page() {
    let app = TestApp::start_with_catalog(fixture()).await;
    let featured = featured_skus();
    let items_of = |query: &'static str| {
        let app = &app;
        async move {
            let body = page(app, &format!("/api/catalog?{query}&limit=100")).await;
            assert!(body["next_cursor"].is_null());
            body["items"].as_array().expect("items").clone()
        }
    };
    let kitchen = items_of("topic=kitchen").await;
    assert!(kitchen.len() > 5);
    assert!(kitchen.iter().all(|i| {
        i["topics"]
            .as_array()
            .unwrap()
            .contains(&Value::from("kitchen"))
    }));
    let events = items_of("need=event").await;
    assert!(events.iter().all(|i| {
        i["needs"]
            .as_array()
            .unwrap()
            .contains(&Value::from("event"))
    }));
    let both = items_of("topic=kitchen&need=event").await;
    assert!(!both.is_empty() && both.len() < kitchen.len());
    assert!(both.iter().all(|i| {
        i["needs"]
            .as_array()
            .unwrap()
            .contains(&Value::from("event"))
    }));
    let only_featured = items_of("featured=true").await;
    assert_eq!(only_featured.len(), featured.len());
    let kids_featured = items_of("featured=true&topic=kids").await;
    assert!(
        kids_featured
            .iter()
            .all(|i| featured.contains(i["sku"].as_str().unwrap()))
    );
    let searched = items_of("q=mug&topic=kitchen").await;
    let found: Vec<&str> = searched
        .iter()
        .map(|i| i["sku"].as_str().unwrap())
        .collect();
    assert!(
        found.contains(&"37370") && found.contains(&"21071"),
        "{found:?}"
    );
    // The same filter walked a page at a time gives the same items.
    let walked = walk(&app, "topic=kitchen&need=event&limit=1").await;
    assert_eq!(walked.len(), both.len());
    app.shutdown().await;
}

#[tokio::test]
async fn bad_parameters_are_problems_naming_the_parameter() {
    let app = TestApp::start().await;
    let heart = page(&app, "/api/catalog?q=heart&limit=1").await;
    let heart_cursor = heart["next_cursor"]
        .as_str()
        .expect("more hearts")
        .to_string();
    let long_q = "a".repeat(101);
    for (query, field) in [
        ("limit=0".to_string(), "limit"),
        ("limit=101".to_string(), "limit"),
        ("limit=ten".to_string(), "limit"),
        ("topic=weapons".to_string(), "topic"),
        ("need=world-peace".to_string(), "need"),
        ("featured=maybe".to_string(), "featured"),
        (format!("q={long_q}"), "q"),
        ("cursor=not-a-cursor".to_string(), "cursor"),
        // A cursor of one search is no cursor of another.
        (format!("q=lantern&cursor={heart_cursor}"), "cursor"),
        (format!("topic=kids&cursor={heart_cursor}"), "cursor"),
    ] {
        let response = get(&app, &format!("/api/catalog?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{query}"
        );
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["errors"][0]["pointer"], format!("/{field}"), "{query}");
    }
    // The same cursor continues its own search.
    let next = page(
        &app,
        &format!("/api/catalog?q=heart&limit=1&cursor={heart_cursor}"),
    )
    .await;
    assert_ne!(skus(&next), skus(&heart));
    app.shutdown().await;
}

#[tokio::test]
async fn loading_the_same_catalog_again_writes_nothing() {
    let app = TestApp::start_with_catalog(fixture()).await;
    let before = app.scan_table().await.len();
    let store = Store::new(app.running.client.clone(), app.running.table.clone());
    let again = load_catalog(&store, &fixture()).await.expect("load");
    assert!(again.skipped, "{again}");
    assert_eq!((again.items, again.written), (39 + IMPORTED.len(), 0));
    assert_eq!(app.scan_table().await.len(), before);
    // A missing log loads the featured items and says why.
    let missing = load_catalog(
        &store,
        &CatalogSource::RetailLog("/nonexistent/log.csv".into()),
    )
    .await
    .expect("load");
    assert!(!missing.skipped);
    assert!(
        missing
            .note
            .as_deref()
            .is_some_and(|n| n.contains("ECRM_RETAIL_LOG"))
    );
    assert_eq!(missing.items, 39);
    app.shutdown().await;
}

/// `make run` listens before the whole catalog is in: the featured items answer at
/// once, and the imported ones (and the recommendation lists) follow in the background.
#[tokio::test]
async fn serving_first_answers_with_the_featured_items_then_the_whole_catalog() {
    let app = TestApp::start_serving_first(fixture()).await;
    let featured = featured_skus();
    let first = walk(&app, "limit=100").await;
    assert!(
        featured.iter().all(|sku| first.contains(sku)),
        "the featured items are there before the runner listens"
    );
    let mut all = first;
    for _ in 0..300 {
        if all.len() == featured.len() + IMPORTED.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        all = walk(&app, "limit=100").await;
    }
    for sku in IMPORTED {
        assert!(
            all.contains(&sku.to_string()),
            "{sku} arrives in the background"
        );
    }
    app.shutdown().await;
}

//! Knowing the customer openly (issue #18) over real HTTP: the survey lifecycle, offered
//! after a first order, answered once, and erased with the account.

use super::knowing_buys_for_api::{accept, json_of, patch_me, quote};
use ecrm_core::store::Store;
use ecrm_e2e::{TestApp, problem, s};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_survey_is_offered_after_a_first_order_answered_once_and_erased_with_the_account() {
    let app = TestApp::start().await;
    let (id, cookie) = app.sign_up("ana@example.com").await;
    let next = app
        .member_call(Method::GET, "/api/me/surveys/next", &cookie, None)
        .await;
    assert_eq!(
        next.status().as_u16(),
        204,
        "no survey before a first order"
    );
    let answer = json!({"answers": {"found_us": "friend"}});
    problem(
        app.member_call(
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(answer.clone()),
        )
        .await,
        409,
    )
    .await;

    let quote_id = quote(&app, &cookie, &[3]).await;
    accept(&app, &cookie, &quote_id).await;
    let survey = json_of(&app, "/api/me/surveys/next", &cookie).await;
    assert_eq!(survey["id"], "first-order");
    // The customer signed up in Spanish: the survey speaks Spanish, and says why.
    assert_eq!(survey["questions"][0]["text"], "¿Cómo nos encontraste?");
    assert!(
        !survey["questions"][0]["purpose"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert!(
        !survey["questions"][0]["benefit"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert_eq!(survey["retention_days"], 730);
    assert_eq!(survey["lawful_basis"], "consent");

    // Wrong answers are refused with the field named, and nothing is recorded.
    let bad = problem(
        app.member_call(
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(json!({"answers": {"found_us": "tv"}})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["pointer"], "/answers/found_us");
    problem(
        app.member_call(
            Method::POST,
            "/api/me/surveys/no-such/answers",
            &cookie,
            Some(answer.clone()),
        )
        .await,
        404,
    )
    .await;

    let done = app
        .member_call(
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(answer.clone()),
        )
        .await;
    assert_eq!(done.status().as_u16(), 204);
    problem(
        app.member_call(
            Method::POST,
            "/api/me/surveys/first-order/answers",
            &cookie,
            Some(answer),
        )
        .await,
        409,
    )
    .await;
    let next = app
        .member_call(Method::GET, "/api/me/surveys/next", &cookie, None)
        .await;
    assert_eq!(
        next.status().as_u16(),
        204,
        "one survey at a time, each once"
    );

    // The answer is in the export, with its retention.
    let export = json_of(&app, "/api/me/export", &cookie).await;
    let response = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "survey_response")
        .expect("the answer is exported");
    assert_eq!(response["answers"]["found_us"], "friend");
    assert!(
        response["ttl"].as_i64().unwrap()
            > time::OffsetDateTime::now_utc().unix_timestamp() + 700 * 86_400
    );

    // Business buyers get the next survey; they skip it for good.
    let response = patch_me(&app, &cookie, json!({"buys_for": "business"})).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        json_of(&app, "/api/me/surveys/next", &cookie).await["id"],
        "business-needs"
    );
    let skipped = app
        .member_call(
            Method::POST,
            "/api/me/surveys/business-needs/skip",
            &cookie,
            Some(json!({"dont_ask_again": true})),
        )
        .await;
    assert_eq!(skipped.status().as_u16(), 204);
    assert_eq!(
        app.member_call(Method::GET, "/api/me/surveys/next", &cookie, None)
            .await
            .status()
            .as_u16(),
        204
    );

    // The shop's results: totals only.
    let results = ecrm_core::app::surveys::results(&Store::new(
        app.running.client.clone(),
        app.running.table.clone(),
    ))
    .await
    .unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        (results[0].option.as_str(), results[0].count),
        ("friend", 1)
    );

    // Erasure takes the answers with it.
    let erased = app
        .member_call(
            Method::DELETE,
            "/api/me",
            &cookie,
            Some(json!({"confirm_email": "ana@example.com"})),
        )
        .await;
    assert_eq!(erased.status().as_u16(), 204);
    let left: Vec<_> = app
        .scan_all()
        .await
        .into_iter()
        .filter(|i| {
            ["survey_response", "timeline_entry", "consent"].contains(&s(i, "kind").unwrap_or(""))
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let pk = format!("#{id}");
    assert!(
        app.scan_all()
            .await
            .iter()
            .all(|i| !s(i, "PK").unwrap_or("").ends_with(&pk)),
        "nothing is left under the customer's partitions"
    );
    app.shutdown().await;
}

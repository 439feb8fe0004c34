//! The SAM template's table and site, offline: the table equals `infra/table.json`;
//! CloudFront's response headers policy equals `infra/security-headers.json`, it proves
//! its API requests with the origin secret, and viewers need TLS 1.2 where CloudFront
//! allows it; the outputs name everything the deploy scripts look up.

use super::infra_template::{Template, as_list, get_att, read, reference};
use serde_json::{Value, json};
use std::collections::BTreeMap;

// ------------------------------------------------------------------------ table

#[test]
fn table_matches_table_json_and_is_kept_and_protected() {
    let t = Template::load();
    let table = t.resource("Table");
    assert_eq!(table["Type"], "AWS::DynamoDB::Table");
    assert_eq!(table["DeletionPolicy"], "Retain");
    let props = &table["Properties"];
    let file: Value = serde_json::from_str(&read("infra/table.json")).unwrap();
    for key in [
        "KeySchema",
        "AttributeDefinitions",
        "GlobalSecondaryIndexes",
        "BillingMode",
        "StreamSpecification",
        "TimeToLiveSpecification",
    ] {
        assert_eq!(
            props[key], file[key],
            "Table.{key} differs from infra/table.json"
        );
    }
    assert_eq!(
        props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    assert_eq!(props["SSESpecification"]["SSEEnabled"], true);
}

// ------------------------------------------------------------------------ site and CloudFront

#[test]
fn response_headers_policy_carries_the_security_headers() {
    let t = Template::load();
    let config = &t.resource("SecurityHeadersPolicy")["Properties"]["ResponseHeadersPolicyConfig"];
    let security = &config["SecurityHeadersConfig"];

    let mut headers = BTreeMap::new();
    let csp = &security["ContentSecurityPolicy"];
    headers.insert(
        "Content-Security-Policy".to_string(),
        csp["ContentSecurityPolicy"].as_str().unwrap().to_string(),
    );
    let hsts = &security["StrictTransportSecurity"];
    let mut hsts_value = format!("max-age={}", hsts["AccessControlMaxAgeSec"]);
    if hsts["IncludeSubdomains"] == true {
        hsts_value.push_str("; includeSubDomains");
    }
    if hsts["Preload"] == true {
        hsts_value.push_str("; preload");
    }
    headers.insert("Strict-Transport-Security".to_string(), hsts_value);
    if security["ContentTypeOptions"].is_object() {
        headers.insert("X-Content-Type-Options".to_string(), "nosniff".to_string());
    }
    let frame = security["FrameOptions"]["FrameOption"].as_str().unwrap();
    headers.insert("X-Frame-Options".to_string(), frame.to_string());
    let referrer = security["ReferrerPolicy"]["ReferrerPolicy"]
        .as_str()
        .unwrap();
    headers.insert("Referrer-Policy".to_string(), referrer.to_string());
    for item in as_list(&config["CustomHeadersConfig"]["Items"]) {
        let header = item["Header"].as_str().unwrap().to_string();
        let previous = headers.insert(header.clone(), item["Value"].as_str().unwrap().to_string());
        assert!(previous.is_none(), "{header} twice");
    }
    for (kind, overrides) in [
        (
            "ContentSecurityPolicy",
            &security["ContentSecurityPolicy"]["Override"],
        ),
        ("StrictTransportSecurity", &hsts["Override"]),
        ("FrameOptions", &security["FrameOptions"]["Override"]),
    ] {
        assert_eq!(*overrides, true, "{kind} overrides the origin's header");
    }

    let file: BTreeMap<String, Value> =
        serde_json::from_str(&read("infra/security-headers.json")).unwrap();
    let expected: BTreeMap<String, String> = file
        .into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k, v.as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        headers, expected,
        "ResponseHeadersPolicy differs from infra/security-headers.json"
    );
}

#[test]
fn cloudfront_sends_api_to_the_http_api_uncached_and_the_rest_to_the_private_bucket() {
    let t = Template::load();
    let config = &t.resource("Distribution")["Properties"]["DistributionConfig"];
    let origins = as_list(&config["Origins"]);
    let origin = |id: &Value| origins.iter().find(|o| o["Id"] == *id).unwrap().clone();

    let api = as_list(&config["CacheBehaviors"])
        .into_iter()
        .find(|b| b["PathPattern"] == "/api/*")
        .unwrap();
    let api_origin = origin(&api["TargetOriginId"]);
    assert!(
        api_origin["DomainName"]["Fn::Sub"]
            .as_str()
            .unwrap()
            .starts_with("${HttpApi}.execute-api."),
        "/api/* goes to the HTTP API"
    );
    assert_eq!(
        api["CachePolicyId"], "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        "CachingDisabled"
    );
    assert_eq!(
        api["OriginRequestPolicyId"], "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        "AllViewerExceptHostHeader"
    );
    assert!(as_list(&api["AllowedMethods"]).contains(&json!("POST")));
    assert_eq!(
        api["ResponseHeadersPolicyId"],
        reference("SecurityHeadersPolicy")
    );

    // Only CloudFront knows the origin secret: it proves each API request with it (the
    // functions refuse the rest), and the bucket never sees it.
    assert_eq!(
        as_list(&api_origin["OriginCustomHeaders"]),
        vec![json!({
            "HeaderName": "X-Origin-Verify",
            "HeaderValue": { "Fn::Sub": "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}" }
        })],
        "the API origin carries the origin secret"
    );
    assert!(
        "X-Origin-Verify".eq_ignore_ascii_case(ecrm_core::config::ORIGIN_HEADER),
        "the header the functions check"
    );
    assert_eq!(
        api_origin["CustomOriginConfig"]["OriginSSLProtocols"],
        json!(["TLSv1.2"]),
        "CloudFront to API Gateway: TLS 1.2"
    );
    assert_eq!(
        api_origin["CustomOriginConfig"]["OriginProtocolPolicy"],
        "https-only"
    );

    let default = &config["DefaultCacheBehavior"];
    let site_origin = origin(&default["TargetOriginId"]);
    assert!(
        site_origin["OriginCustomHeaders"].is_null(),
        "the bucket gets no origin secret"
    );
    assert_eq!(
        site_origin["DomainName"],
        get_att("SiteBucket", "RegionalDomainName")
    );
    assert_eq!(
        site_origin["OriginAccessControlId"],
        get_att("SiteOriginAccessControl", "Id")
    );
    assert_eq!(
        default["ResponseHeadersPolicyId"],
        reference("SecurityHeadersPolicy")
    );

    let block = &t.resource("SiteBucket")["Properties"]["PublicAccessBlockConfiguration"];
    for key in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(block[key], true, "SiteBucket {key}");
    }
}

#[test]
fn viewers_need_tls_1_2_wherever_cloudfront_can_require_it() {
    let t = Template::load();
    let config = &t.resource("Distribution")["Properties"]["DistributionConfig"];
    // With the default *.cloudfront.net certificate CloudFront fixes the policy at
    // TLSv1 whatever the template says; with the site's own certificate it is ours.
    assert_eq!(
        config["ViewerCertificate"],
        json!({ "Fn::If": [
            "HasSiteDomain",
            {
                "AcmCertificateArn": reference("SiteCertificateArn"),
                "SslSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021"
            },
            { "CloudFrontDefaultCertificate": true }
        ] })
    );
    assert_eq!(
        config["Aliases"],
        json!({ "Fn::If": ["HasSiteDomain", [reference("SiteDomain")], reference("AWS::NoValue")] })
    );
    for behavior in std::iter::once(config["DefaultCacheBehavior"].clone())
        .chain(as_list(&config["CacheBehaviors"]))
    {
        assert_ne!(
            behavior["ViewerProtocolPolicy"], "allow-all",
            "no plain http: {behavior}"
        );
    }
}

#[test]
fn outputs_name_everything_the_scripts_look_up() {
    let t = Template::load();
    let outputs = t.0["Outputs"].as_object().unwrap();
    for key in [
        "SiteUrl",
        "ApiUrl",
        "TableName",
        "SiteBucket",
        "DistributionId",
    ] {
        assert!(outputs.contains_key(key), "no output {key}");
    }
    for (name, (id, _)) in t.functions() {
        let key = format!("{}{}FunctionName", name[..1].to_uppercase(), &name[1..]);
        assert_eq!(outputs[&key]["Value"], reference(id), "output {key}");
    }
}

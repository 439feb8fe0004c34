//! The SAM template (`infra/template.yaml`) held to the code, and the deploy scripts'
//! dry runs (`infra/scripts/`), all offline:
//!
//! - the HTTP API routes are exactly `routes::ROUTES`, each on its function;
//! - each function's IAM policy grants exactly what `access::ACCESS` says it does to
//!   the store, on the table and (only where needed) the GSI1 index;
//! - secrets: no function has a secret value in its environment; each gets the ARNs
//!   and `secretsmanager:GetSecretValue` on exactly the secrets `access::SECRETS` names;
//! - the mailer may send only as `MailFrom`; CloudFront proves its API requests with the
//!   origin secret; viewer TLS 1.2 where CloudFront allows it; the API access log;
//! - the table equals `infra/table.json`; CloudFront's response headers policy equals
//!   `infra/security-headers.json`;
//! - the dry runs print the expected AWS calls and run none of them.

use ecrm_core::access::{ACCESS, SECRETS, Secret, WORKER_ACCESS};
use ecrm_core::routes::{FUNCTIONS, ROUTES, WORKERS};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

// ------------------------------------------------------------------------ reading

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// YAML to JSON, with CloudFormation's short forms written long: `!Ref X` becomes
/// `{"Ref": "X"}`, `!GetAtt A.B` becomes `{"Fn::GetAtt": ["A", "B"]}`, `!Sub s` becomes
/// `{"Fn::Sub": "s"}`, and so on.
fn to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => json!(b),
        Y::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => json!(i),
            (None, Some(f)) => json!(f),
            (None, None) => panic!("number {n}"),
        },
        Y::String(s) => json!(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match k {
                    Y::String(k) => (k, to_json(v)),
                    other => panic!("non-string key {other:?}"),
                })
                .collect(),
        ),
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let inner = to_json(tagged.value);
            match name {
                "Ref" => json!({ "Ref": inner }),
                "GetAtt" => match inner {
                    Value::String(s) => {
                        let (resource, attribute) = s.split_once('.').unwrap();
                        json!({ "Fn::GetAtt": [resource, attribute] })
                    }
                    other => json!({ "Fn::GetAtt": other }),
                },
                other => json!({ format!("Fn::{other}"): inner }),
            }
        }
    }
}

struct Template(Value);

impl Template {
    fn load() -> Self {
        let yaml: serde_yaml::Value = serde_yaml::from_str(&read("infra/template.yaml")).unwrap();
        Template(to_json(yaml))
    }

    fn resources(&self) -> &Map<String, Value> {
        self.0["Resources"].as_object().unwrap()
    }

    fn resource(&self, id: &str) -> &Value {
        self.resources()
            .get(id)
            .unwrap_or_else(|| panic!("no resource {id}"))
    }

    fn of_type(&self, kind: &str) -> Vec<(&str, &Value)> {
        self.resources()
            .iter()
            .filter(|(_, r)| r["Type"] == kind)
            .map(|(id, r)| (id.as_str(), r))
            .collect()
    }

    /// Function name (its `ecrm-function` tag) to (logical id, resource).
    fn functions(&self) -> BTreeMap<String, (&str, &Value)> {
        let mut out = BTreeMap::new();
        for (id, r) in self.of_type("AWS::Serverless::Function") {
            let name = r["Properties"]["Tags"]["ecrm-function"]
                .as_str()
                .unwrap_or_else(|| panic!("{id}: no ecrm-function tag"));
            assert!(
                out.insert(name.to_string(), (id, r)).is_none(),
                "{name} twice"
            );
        }
        out
    }

    /// A function's environment variables as SAM deploys them: Globals, then the
    /// function's own (which win).
    fn environment(&self, function: &Value) -> Map<String, Value> {
        let mut variables = self.0["Globals"]["Function"]["Environment"]["Variables"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        if let Some(own) = function["Properties"]["Environment"]["Variables"].as_object() {
            variables.extend(own.clone());
        }
        variables
    }

    /// Every statement of a function's inline policies.
    fn statements(&self, function: &Value) -> Vec<Value> {
        as_list(&function["Properties"]["Policies"])
            .iter()
            .flat_map(|p| as_list(&p["Statement"]))
            .collect()
    }

    /// A function property, from the function or else from Globals.
    fn function_property<'a>(&'a self, function: &'a Value, key: &str) -> &'a Value {
        let own = &function["Properties"][key];
        if own.is_null() {
            &self.0["Globals"]["Function"][key]
        } else {
            own
        }
    }
}

fn get_att(resource: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [resource, attribute] })
}

fn reference(id: &str) -> Value {
    json!({ "Ref": id })
}

fn as_list(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::Null => vec![],
        other => vec![other.clone()],
    }
}

// ------------------------------------------------------------------------ functions and routes

#[test]
fn every_function_has_one_resource_built_by_cargo_lambda_for_arm64() {
    let t = Template::load();
    let functions = t.functions();
    let names: Vec<&str> = functions.keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = FUNCTIONS.iter().chain(WORKERS.iter()).copied().collect();
    expected.sort_unstable();
    assert_eq!(
        names, expected,
        "one AWS::Serverless::Function per routes::FUNCTIONS and WORKERS entry"
    );

    for (name, (id, r)) in &functions {
        assert_eq!(
            r["Properties"]["CodeUri"],
            format!("../target/lambda/{name}/bootstrap.zip"),
            "{id}: CodeUri is cargo-lambda's zip"
        );
        assert_eq!(
            *t.function_property(r, "Runtime"),
            "provided.al2023",
            "{id}"
        );
        assert_eq!(
            *t.function_property(r, "Architectures"),
            json!(["arm64"]),
            "{id}"
        );
        assert_eq!(*t.function_property(r, "Handler"), "bootstrap", "{id}");
        assert_eq!(
            t.environment(r)["ECRM_TABLE"],
            reference("Table"),
            "{id}: main.rs reads the table name from ECRM_TABLE"
        );
        assert!(
            r["Properties"]["Role"].is_null(),
            "{id}: a Role would bypass the generated policy"
        );
    }
}

#[test]
fn http_api_routes_are_exactly_the_route_list() {
    let t = Template::load();
    assert_eq!(t.resource("HttpApi")["Type"], "AWS::Serverless::HttpApi");

    let mut in_template = Vec::new();
    for (name, (id, r)) in t.functions() {
        let events = r["Properties"]["Events"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (event, e) in events {
            // A worker may run on a schedule (the escalator): not a route.
            if WORKERS.contains(&name.as_str()) && e["Type"] == "ScheduleV2" {
                continue;
            }
            assert_eq!(
                e["Type"], "HttpApi",
                "{id}.{event}: only HttpApi events on API functions"
            );
            let p = &e["Properties"];
            assert_eq!(p["ApiId"], reference("HttpApi"), "{id}.{event}");
            in_template.push((
                name.clone(),
                p["Method"].as_str().unwrap().to_string(),
                p["Path"].as_str().unwrap().to_string(),
            ));
        }
    }
    let template: BTreeSet<_> = in_template.iter().cloned().collect();
    assert_eq!(
        template.len(),
        in_template.len(),
        "a route twice: {in_template:?}"
    );
    let code: BTreeSet<_> = ROUTES
        .iter()
        .map(|r| {
            (
                r.function.to_string(),
                r.method.to_string(),
                r.path.to_string(),
            )
        })
        .collect();
    let missing: Vec<_> = code.difference(&template).collect();
    let extra: Vec<_> = template.difference(&code).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "template routes differ from routes::ROUTES: missing {missing:?}, not in ROUTES {extra:?}"
    );
}

#[test]
fn the_escalator_runs_on_a_schedule_with_the_service_addresses() {
    let t = Template::load();
    let functions = t.functions();
    let (id, escalator) = functions["escalator"];
    let events = escalator["Properties"]["Events"].as_object().unwrap();
    assert_eq!(events.len(), 1, "{id}: one schedule");
    let schedule = events.values().next().unwrap();
    assert_eq!(schedule["Type"], "ScheduleV2");
    assert_eq!(
        schedule["Properties"]["ScheduleExpression"],
        "rate(5 minutes)"
    );
    let env = t.environment(escalator);
    assert_eq!(env["ECRM_ESCALATION_EMAIL"], reference("EscalationEmail"));
    let (_, staff) = functions["staff"];
    assert_eq!(t.environment(staff)["ECRM_STAFF"], reference("StaffEmails"));
}

#[test]
fn the_api_is_throttled_and_logged_with_retention() {
    let t = Template::load();
    let api = &t.resource("HttpApi")["Properties"];
    assert!(!api["DefaultRouteSettings"]["ThrottlingRateLimit"].is_null());
    assert!(!api["DefaultRouteSettings"]["ThrottlingBurstLimit"].is_null());
    assert_eq!(
        api["AccessLogSettings"]["DestinationArn"],
        get_att("ApiAccessLogGroup", "Arn")
    );
    assert_eq!(
        t.resource("ApiAccessLogGroup")["Type"],
        "AWS::Logs::LogGroup"
    );

    // One JSON object per request: the source IP, and otherwise only what names no
    // person (no path, query string, user agent or header, which may carry ids,
    // tokens or addresses).
    let format: Map<String, Value> = serde_json::from_str(
        api["AccessLogSettings"]["Format"]
            .as_str()
            .expect("the access log format is a string"),
    )
    .expect("the access log format is JSON");
    let variables: BTreeSet<&str> = format.values().map(|v| v.as_str().unwrap()).collect();
    assert!(
        variables.contains("$context.identity.sourceIp"),
        "the access log has the source IP: {variables:?}"
    );
    let allowed = BTreeSet::from([
        "$context.requestId",
        "$context.requestTimeEpoch",
        "$context.identity.sourceIp",
        "$context.routeKey",
        "$context.status",
        "$context.responseLatency",
        "$context.integrationErrorMessage",
    ]);
    let extra: Vec<_> = variables.difference(&allowed).collect();
    assert!(
        extra.is_empty(),
        "access log fields beyond the reviewed ones: {extra:?}"
    );

    for (_, r) in t.of_type("AWS::Logs::LogGroup") {
        assert!(
            !r["Properties"]["RetentionInDays"].is_null(),
            "every log group has a retention"
        );
    }
    for (name, (id, r)) in t.functions() {
        let group = r["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: LoggingConfig.LogGroup names a log group resource"));
        assert_eq!(t.resource(group)["Type"], "AWS::Logs::LogGroup", "{name}");
    }
}

#[test]
fn alarms_watch_every_function_and_api_5xx() {
    let t = Template::load();
    let alarms = t.of_type("AWS::CloudWatch::Alarm");
    let watches = |namespace: &str, metric: &str, dimension: &str, target: &Value| {
        alarms.iter().any(|(_, a)| {
            let p = &a["Properties"];
            p["Namespace"] == namespace
                && p["MetricName"] == metric
                && as_list(&p["Dimensions"])
                    .iter()
                    .any(|d| d["Name"] == dimension && d["Value"] == *target)
        })
    };
    for (name, (id, _)) in t.functions() {
        assert!(
            watches("AWS/Lambda", "Errors", "FunctionName", &reference(id)),
            "no Errors alarm for {name}"
        );
    }
    assert!(
        watches("AWS/ApiGateway", "5xx", "ApiId", &reference("HttpApi")),
        "no API 5xx alarm"
    );
}

// ------------------------------------------------------------------------ least privilege

#[test]
fn each_function_is_granted_exactly_what_it_does_to_the_store() {
    let t = Template::load();
    // All IAM comes from the functions' SAM `Policies`: no hand-written role or policy
    // could widen what a function may do.
    for kind in [
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
    ] {
        assert!(
            t.of_type(kind).is_empty(),
            "unexpected {kind} in the template"
        );
    }

    let functions = t.functions();
    for access in ACCESS.iter().chain(WORKER_ACCESS) {
        let (id, r) = functions[access.function];
        let expected_actions: BTreeSet<String> =
            access.iam_actions().into_iter().map(String::from).collect();
        let mut expected_resources = vec![get_att("Table", "Arn")];
        if access.gsi1 {
            expected_resources.push(json!({ "Fn::Sub": "${Table.Arn}/index/GSI1" }));
        }
        let snippet = format!(
            "expected in {id}:\n      Policies:\n        - Version: \"2012-10-17\"\n          Statement:\n            - Sid: Store\n              Effect: Allow\n              Action: [{}]\n              Resource: [!GetAtt Table.Arn{}]",
            access.iam_actions().join(", "),
            if access.gsi1 {
                ", !Sub \"${Table.Arn}/index/GSI1\""
            } else {
                ""
            }
        );

        let policies = as_list(&r["Properties"]["Policies"]);
        if expected_actions.is_empty() {
            for statement in t.statements(r) {
                for action in as_list(&statement["Action"]) {
                    assert!(
                        !action.as_str().unwrap().starts_with("dynamodb:"),
                        "{id}: {} does not touch the store, so no {action}",
                        access.function
                    );
                }
            }
            continue;
        }
        let mut actions = BTreeSet::new();
        let mut resources = Vec::new();
        for policy in &policies {
            let statements = policy["Statement"]
                .as_array()
                .unwrap_or_else(|| panic!("{id}: only inline policy documents (no managed or SAM policy templates): {policy}\n{snippet}"));
            for statement in statements {
                assert_eq!(statement["Effect"], "Allow", "{id}");
                // Only the "Store" statement may grant table actions; the workers'
                // other statements (stream, SES, dead letters) name other resources.
                if statement["Sid"] != "Store" {
                    for resource in as_list(&statement["Resource"]) {
                        assert!(
                            resource != get_att("Table", "Arn"),
                            "{id}: only the Store statement may name the table"
                        );
                    }
                    for action in as_list(&statement["Action"]) {
                        let action = action.as_str().unwrap();
                        assert!(
                            !action.starts_with("dynamodb:")
                                || (statement["Sid"] == "Stream"
                                    && statement["Resource"]
                                        == json!([get_att("Table", "StreamArn")])),
                            "{id}: {action} outside the Store statement"
                        );
                    }
                    continue;
                }
                for action in as_list(&statement["Action"]) {
                    actions.insert(action.as_str().unwrap().to_string());
                }
                for resource in as_list(&statement["Resource"]) {
                    if !resources.contains(&resource) {
                        resources.push(resource);
                    }
                }
            }
        }
        assert_eq!(
            actions, expected_actions,
            "{id}: actions differ from access::ACCESS\n{snippet}"
        );
        let sort = |v: &mut Vec<Value>| v.sort_by_key(|x| x.to_string());
        sort(&mut resources);
        sort(&mut expected_resources);
        assert_eq!(resources, expected_resources, "{id}: resources\n{snippet}");
    }
}

// ------------------------------------------------------------------------ secrets

#[test]
fn no_function_has_a_secret_value_in_its_environment() {
    let t = Template::load();
    let globals = &t.0["Globals"]["Function"]["Environment"]["Variables"];
    for secret in [Secret::Server, Secret::Origin] {
        assert!(
            globals[secret.arn_variable()].is_null(),
            "{}: only the functions that read a secret get its ARN (not Globals)",
            secret.arn_variable()
        );
    }
    for (name, (id, r)) in t.functions() {
        let environment = t.environment(r);
        for secret in [Secret::Server, Secret::Origin] {
            assert!(
                !environment.contains_key(secret.value_variable()),
                "{id}: {} in the environment is readable by anyone allowed \
                 lambda:GetFunctionConfiguration; give {} instead",
                secret.value_variable(),
                secret.arn_variable()
            );
        }
        assert!(
            !environment.contains_key("ECRM_SESSION_KEY"),
            "{id}: ECRM_SESSION_KEY"
        );
        for (variable, value) in &environment {
            assert!(
                !value.to_string().contains("{{resolve:"),
                "{name}: {variable} resolves a secret into the environment"
            );
        }
    }
}

#[test]
fn each_function_may_read_exactly_the_secrets_it_uses_and_gets_their_arns() {
    let t = Template::load();
    let functions = t.functions();
    assert_eq!(
        SECRETS.len(),
        functions.len(),
        "access::SECRETS names every function"
    );
    for (function, secrets) in SECRETS {
        let (id, r) = functions[*function];
        let environment = t.environment(r);
        for secret in [Secret::Server, Secret::Origin] {
            let expected = secrets
                .contains(&secret)
                .then(|| reference(secret.template_resource()));
            assert_eq!(
                environment.get(secret.arn_variable()).cloned(),
                expected,
                "{id}: {} (access::SECRETS says {function} reads {secrets:?})",
                secret.arn_variable()
            );
            let resource = t.resource(secret.template_resource());
            assert_eq!(resource["Type"], "AWS::SecretsManager::Secret");
            assert!(
                resource["Properties"]["GenerateSecretString"]["PasswordLength"]
                    .as_u64()
                    .unwrap()
                    >= 64,
                "{}: generated, long",
                secret.template_resource()
            );
        }

        // Exactly one statement mentions Secrets Manager: GetSecretValue on its secrets.
        let statements = t.statements(r);
        let reads: Vec<&Value> = statements
            .iter()
            .filter(|s| {
                as_list(&s["Action"])
                    .iter()
                    .any(|a| a.as_str().unwrap().starts_with("secretsmanager:"))
            })
            .collect();
        if secrets.is_empty() {
            assert!(reads.is_empty(), "{id}: reads no secret: {reads:?}");
            continue;
        }
        assert_eq!(reads.len(), 1, "{id}: one Secrets statement: {reads:?}");
        let statement = reads[0];
        assert_eq!(statement["Sid"], "Secrets", "{id}");
        assert_eq!(statement["Effect"], "Allow", "{id}");
        assert!(statement["Condition"].is_null(), "{id}");
        assert_eq!(
            as_list(&statement["Action"]),
            vec![json!("secretsmanager:GetSecretValue")],
            "{id}"
        );
        let mut resources = as_list(&statement["Resource"]);
        let mut expected: Vec<Value> = secrets
            .iter()
            .map(|s| reference(s.template_resource()))
            .collect();
        resources.sort_by_key(|v| v.to_string());
        expected.sort_by_key(|v| v.to_string());
        assert_eq!(
            resources, expected,
            "{id}: GetSecretValue on its own secrets only"
        );
    }

    // As the issue has it: the functions that sign or verify hold the server secret
    // (recommendations verifies sessions for events and a customer's list); the
    // workers hold nothing.
    let holders = |secret: Secret| -> Vec<&str> {
        SECRETS
            .iter()
            .filter(|(_, s)| s.contains(&secret))
            .map(|(f, _)| *f)
            .collect()
    };
    assert_eq!(
        holders(Secret::Server),
        ["registration", "preferences", "quotes", "recommendations", "staff"]
    );
    assert_eq!(
        holders(Secret::Origin),
        ["registration", "preferences", "quotes", "recommendations", "staff"]
    );
}

// ------------------------------------------------------------------------ mail

#[test]
fn the_mailer_sends_only_as_the_shop() {
    let t = Template::load();
    let parameter = &t.0["Parameters"]["MailFrom"];
    assert!(
        parameter["AllowedPattern"].as_str().unwrap().contains('@'),
        "MailFrom is an address (its domain is taken after the @)"
    );
    let (id, mailer) = t.functions()["mailer"];
    assert_eq!(t.environment(mailer)["MAIL_FROM"], reference("MailFrom"));
    let sends: Vec<Value> = t
        .statements(mailer)
        .into_iter()
        .filter(|s| {
            as_list(&s["Action"])
                .iter()
                .any(|a| a.as_str().unwrap().starts_with("ses:"))
        })
        .collect();
    assert_eq!(sends.len(), 1, "{id}: one SES statement");
    let statement = &sends[0];
    assert_eq!(as_list(&statement["Action"]), vec![json!("ses:SendEmail")]);
    let identity = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/";
    let resources = as_list(&statement["Resource"]);
    for resource in &resources {
        assert!(
            !resource.to_string().contains("identity/*") && resource != "*",
            "{id}: SES on every identity: {resource}"
        );
    }
    assert_eq!(
        resources,
        vec![
            json!({ "Fn::Sub": format!("{identity}${{MailFrom}}") }),
            json!({ "Fn::Sub": [
                format!("{identity}${{MailDomain}}"),
                { "MailDomain": { "Fn::Select": [1, { "Fn::Split": ["@", reference("MailFrom")] }] } }
            ] }),
        ],
        "{id}: the sender address's identity and its domain's"
    );
    assert_eq!(
        statement["Condition"],
        json!({ "StringEquals": { "ses:FromAddress": reference("MailFrom") } }),
        "{id}: From must be MailFrom even where the domain identity allows more"
    );
    // No other function may send mail.
    for (name, (other, r)) in t.functions() {
        if name == "mailer" {
            continue;
        }
        for statement in t.statements(r) {
            for action in as_list(&statement["Action"]) {
                assert!(
                    !action.as_str().unwrap().starts_with("ses:"),
                    "{other}: {action}"
                );
            }
        }
    }
}

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

// ------------------------------------------------------------------------ dry runs

const SECRET: &str = "stub-secret-never-printed";

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
    /// Commands the stubs saw: must stay empty in a dry run.
    invoked: String,
}

fn scratch_dir(label: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ecrm-infra-{}-{}-{label}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A PATH where aws, sam, cargo, cargo-lambda, rustup and make are stubs that record
/// any call, or (with `tools: false`) where they do not exist at all.
fn dry_run(script: &str, args: &[&str], env: &[(&str, &str)], tools: bool) -> Run {
    let dir = scratch_dir(script);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("invoked.log");
    for tool in ["bash", "sed", "head", "dirname", "grep", "cat"] {
        let real = ["/usr/bin", "/bin"]
            .iter()
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.exists());
        if let Some(real) = real {
            let _ = std::os::unix::fs::symlink(real, bin.join(tool));
        }
    }
    if tools {
        for tool in ["aws", "sam", "cargo", "cargo-lambda", "rustup", "make"] {
            let path = bin.join(tool);
            std::fs::write(
                &path,
                "#!/bin/sh\necho \"$0 $*\" >> \"$STUB_LOG\"\nexit 97\n",
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let output = Command::new(bin.join("bash"))
        .arg(root().join("infra/scripts").join(script))
        .args(args)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", &dir)
        .env("STUB_LOG", &log)
        .env("STACK_NAME", "ecrm-test")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_ACCESS_KEY_ID", "AKIASTUBSTUBSTUBSTUB")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", SECRET)
        .envs(env.iter().copied())
        .current_dir(&dir)
        .output()
        .unwrap();
    let run = Run {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        invoked: std::fs::read_to_string(&log).unwrap_or_default(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !text.contains(SECRET) && !text.contains("AKIASTUB"),
            "{script} printed a credential"
        );
    }
    run
}

/// The printed calls ("+ ..." lines), in order.
fn calls(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .filter_map(|l| l.strip_prefix("+ "))
        .collect()
}

/// Index of the first call containing every one of `parts`.
fn position(calls: &[&str], parts: &[&str]) -> usize {
    calls
        .iter()
        .position(|c| parts.iter().all(|p| c.contains(p)))
        .unwrap_or_else(|| panic!("no call with {parts:?} in:\n{}", calls.join("\n")))
}

fn build_call(function: &str) -> String {
    format!(
        "cargo lambda build --release --arm64 --output-format zip -p {function} --bin {function}"
    )
}

#[test]
fn deploy_function_dry_run_builds_and_updates_only_that_function() {
    // As `make deploy-function FN=quotes DRY_RUN=1` runs it.
    let run = dry_run(
        "deploy-function.sh",
        &[],
        &[("DRY_RUN", "1"), ("FN", "quotes")],
        true,
    );
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "", "a dry run ran a command");
    let c = calls(&run);
    assert_eq!(c[0], build_call("quotes"));
    let lookup = position(
        &c,
        &[
            "aws --region eu-west-1 cloudformation describe-stacks --stack-name ecrm-test",
            "QuotesFunctionName",
        ],
    );
    let update = position(
        &c,
        &[
            "aws --region eu-west-1 lambda update-function-code --function-name '<QuotesFunctionName>'",
            "--zip-file fileb://target/lambda/quotes/bootstrap.zip",
        ],
    );
    assert!(lookup < update);
    position(
        &c,
        &["lambda wait function-updated --function-name '<QuotesFunctionName>'"],
    );
    for other in FUNCTIONS.iter().filter(|f| **f != "quotes") {
        assert!(
            !run.stdout.contains(&format!("-p {other} ")),
            "{other} built too"
        );
    }

    // The same with the flag and an argument.
    let run = dry_run(
        "deploy-function.sh",
        &["--dry-run", "registration"],
        &[],
        true,
    );
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(calls(&run)[0], build_call("registration"));
    position(
        &calls(&run),
        &["update-function-code --function-name '<RegistrationFunctionName>'"],
    );
}

#[test]
fn deploy_function_refuses_an_unknown_or_missing_function() {
    let run = dry_run("deploy-function.sh", &["--dry-run", "nope"], &[], true);
    assert!(!run.ok);
    assert!(run.stdout.is_empty(), "nothing would run: {}", run.stdout);
    assert!(
        run.stderr.contains("unknown function 'nope'"),
        "{}",
        run.stderr
    );
    for function in FUNCTIONS {
        assert!(
            run.stderr.contains(function),
            "the message lists {function}: {}",
            run.stderr
        );
    }

    let run = dry_run(
        "deploy-function.sh",
        &[],
        &[("DRY_RUN", "1"), ("FN", "")],
        true,
    );
    assert!(!run.ok);
    assert!(
        run.stderr.contains("make deploy-function FN=<name>"),
        "{}",
        run.stderr
    );
}

#[test]
fn deploy_dry_run_builds_every_function_then_runs_sam_deploy() {
    let run = dry_run("deploy.sh", &["--dry-run"], &[], true);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "");
    let c = calls(&run);
    let builds: Vec<usize> = FUNCTIONS
        .iter()
        .map(|f| position(&c, &[&build_call(f)]))
        .collect();
    let sam = if root().join("infra/samconfig.toml").exists() {
        position(
            &c,
            &["(cd infra && sam deploy --template-file template.yaml --config-file samconfig.toml"],
        )
    } else {
        position(
            &c,
            &[
                "(cd infra && sam deploy --guided --template-file template.yaml --stack-name ecrm-test --region eu-west-1",
            ],
        )
    };
    assert!(
        builds.iter().all(|b| *b < sam),
        "every build before sam deploy:\n{}",
        c.join("\n")
    );
}

#[test]
fn deploy_site_dry_run_builds_syncs_and_invalidates() {
    let run = dry_run("deploy-site.sh", &[], &[("DRY_RUN", "1")], true);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "");
    let c = calls(&run);
    let build = position(&c, &["make site"]);
    let sync = position(&c, &["s3 sync site/public 's3://<SiteBucket>' --delete"]);
    let invalidate = position(
        &c,
        &["cloudfront create-invalidation --distribution-id '<DistributionId>' --paths '/*'"],
    );
    assert!(build < sync && sync < invalidate, "{}", c.join("\n"));
}

#[test]
fn destroy_dry_run_empties_the_bucket_then_deletes_the_stack_and_keeps_the_table() {
    let run = dry_run("destroy.sh", &["--dry-run"], &[], true);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.invoked, "");
    let c = calls(&run);
    let empty = position(&c, &["s3 rm 's3://<SiteBucket>' --recursive"]);
    let delete = position(&c, &["cloudformation delete-stack --stack-name ecrm-test"]);
    let wait = position(
        &c,
        &["cloudformation wait stack-delete-complete --stack-name ecrm-test"],
    );
    assert!(empty < delete && delete < wait);
    assert!(
        !c.iter().any(|call| call.contains("delete-table")),
        "the table is kept"
    );
    assert!(run.stderr.contains("Kept: table"), "{}", run.stderr);
}

#[test]
fn dry_runs_need_no_aws_tools_and_real_runs_name_what_is_missing() {
    let run = dry_run("deploy.sh", &["--dry-run"], &[], false);
    assert!(run.ok, "{}", run.stderr);
    for tool in ["aws", "sam", "cargo-lambda"] {
        assert!(
            run.stderr.contains(&format!("- {tool}: ")),
            "mentions {tool}: {}",
            run.stderr
        );
    }

    let run = dry_run("deploy-site.sh", &[], &[], false);
    assert!(!run.ok, "a real run without the AWS CLI stops");
    assert!(
        run.stderr.contains("missing prerequisites") && run.stderr.contains("- aws: "),
        "{}",
        run.stderr
    );
    assert!(
        calls(&run).is_empty(),
        "nothing runs before the check: {}",
        run.stdout
    );
}

//! The SAM template (`infra/template.yaml`) held to the code, offline: every function is
//! one resource built by cargo-lambda for arm64; the HTTP API routes are exactly
//! `routes::ROUTES`, each on its function; the escalator's schedule; the API's
//! throttling, access log and alarms.
//!
//! The template readers here serve every `infra_template_*` file: the grants are held to
//! `access` in infra_template_access, the table and CloudFront in
//! infra_template_resources, and the deploy scripts' dry runs are in
//! infra_template_scripts.

use ecrm_core::routes::{FUNCTIONS, ROUTES, WORKERS};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub(crate) fn read(path: &str) -> String {
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

pub(crate) struct Template(pub(crate) Value);

impl Template {
    pub(crate) fn load() -> Self {
        let yaml: serde_yaml::Value = serde_yaml::from_str(&read("infra/template.yaml")).unwrap();
        Template(to_json(yaml))
    }

    pub(crate) fn resources(&self) -> &Map<String, Value> {
        self.0["Resources"].as_object().unwrap()
    }

    pub(crate) fn resource(&self, id: &str) -> &Value {
        self.resources()
            .get(id)
            .unwrap_or_else(|| panic!("no resource {id}"))
    }

    pub(crate) fn of_type(&self, kind: &str) -> Vec<(&str, &Value)> {
        self.resources()
            .iter()
            .filter(|(_, r)| r["Type"] == kind)
            .map(|(id, r)| (id.as_str(), r))
            .collect()
    }

    /// Function name (its `ecrm-function` tag) to (logical id, resource).
    pub(crate) fn functions(&self) -> BTreeMap<String, (&str, &Value)> {
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
    pub(crate) fn environment(&self, function: &Value) -> Map<String, Value> {
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
    pub(crate) fn statements(&self, function: &Value) -> Vec<Value> {
        as_list(&function["Properties"]["Policies"])
            .iter()
            .flat_map(|p| as_list(&p["Statement"]))
            .collect()
    }

    /// A function property, from the function or else from Globals.
    pub(crate) fn function_property<'a>(&'a self, function: &'a Value, key: &str) -> &'a Value {
        let own = &function["Properties"][key];
        if own.is_null() {
            &self.0["Globals"]["Function"][key]
        } else {
            own
        }
    }
}

pub(crate) fn get_att(resource: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [resource, attribute] })
}

pub(crate) fn reference(id: &str) -> Value {
    json!({ "Ref": id })
}

pub(crate) fn as_list(value: &Value) -> Vec<Value> {
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

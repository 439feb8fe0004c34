//! The SAM template's grants held to `access`, offline: each function's IAM policy grants
//! exactly what `access::ACCESS` says it does to the store (on the table and, only where
//! needed, the GSI1 index); no function has a secret value in its environment, each gets
//! the ARNs and `secretsmanager:GetSecretValue` on exactly the secrets `access::SECRETS`
//! names; the mailer may send only as `MailFrom`.

use super::infra_template::{Template, as_list, get_att, reference};
use ecrm_core::access::{ACCESS, SECRETS, Secret, WORKER_ACCESS};
use serde_json::{Value, json};
use std::collections::BTreeSet;

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
        [
            "registration",
            "preferences",
            "quotes",
            "recommendations",
            "staff"
        ]
    );
    assert_eq!(
        holders(Secret::Origin),
        [
            "registration",
            "preferences",
            "quotes",
            "recommendations",
            "staff"
        ]
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

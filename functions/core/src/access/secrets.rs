//! The Secrets Manager secrets, and which function reads which.

/// A Secrets Manager secret a function reads once, at cold start. The template gives a
/// function the secret's ARN in [`Secret::arn_variable`] and `secretsmanager:GetSecretValue`
/// on that one secret, and nothing else of it: the value is never in an environment
/// variable, so `lambda:GetFunctionConfiguration` does not reveal it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// The server's one secret: signs session cookies, keys the hashes of sign-in codes
    /// and link tokens (`App::secret`).
    Server,
    /// The value CloudFront sends in `X-Origin-Verify` with every API request; a
    /// function refuses requests without it (they did not come through CloudFront).
    Origin,
}

impl Secret {
    /// The environment variable holding the secret's ARN in a deployed function.
    pub const fn arn_variable(self) -> &'static str {
        match self {
            Secret::Server => "ECRM_SECRET_ARN",
            Secret::Origin => "ECRM_ORIGIN_SECRET_ARN",
        }
    }

    /// The environment variable that may hold the value itself, for a run outside AWS
    /// (never set by the template).
    pub const fn value_variable(self) -> &'static str {
        match self {
            Secret::Server => "ECRM_SESSION_KEY",
            Secret::Origin => "ECRM_ORIGIN_SECRET",
        }
    }

    /// The `AWS::SecretsManager::Secret` resource in `infra/template.yaml`.
    pub const fn template_resource(self) -> &'static str {
        match self {
            Secret::Server => "SessionKeySecret",
            Secret::Origin => "OriginVerifySecret",
        }
    }
}

/// Per function, the secrets it reads. Every API function checks the origin header;
/// only the functions that sign or verify sessions or tokens read the server secret.
/// `recommendations` verifies sessions (events and a customer's recommendations).
pub const SECRETS: &[(&str, &[Secret])] = &[
    ("registration", &[Secret::Server, Secret::Origin]),
    ("preferences", &[Secret::Server, Secret::Origin]),
    ("quotes", &[Secret::Server, Secret::Origin]),
    ("recommendations", &[Secret::Server, Secret::Origin]),
    ("staff", &[Secret::Server, Secret::Origin]),
    // The mail worker renders and sends what the outbox item holds: no secret.
    ("mailer", &[]),
    // The recommendation worker reads events and writes neighbour lists: no secret.
    ("neighbours", &[]),
    // The escalation worker signs and verifies nothing.
    ("escalator", &[]),
];

/// The secrets `function` reads; `None` for a name not in [`crate::routes::FUNCTIONS`] or
/// [`crate::routes::WORKERS`].
pub fn secrets(function: &str) -> Option<&'static [Secret]> {
    SECRETS
        .iter()
        .find(|(name, _)| *name == function)
        .map(|(_, secrets)| *secrets)
}

//! The client's address, for per-client abuse limits. Only sources that a client
//! cannot forge are used: CloudFront's `CloudFront-Viewer-Address` (deployed, where the
//! origin check guarantees the request came through CloudFront) or the TCP peer (the
//! local runner). Anything else is "unknown", and per-client limits are then skipped
//! rather than shared by everyone.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

const VIEWER_ADDRESS: &str = "cloudfront-viewer-address";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// The address as a counter key (`None` when unknown).
    pub fn key(&self) -> Option<String> {
        self.0.map(|ip| ip.to_string())
    }
}

/// `203.0.113.9:46532` or `[2001:db8::1]:46532` as CloudFront writes it.
fn viewer_ip(value: &str) -> Option<IpAddr> {
    let host = value.rsplit_once(':').map_or(value, |(host, _)| host);
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_cloudfront = parts
            .headers
            .get(VIEWER_ADDRESS)
            .and_then(|v| v.to_str().ok())
            .and_then(viewer_ip);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientAddress(from_cloudfront.or(peer)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cloudfront_viewer_addresses() {
        assert_eq!(viewer_ip("203.0.113.9:46532"), "203.0.113.9".parse().ok());
        assert_eq!(viewer_ip("[2001:db8::1]:46532"), "2001:db8::1".parse().ok());
        assert_eq!(viewer_ip("nonsense"), None);
    }
}

//! The client's address, for per-client abuse limits. Only sources a client cannot
//! forge when deployed are used: `X-Viewer-IP`, which the CloudFront function in front
//! of the API sets from the viewer's address (overwriting any a viewer sends; the
//! origin check guarantees the request came through CloudFront), or CloudFront's own
//! `CloudFront-Viewer-Address`; locally, the TCP peer. Anything else is "unknown", and
//! per-client limits are then skipped rather than shared by everyone.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

const VIEWER_ADDRESS: &str = "cloudfront-viewer-address";
const VIEWER_IP: &str = "x-viewer-ip";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// The address as a counter key (`None` when unknown).
    pub fn key(&self) -> Option<String> {
        self.0.map(|ip| ip.to_string())
    }
}

/// A bare address (`198.51.100.7`, `2001:db8::1`), or one with a port as CloudFront
/// writes `CloudFront-Viewer-Address` (`203.0.113.9:46532`, `[2001:db8::1]:46532`).
fn viewer_ip(value: &str) -> Option<IpAddr> {
    let value = value.trim();
    if let Ok(ip) = value.parse() {
        return Some(ip);
    }
    let host = value.rsplit_once(':').map_or(value, |(host, _)| host);
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
                .and_then(viewer_ip)
        };
        let from_cloudfront = header(VIEWER_IP).or_else(|| header(VIEWER_ADDRESS));
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
        assert_eq!(viewer_ip("198.51.100.7"), "198.51.100.7".parse().ok());
        assert_eq!(viewer_ip("2001:db8::1"), "2001:db8::1".parse().ok());
    }
}

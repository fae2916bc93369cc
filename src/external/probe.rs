//! One request for one address, and what its answer means.
//!
//! HEAD first, since only the status matters; GET when a server refuses HEAD (400, 403, 405,
//! 501) or answers it with broken HTTP. Redirects are followed (at most [`MAX_REDIRECTS`]); the
//! body is never read. The answer is sorted into good, broken for sure (4xx, no such host,
//! connection refused, TLS failure) and worth another try (timeouts, dropped connections, 429,
//! 5xx), which [`super::schedule`] retries.

use std::io::ErrorKind;
use std::time::Duration;

use ureq::http::{HeaderMap, StatusCode};

use super::{Options, Verdict};

/// Redirects followed before an address counts as broken.
pub(crate) const MAX_REDIRECTS: u32 = 10;

/// The most of a request's time limit that connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What one request said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done(Verdict),
    /// Worth another try: why not now, and how long the server asked to wait (`Retry-After`).
    Retry {
        reason: String,
        help: &'static str,
        after: Option<Duration>,
    },
}

/// The HTTP client every request shares; it keeps connections open for the next request to
/// the same host.
pub(crate) fn agent(opts: &Options) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(opts.timeout))
        .timeout_connect(Some(opts.timeout.min(CONNECT_TIMEOUT)))
        .max_redirects(MAX_REDIRECTS)
        .user_agent(concat!(
            "briefing/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .new_agent()
}

/// Asks for `url` once (twice when HEAD is refused).
pub(crate) fn probe(agent: &ureq::Agent, url: &str) -> Outcome {
    let response = match agent.head(url).call() {
        Ok(r) if matches!(r.status().as_u16(), 400 | 403 | 405 | 501) => agent.get(url).call(),
        Err(ureq::Error::Protocol(_)) => agent.get(url).call(),
        other => other,
    };
    match response {
        Ok(r) => by_status(r.status(), r.headers()),
        Err(e) => by_error(e),
    }
}

fn by_status(status: StatusCode, headers: &HeaderMap) -> Outcome {
    let code = status.as_u16();
    let text = match status.canonical_reason() {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    };
    let after = || {
        headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, jiff::Timestamp::now()))
    };
    match code {
        429 => Outcome::Retry {
            reason: format!("the server answered {text}"),
            help: "the server limits how often it may be asked; run the check later, or lower \
                   --jobs and raise --host-delay",
            after: after(),
        },
        500..=599 => Outcome::Retry {
            reason: format!("the server answered {text}"),
            help: "the server has trouble right now; run the check again later",
            after: after(),
        },
        401 | 403 => Outcome::Done(Verdict::Broken {
            reason: format!("the server answered {text}"),
            help: "the page needs a login or refuses automated checks; if it opens in a \
                   browser, link a public copy instead",
        }),
        400..=499 => Outcome::Done(Verdict::Broken {
            reason: format!("the server answered {text}"),
            help: "the page is gone or moved: update the URL, or link an archived copy",
        }),
        _ => Outcome::Done(Verdict::Ok),
    }
}

fn by_error(error: ureq::Error) -> Outcome {
    let broken = |reason: String, help| Outcome::Done(Verdict::Broken { reason, help });
    let retry = |reason: &str| Outcome::Retry {
        reason: reason.to_string(),
        help: "the server may be slow or down; raise --timeout or run the check again later",
        after: None,
    };
    match error {
        ureq::Error::Timeout(_) => retry("timed out"),
        ureq::Error::HostNotFound => broken(
            "no such host".into(),
            "check the domain name; the site may have shut down",
        ),
        ureq::Error::Io(e) => by_io_error(&e),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => broken(
            format!("TLS failed ({error})"),
            "the site's certificate or encryption is broken; try the page in a browser",
        ),
        ureq::Error::TooManyRedirects => broken(
            format!("more than {MAX_REDIRECTS} redirects"),
            "the address redirects in a loop; link the page it should end at",
        ),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => broken(
            "not a valid URL".into(),
            "write a full address like https://example.org/article",
        ),
        ureq::Error::Protocol(_) | ureq::Error::ConnectionFailed => {
            retry(&format!("the connection failed ({error})"))
        }
        other => Outcome::Done(Verdict::Unchecked {
            reason: other.to_string(),
            help: "run the check again; if it persists, try the page in a browser",
        }),
    }
}

fn by_io_error(e: &std::io::Error) -> Outcome {
    let retry = |reason: String| Outcome::Retry {
        reason,
        help: "the server may be slow or down; raise --timeout or run the check again later",
        after: None,
    };
    match e.kind() {
        ErrorKind::ConnectionRefused => Outcome::Done(Verdict::Broken {
            reason: "connection refused".into(),
            help: "nothing answers at that address; the site may have shut down",
        }),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => retry("timed out".into()),
        ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe
        | ErrorKind::UnexpectedEof
        | ErrorKind::Interrupted
        | ErrorKind::NotConnected => retry(format!("the connection was dropped ({e})")),
        _ => {
            // Name lookup failures arrive as uncategorized I/O errors with the resolver's text.
            let text = e.to_string();
            let lookup = text.contains("lookup") || text.contains("resolve");
            if lookup && !text.contains("emporar") {
                Outcome::Done(Verdict::Broken {
                    reason: format!("no such host ({text})"),
                    help: "check the domain name; the site may have shut down",
                })
            } else {
                retry(text)
            }
        }
    }
}

/// A `Retry-After` value: seconds, or an HTTP date.
fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    let at = PARSER.parse_timestamp(value).ok()?;
    let wait = at.duration_since(now);
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now: jiff::Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 01 Jan 2025 00:01:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Tue, 31 Dec 2024 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn statuses_are_sorted() {
        let none = HeaderMap::new();
        let of = |code| by_status(StatusCode::from_u16(code).unwrap(), &none);
        assert_eq!(of(200), Outcome::Done(Verdict::Ok));
        assert!(
            matches!(of(404), Outcome::Done(Verdict::Broken { reason, .. }) if reason.contains("404 Not Found"))
        );
        assert!(matches!(of(410), Outcome::Done(Verdict::Broken { .. })));
        assert!(matches!(of(429), Outcome::Retry { .. }));
        assert!(matches!(of(503), Outcome::Retry { .. }));
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "3".parse().unwrap());
        assert!(matches!(
            by_status(StatusCode::SERVICE_UNAVAILABLE, &headers),
            Outcome::Retry { after: Some(d), .. } if d == Duration::from_secs(3)
        ));
    }
}

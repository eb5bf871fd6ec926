//! A client of the router that keeps its session cookie like a browser, and what it
//! reads back.

use std::net::SocketAddr;

use are::router::SESSION_COOKIE;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use uuid::Uuid;

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

pub struct Client {
    router: Router,
    pub cookie: Option<String>,
    ip: String,
}

impl Client {
    pub(super) fn new(router: Router) -> Self {
        Self {
            router,
            cookie: None,
            ip: "203.0.113.7".into(),
        }
    }

    pub fn with_ip(mut self, ip: &str) -> Self {
        self.ip = ip.into();
        self
    }

    pub async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let mut request = request;
        let addr: SocketAddr = format!("{}:40000", self.ip).parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        if let Some(cookie) = &self.cookie {
            request.headers_mut().insert(
                header::COOKIE,
                format!("{SESSION_COOKIE}={cookie}").parse().unwrap(),
            );
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let set_cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with(&format!("{SESSION_COOKIE}=")));
        if let Some(cookie) = &set_cookie {
            let value = cookie
                .split(';')
                .next()
                .unwrap()
                .trim_start_matches(&format!("{SESSION_COOKIE}="))
                .to_string();
            let removed = value.is_empty() || cookie.contains("Max-Age=0");
            self.cookie = (!removed).then_some(value);
        }
        let body = String::from_utf8(
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap();
        TestResponse {
            status,
            location,
            set_cookie,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Calls a server function as the app's own pages do (same-origin, JSON answer).
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(format!("/api/{endpoint}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Calls a server function that takes JSON (the test island's autosave and submit).
    pub async fn call_json(&mut self, endpoint: &str, body: serde_json::Value) -> TestResponse {
        self.send(
            Request::post(format!("/api/{endpoint}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// Posts one file as the form field `file` to a server function, as a browser's
    /// upload form does.
    pub async fn upload(
        &mut self,
        endpoint: &str,
        filename: &str,
        content_type: &str,
        content: &[u8],
    ) -> TestResponse {
        let boundary = "are-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(format!("/api/{endpoint}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> TestResponse {
        self.call("auth/sign_in", &[("email", email), ("password", password)])
            .await
    }

    /// Puts the candidate into the requisition's pipeline, as the profile's form does.
    pub async fn add_to_pipeline(&mut self, candidate: Uuid, requisition: Uuid) {
        let added = self
            .call(
                "pipeline/add",
                &[
                    ("candidate_id", &candidate.to_string()),
                    ("requisition_id", &requisition.to_string()),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    }
}

fn encode(value: &str) -> String {
    app::ui::query::encode_query_value(value).replace('/', "%2F")
}

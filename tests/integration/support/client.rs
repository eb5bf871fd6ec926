//! A client of the router that keeps its session cookie like a browser, and what it
//! reads back.

use std::net::SocketAddr;

use app::auth::SignIn;
use app::pipeline::AddToPipeline;
use are::router::SESSION_COOKIE;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde::Serialize;
use server_fn::codec::{Json, PostUrl};
use server_fn::{ContentType, Http, ServerFn};
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
    user_agent: Option<String>,
}

impl Client {
    pub(super) fn new(router: Router) -> Self {
        Self {
            router,
            cookie: None,
            ip: "203.0.113.7".into(),
            user_agent: None,
        }
    }

    pub fn with_ip(mut self, ip: &str) -> Self {
        self.ip = ip.into();
        self
    }

    /// Sends this `User-Agent` with every request, as a browser does.
    pub fn with_user_agent(mut self, user_agent: &str) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends the next requests to `router` (another server process), with the same cookie.
    pub fn switch_to(&mut self, router: Router) {
        self.router = router;
    }

    pub async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let mut request = request;
        if let Some(agent) = &self.user_agent {
            request
                .headers_mut()
                .insert(header::USER_AGENT, agent.parse().unwrap());
        }
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
        // A download's bytes need not be text: compare those by their length or digest.
        let body =
            String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes())
                .into_owned();
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

    /// Calls the server function `F` with these arguments as the app's own pages do:
    /// same-origin, encoded as its protocol says, answered in JSON.
    pub async fn call<F>(&mut self, args: F) -> TestResponse
    where
        F: ServerFn + Serialize,
        F::Protocol: Encoding,
    {
        self.send_call(&Call::new(args)).await
    }

    /// Sends a call built beforehand (see `Call`).
    pub async fn send_call(&mut self, call: &Call) -> TestResponse {
        self.post(call.path, call.content_type, call.body.clone())
            .await
    }

    /// Posts form fields as they are to the server function at `path` (`F::PATH`), for
    /// what its typed arguments cannot say: a checkbox list with gaps, or another
    /// function's fields posted beside its own by a shared form.
    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.post(path, PostUrl::CONTENT_TYPE, body.into_bytes())
            .await
    }

    /// Posts form fields to the server function at `path` as a browser without JavaScript
    /// does from the page at `referer` (a full URL): the answer is a redirect, back to that
    /// page when the call failed (with the message in its query).
    pub async fn post_page_form(
        &mut self,
        path: &str,
        referer: &str,
        form: &[(&str, &str)],
    ) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, PostUrl::CONTENT_TYPE)
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::REFERER, referer)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Posts one file as the form field `file` to the server function `F`, as a
    /// browser's upload form does.
    pub async fn upload<F: ServerFn>(
        &mut self,
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
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.post(F::PATH, &content_type, body).await
    }

    async fn post(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> TestResponse {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Posts a multipart form to `path`: the text `fields`, then the files (field name,
    /// file name, bytes). A server function (`/api/…`) answers in JSON, as to the form
    /// island's background submit; any other route as to a browser without JavaScript.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let boundary = "are-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(path)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(
                    header::ACCEPT,
                    if path.starts_with("/api/") {
                        "application/json"
                    } else {
                        "text/html"
                    },
                )
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> TestResponse {
        self.call(SignIn {
            email: email.into(),
            password: password.into(),
            next: None,
        })
        .await
    }

    /// Puts the candidate into the requisition's pipeline, as the profile's form does.
    pub async fn add_to_pipeline(&mut self, candidate: Uuid, requisition: Uuid) {
        let added = self
            .call(AddToPipeline {
                candidate_id: candidate,
                requisition_id: requisition.to_string(),
            })
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    }
}

/// A server function's call built from its typed arguments, to be sent more than once:
/// a permission matrix sends each call as several people.
pub struct Call {
    pub path: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Call {
    pub fn new<F>(args: F) -> Self
    where
        F: ServerFn + Serialize,
        F::Protocol: Encoding,
    {
        Self {
            path: F::PATH,
            content_type: <F::Protocol as Encoding>::CONTENT_TYPE,
            body: <F::Protocol as Encoding>::encode(&args),
        }
    }
}

/// How a server function's arguments travel in the request body, by the input encoding
/// of its protocol: what server_fn's own client does in the browser.
pub trait Encoding {
    const CONTENT_TYPE: &'static str;
    fn encode<T: Serialize>(args: &T) -> Vec<u8>;
}

/// Form fields, nested ones as `form[title]`, lists as `ids[0]`: serde_qs, which
/// server_fn uses on both ends.
impl<Output> Encoding for Http<PostUrl, Output> {
    const CONTENT_TYPE: &'static str = PostUrl::CONTENT_TYPE;
    fn encode<T: Serialize>(args: &T) -> Vec<u8> {
        serde_qs::to_string(args).unwrap().into_bytes()
    }
}

impl<Output> Encoding for Http<Json, Output> {
    const CONTENT_TYPE: &'static str = Json::CONTENT_TYPE;
    fn encode<T: Serialize>(args: &T) -> Vec<u8> {
        serde_json::to_vec(args).unwrap()
    }
}

fn encode(value: &str) -> String {
    app::ui::query::encode_query_value(value).replace('/', "%2F")
}

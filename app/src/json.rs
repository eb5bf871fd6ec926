//! Reading JSON in the browser with no JSON library in the WASM: what the browser's own
//! `JSON.parse` made of a reply, read through [`JsonValue`] (also implemented for
//! serde_json's `Value` in tests, so both readings are held to the same JSON: the test
//! page's `wire.rs` tests hold `app_error` to every error serde writes). The
//! islands read the server's replies this way, which keeps serde_json's parser, its error
//! messages and their number formatting out of both bundles.

use crate::error::AppError;

/// A parsed JSON value, as much of it as the islands read.
pub trait JsonValue: Sized {
    /// An object's field (`None` when absent, or when this is not an object).
    fn field(&self, name: &str) -> Option<Self>;
    fn string(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn boolean(&self) -> Option<bool>;
    /// An array's items (`None` when this is not an array).
    fn items(&self) -> Option<Vec<Self>>;
    fn is_null(&self) -> bool;
}

/// The `AppError` a refusal carries (serde's encoding: `"Forbidden"`, `{"Invalid":"…"}`),
/// told by its status; the message is the server's when the variant has one.
pub fn app_error(status: u16, value: &impl JsonValue) -> AppError {
    let message = |name: &str| {
        value
            .field(name)
            .and_then(|v| v.string())
            .unwrap_or_default()
    };
    let minutes = |name: &str| value.field(name).and_then(|v| v.number()).unwrap_or(1.0) as u32;
    match status {
        401 => AppError::Unauthenticated,
        403 => AppError::Forbidden,
        404 => AppError::NotFound,
        409 => AppError::Closed(message("Closed")),
        422 => AppError::Invalid(message("Invalid")),
        429 if value.field("SignInPaused").is_some() => {
            AppError::SignInPaused(minutes("SignInPaused"))
        }
        429 => AppError::RateLimited(minutes("RateLimited")),
        _ => AppError::Internal,
    }
}

#[cfg(feature = "hydrate")]
pub use browser::parse;

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Array, Reflect, JSON};
    use wasm_bindgen::JsValue;

    use super::JsonValue;

    /// The browser's reading of `json` (`undefined` when it is not JSON).
    pub fn parse(json: &str) -> JsValue {
        JSON::parse(json).unwrap_or(JsValue::UNDEFINED)
    }

    impl JsonValue for JsValue {
        fn field(&self, name: &str) -> Option<Self> {
            if !self.is_object() {
                return None;
            }
            Reflect::get(self, &JsValue::from_str(name))
                .ok()
                .filter(|value| !value.is_undefined())
        }

        fn string(&self) -> Option<String> {
            self.as_string()
        }

        fn number(&self) -> Option<f64> {
            self.as_f64()
        }

        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }

        fn items(&self) -> Option<Vec<Self>> {
            Array::is_array(self).then(|| Array::from(self).iter().collect())
        }

        fn is_null(&self) -> bool {
            JsValue::is_null(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::JsonValue;

    impl JsonValue for Value {
        fn field(&self, name: &str) -> Option<Self> {
            self.get(name).cloned()
        }

        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_string)
        }

        fn number(&self) -> Option<f64> {
            self.as_f64()
        }

        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }

        fn items(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }

        fn is_null(&self) -> bool {
            Value::is_null(self)
        }
    }
}

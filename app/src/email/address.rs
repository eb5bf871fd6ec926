//! An email address that passed the checks at the edge; it cannot be built otherwise:
//! deserializing one runs the same checks (`try_from`).

use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub struct EmailAddress(String);

impl TryFrom<String> for EmailAddress {
    type Error = AppError;

    fn try_from(value: String) -> Result<Self, AppError> {
        Self::parse(&value)
    }
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let address = input.trim();
        let invalid = || AppError::invalid(format!("“{address}” is not a valid email address."));
        if address.is_empty() {
            return Err(AppError::invalid("Enter an email address."));
        }
        if address.len() > 254 || address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = address.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.contains('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(address.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass_and_are_trimmed() {
        assert_eq!(
            EmailAddress::parse(" ada@example.com ").unwrap().as_str(),
            "ada@example.com"
        );
        assert!(EmailAddress::parse("first.last+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_message() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@example.com",
            "ada@example..com",
            "ada@.example.com",
        ] {
            let error = EmailAddress::parse(bad).unwrap_err();
            assert!(matches!(error, AppError::Invalid(_)), "{bad}: {error:?}");
        }
    }

    #[test]
    fn deserializing_checks_the_address_too() {
        let good: EmailAddress = serde_json::from_str("\" ada@example.com \"").unwrap();
        assert_eq!(good.as_str(), "ada@example.com");
        assert!(serde_json::from_str::<EmailAddress>("\"not an address\"").is_err());
        assert_eq!(serde_json::to_string(&good).unwrap(), "\"ada@example.com\"");
    }
}

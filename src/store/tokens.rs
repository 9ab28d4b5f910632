//! API bearer tokens: the secret is shown once; only its sha256 is stored.

use super::Store;
use super::db::{Ts, on_pool};
use super::error::{StoreError, query};
use super::model::{Role, TokenInfo};
use super::runs::parse_text;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;
use subtle::ConstantTimeEq;

/// Tokens look like `dct_` + 64 hex digits (256 random bits), easy to spot in
/// a leaked config or a secret scanner.
const PREFIX: &str = "dct_";

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl Store {
    /// Creates a token and returns its secret: shown once, never stored.
    pub async fn create_token(&self, role: Role, label: &str) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Query {
            op: "create a token",
            source: sqlx::Error::Protocol(format!("no randomness from the OS: {e}")),
        })?;
        let secret = format!("{PREFIX}{}", hex::encode(bytes));
        let now = self.now().await?;
        on_pool!(self, pool, d => {
            sqlx::query(
                "INSERT INTO api_tokens (token_sha256, role, label, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(hash(&secret))
            .bind(role.as_str())
            .bind(label)
            .bind(Ts(now))
            .execute(pool)
            .await
            .map_err(query("create a token"))?;
        });
        Ok(secret)
    }

    /// The role of a live token with this secret, `None` for anything else.
    /// Looks up by hash, then compares the hashes in constant time.
    pub async fn verify_token(&self, secret: &str) -> Result<Option<Role>, StoreError> {
        Ok(self.identify_token(secret).await?.map(|t| t.role))
    }

    /// The live token with this secret (id, role, label: who acted, for the
    /// audit trail), `None` for anything else. Looks up by hash, then compares
    /// the hashes in constant time.
    pub async fn identify_token(&self, secret: &str) -> Result<Option<TokenInfo>, StoreError> {
        let presented = hash(secret.trim());
        let row: Option<(String, String, i64, String, DateTime<Utc>)> = on_pool!(self, pool, d => {
            sqlx::query_as(
                "SELECT token_sha256, role, id, label, created_at FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL",
            )
            .bind(&presented)
            .fetch_optional(pool)
            .await
            .map_err(query("verify a token"))?
        });
        let Some((stored, role, id, label, created_at)) = row else {
            return Ok(None);
        };
        if !bool::from(stored.as_bytes().ct_eq(presented.as_bytes())) {
            return Ok(None);
        }
        Ok(Some(TokenInfo {
            id,
            role: parse_text("api_tokens.role", &role)?,
            label,
            created_at,
            revoked_at: None,
        }))
    }

    /// Every token ever created, newest first (never secrets or hashes).
    pub async fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        on_pool!(self, pool, d => {
            let rows = sqlx::query(
                "SELECT id, role, label, created_at, revoked_at FROM api_tokens ORDER BY id DESC",
            )
            .fetch_all(pool)
            .await
            .map_err(query("list tokens"))?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let read = |e| StoreError::Query { op: "read api_tokens", source: e };
                let role: String = row.try_get("role").map_err(read)?;
                out.push(TokenInfo {
                    id: row.try_get("id").map_err(read)?,
                    role: parse_text("api_tokens.role", &role)?,
                    label: row.try_get("label").map_err(read)?,
                    created_at: row.try_get("created_at").map_err(read)?,
                    revoked_at: row.try_get("revoked_at").map_err(read)?,
                });
            }
            Ok(out)
        })
    }

    /// Revokes a token by id; `false` if there is no such live token.
    pub async fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        let now = self.now().await?;
        let n = on_pool!(self, pool, d => {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(Ts(now))
                .bind(id)
                .execute(pool)
                .await
                .map_err(query("revoke a token"))?
                .rows_affected()
        });
        Ok(n == 1)
    }
}

-- The URL of a slack/teams/discord/webhook subscription carries its own credential: it is kept
-- sealed by core/secrets (AAD = the subscription ARN), while `endpoint` holds only a masked
-- form with a keyed fingerprint (services/topics/secret-endpoints.ts). Rows written before this
-- migration are sealed by the topics service when it starts (they cannot be sealed in SQL).
ALTER TABLE sns_subscriptions ADD COLUMN endpoint_sealed TEXT;

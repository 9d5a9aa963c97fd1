-- Sign-in attempts, counted per username and per client address over a sliding window, shared
-- by every server on the database (SQLite's migration 0008).
CREATE TABLE sign_in_attempts (
    id BIGSERIAL PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('username', 'address')),
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts(scope, key, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts(at);

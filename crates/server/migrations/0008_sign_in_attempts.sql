-- Sign-in attempts, counted per username and per client address over a sliding window: kept
-- in the database (they were in each server's memory) so that every server on one database
-- counts them together. An attempt is recorded when it starts and deleted when it succeeds.
CREATE TABLE sign_in_attempts (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('username', 'address')),
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts(scope, key, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts(at);

-- Files of call records imported from the browser: each import's audit (who, when, the file's
-- name and hash, how it was read, what it did) and its job's progress, so an interrupted
-- commit resumes after its last batch. The staged file itself is kept under the import's id.
CREATE TABLE imports (
    id BIGSERIAL PRIMARY KEY,
    by_user BIGINT NOT NULL REFERENCES users(id),
    at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('staged', 'checking', 'checked', 'committing', 'committed', 'cancelled', 'failed')),
    source TEXT NOT NULL,
    -- The reading settings, the file's report and the two tallies, as JSON.
    reading TEXT NOT NULL,
    file_report TEXT,
    dry_run TEXT,
    committed TEXT,
    done BIGINT NOT NULL,
    total BIGINT NOT NULL,
    batches_done BIGINT NOT NULL,
    failure TEXT NOT NULL,
    revision BIGINT NOT NULL,
    finished_at TEXT
);
CREATE INDEX imports_by ON imports (by_user, id);
CREATE INDEX imports_running ON imports (state) WHERE state IN ('checking', 'committing');

-- Files of call records imported from the browser: each import's audit (who, when, the file's
-- name and hash, how it was read, what it did) and its job's progress, so an interrupted
-- commit resumes after its last batch. The staged file itself is kept under the import's id.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    by_user INTEGER NOT NULL REFERENCES users(id),
    at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('staged', 'checking', 'checked', 'committing', 'committed', 'cancelled', 'failed')),
    source TEXT NOT NULL,
    -- The reading settings, the file's report and the two tallies, as JSON.
    reading TEXT NOT NULL,
    file_report TEXT,
    dry_run TEXT,
    committed TEXT,
    done INTEGER NOT NULL,
    total INTEGER NOT NULL,
    batches_done INTEGER NOT NULL,
    failure TEXT NOT NULL,
    revision INTEGER NOT NULL,
    finished_at TEXT
);
CREATE INDEX imports_by ON imports (by_user, id);
CREATE INDEX imports_running ON imports (state) WHERE state IN ('checking', 'committing');

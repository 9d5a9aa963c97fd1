-- Kappa's first schema: people, calls and the QA records that later features fill in.
-- Times are ISO-8601 text in the contact centre's local time, so they sort and compare as text.

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    lead_id INTEGER REFERENCES users(id)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'reviewer', 'agent')),
    team_id INTEGER REFERENCES teams(id),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);

-- Only a hash of the session token is stored: a leaked database does not leak live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    duration_s INTEGER NOT NULL CHECK (duration_s >= 0),
    agent_id INTEGER NOT NULL REFERENCES users(id),
    team_id INTEGER NOT NULL REFERENCES teams(id),
    queue TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    disposition TEXT NOT NULL,
    csat INTEGER CHECK (csat BETWEEN 1 AND 5),
    complaint INTEGER NOT NULL CHECK (complaint IN (0, 1)),
    language TEXT NOT NULL,
    customer_ref TEXT NOT NULL,
    recording TEXT
);
CREATE INDEX calls_started_at ON calls(started_at, id);
CREATE INDEX calls_agent ON calls(agent_id, started_at);
CREATE INDEX calls_team ON calls(team_id, started_at);

CREATE TABLE transcript_lines (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    speaker TEXT NOT NULL CHECK (speaker IN ('agent', 'customer')),
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE scorecards (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL, -- JSON {"en": …, "zh": …}, as in the definition
    archived_at TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);

-- A draft row is edited in place (guarded by lock_version); publishing freezes it for ever.
CREATE TABLE scorecard_versions (
    id INTEGER PRIMARY KEY,
    scorecard_id INTEGER NOT NULL REFERENCES scorecards(id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    definition TEXT NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    UNIQUE (scorecard_id, version)
);

CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id),
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    agent_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    score REAL,
    passed INTEGER,
    created_at TEXT NOT NULL,
    submitted_at TEXT
);
CREATE INDEX evaluations_agent ON evaluations(agent_id, submitted_at);
CREATE INDEX evaluations_call ON evaluations(call_id);

CREATE TABLE answers (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    criterion_key TEXT NOT NULL,
    value TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (evaluation_id, criterion_key)
);

CREATE TABLE sampling_plans (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    rules TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES sampling_plans(id),
    call_id INTEGER NOT NULL REFERENCES calls(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'skipped')),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX assignments_reviewer ON assignments(reviewer_id, status);

CREATE TABLE calibration_sessions (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id),
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    facilitator_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'open', 'closed')),
    scheduled_at TEXT NOT NULL
);

CREATE TABLE calibration_participants (
    session_id INTEGER NOT NULL REFERENCES calibration_sessions(id) ON DELETE CASCADE,
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    evaluation_id INTEGER REFERENCES evaluations(id),
    PRIMARY KEY (session_id, reviewer_id)
);

CREATE TABLE coaching_notes (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES users(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    evaluation_id INTEGER REFERENCES evaluations(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT
);

CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
    raised_by INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    resolution TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

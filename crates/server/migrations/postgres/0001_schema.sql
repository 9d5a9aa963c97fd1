-- Kappa's schema on PostgreSQL: the SQLite schema as its migrations leave it (0001 to 0007),
-- in PostgreSQL's types. Instants and JSON documents stay text in the same spelling, so both
-- databases hold the same rows and a centre moves between them row for row.
-- Integers are BIGINT throughout (the store binds 64-bit integers), flags are BOOLEAN.

-- A row written without an id (NULL, as the store's writers send for "the database's to
-- give") takes the next one from its table's sequence.
CREATE FUNCTION kappa_fill_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := nextval(pg_get_serial_sequence(TG_TABLE_NAME, 'id'));
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    lead_id BIGINT
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'reviewer', 'agent')),
    team_id BIGINT REFERENCES teams(id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
);
ALTER TABLE teams ADD FOREIGN KEY (lead_id) REFERENCES users(id);

-- Only a hash of the session token is stored: a leaked database does not leak live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE calls (
    id BIGSERIAL PRIMARY KEY,
    started_at TEXT NOT NULL,
    duration_s BIGINT NOT NULL CHECK (duration_s >= 0),
    agent_id BIGINT NOT NULL REFERENCES users(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    queue TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    disposition TEXT NOT NULL,
    csat BIGINT CHECK (csat BETWEEN 1 AND 5),
    complaint BOOLEAN NOT NULL,
    language TEXT NOT NULL,
    customer_ref TEXT NOT NULL,
    recording TEXT
);
CREATE INDEX calls_started_at ON calls(started_at, id);
CREATE INDEX calls_agent ON calls(agent_id, started_at);
CREATE INDEX calls_team ON calls(team_id, started_at);

CREATE TABLE transcript_lines (
    call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    speaker TEXT NOT NULL CHECK (speaker IN ('agent', 'customer')),
    start_ms BIGINT NOT NULL,
    end_ms BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE scorecards (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL, -- JSON {"en": …, "zh": …}, as in the definition
    archived_at TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);

-- A draft row is edited in place (guarded by lock_version); publishing freezes it for ever.
CREATE TABLE scorecard_versions (
    id BIGSERIAL PRIMARY KEY,
    scorecard_id BIGINT NOT NULL REFERENCES scorecards(id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    definition TEXT NOT NULL,
    lock_version BIGINT NOT NULL DEFAULT 0,
    published_at TEXT,
    UNIQUE (scorecard_id, version)
);

CREATE TABLE evaluations (
    id BIGSERIAL PRIMARY KEY,
    call_id BIGINT NOT NULL REFERENCES calls(id),
    scorecard_version_id BIGINT NOT NULL REFERENCES scorecard_versions(id),
    scorecard_id BIGINT NOT NULL REFERENCES scorecards(id),
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    agent_id BIGINT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'duplicate')),
    score DOUBLE PRECISION,
    passed BOOLEAN,
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    notes TEXT NOT NULL DEFAULT '{}',
    feedback TEXT NOT NULL DEFAULT '',
    seen_at TEXT,
    acknowledged_at TEXT,
    draft_revision BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX evaluations_agent ON evaluations(agent_id, submitted_at);
CREATE INDEX evaluations_call ON evaluations(call_id);
-- One submitted evaluation per reviewer, call and scorecard (issue #19).
CREATE UNIQUE INDEX evaluations_one_per_card ON evaluations(call_id, reviewer_id, scorecard_id) WHERE status = 'submitted';

CREATE TABLE answers (
    evaluation_id BIGINT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    criterion_key TEXT NOT NULL,
    value TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (evaluation_id, criterion_key)
);

CREATE TABLE coaching_notes (
    id BIGSERIAL PRIMARY KEY,
    agent_id BIGINT NOT NULL REFERENCES users(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    evaluation_id BIGINT REFERENCES evaluations(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TABLE sampling_plans (
    id BIGSERIAL PRIMARY KEY,
    -- The plan as the lead wrote it (`PlanSpec` as JSON): checked by the domain before it is kept.
    spec TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE plan_runs (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES sampling_plans(id),
    number BIGINT NOT NULL,
    -- The run's 64-bit seed, stored bit for bit in a signed integer.
    seed BIGINT NOT NULL,
    run_on TEXT NOT NULL,
    window_from TEXT,
    window_to TEXT,
    scorecard_version_id BIGINT NOT NULL REFERENCES scorecard_versions(id),
    population BIGINT NOT NULL,
    requested BIGINT NOT NULL,
    sampled BIGINT NOT NULL,
    due TEXT NOT NULL,
    strata TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

CREATE TABLE assignments (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES sampling_plans(id),
    run_id BIGINT NOT NULL REFERENCES plan_runs(id),
    call_id BIGINT NOT NULL REFERENCES calls(id),
    agent_id BIGINT NOT NULL REFERENCES users(id),
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    stratum TEXT NOT NULL,
    rule TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'replaced')),
    reason TEXT,
    replaces BIGINT REFERENCES assignments(id),
    evaluation_id BIGINT REFERENCES evaluations(id)
);
CREATE INDEX assignments_queue ON assignments(reviewer_id, status, due, id);
CREATE INDEX assignments_plan ON assignments(plan_id, status, due, id);
CREATE INDEX assignments_run ON assignments(run_id);
CREATE INDEX assignments_call ON assignments(call_id, status);

CREATE TABLE score_history (
    id BIGSERIAL PRIMARY KEY,
    evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
    kind TEXT NOT NULL CHECK (kind IN ('submitted', 'amended', 'dispute_ruled')),
    actor_id BIGINT NOT NULL REFERENCES users(id),
    at TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    passed BOOLEAN NOT NULL,
    reason TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX score_history_evaluation ON score_history(evaluation_id, id);

CREATE TABLE disputes (
    id BIGSERIAL PRIMARY KEY,
    evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
    agent_id BIGINT NOT NULL REFERENCES users(id),
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    raised_at TEXT NOT NULL,
    -- The points (`Vec<DisputePoint>`) and the ruling (`Ruling`), as JSON, checked by the domain.
    points TEXT NOT NULL,
    ruling TEXT
);
CREATE INDEX disputes_evaluation ON disputes(evaluation_id);
CREATE INDEX disputes_agent ON disputes(agent_id, raised_at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE calibration_sessions (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    scorecard_version_id BIGINT NOT NULL REFERENCES scorecard_versions(id),
    -- The calls and participants in order (`Vec<u32>`, JSON).
    call_ids TEXT NOT NULL,
    participants TEXT NOT NULL,
    calibrator_id BIGINT REFERENCES users(id),
    deadline TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('blind', 'after_submit')),
    threshold DOUBLE PRECISION NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    revealed_at TEXT,
    -- `Consensus` as JSON, checked by the domain.
    consensus TEXT,
    -- The session's report as its reveal or latest consensus computed it.
    report TEXT
);

CREATE TABLE calibration_scores (
    session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),
    call_id BIGINT NOT NULL REFERENCES calls(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    answers TEXT NOT NULL,
    notes TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    submitted_at TEXT NOT NULL,
    late BOOLEAN NOT NULL,
    PRIMARY KEY (session_id, call_id, user_id)
);

CREATE TABLE review_drafts (
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    call_id BIGINT NOT NULL REFERENCES calls(id),
    calibration_id BIGINT NOT NULL DEFAULT 0,
    scorecard_version_id BIGINT NOT NULL REFERENCES scorecard_versions(id),
    content TEXT NOT NULL,
    revision BIGINT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (reviewer_id, call_id, calibration_id)
);

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['teams', 'users', 'calls', 'scorecards', 'scorecard_versions',
        'evaluations', 'coaching_notes', 'audit_log', 'sampling_plans', 'plan_runs',
        'assignments', 'score_history', 'disputes', 'calibration_sessions']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION kappa_fill_id()', t || '_id', t);
    END LOOP;
END $$;

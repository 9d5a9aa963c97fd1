-- Coaching: sessions between a coach and an agent, notes (alone, on an evaluation, or in a
-- session), and the action items they agree. The first migration's placeholder
-- `coaching_notes` table was never written to: it is replaced.
DROP TABLE IF EXISTS coaching_notes;

CREATE TABLE coaching_sessions (
    id BIGSERIAL PRIMARY KEY,
    agent_id BIGINT NOT NULL REFERENCES users(id),
    coach_id BIGINT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'delivered', 'acknowledged', 'closed')),
    -- The focus criteria (`Vec<CriterionRef>`) and linked evaluation ids, as JSON.
    focus TEXT NOT NULL,
    evaluation_ids TEXT NOT NULL,
    scheduled_for TEXT,
    summary TEXT NOT NULL,
    period_days BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    acknowledged_at TEXT,
    comment TEXT NOT NULL,
    closed_at TEXT,
    revision BIGINT NOT NULL,
    client_key TEXT NOT NULL,
    -- The sampling plan drawing the agent's calls since the session.
    follow_up_plan BIGINT REFERENCES sampling_plans(id),
    UNIQUE (coach_id, client_key)
);
CREATE INDEX coaching_sessions_agent ON coaching_sessions(agent_id);

CREATE TABLE coaching_notes (
    id BIGSERIAL PRIMARY KEY,
    agent_id BIGINT NOT NULL REFERENCES users(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    session_id BIGINT REFERENCES coaching_sessions(id),
    evaluation_id BIGINT REFERENCES evaluations(id),
    -- Criterion keys and moments (`Vec<Moment>`), as JSON.
    criteria TEXT NOT NULL,
    moments TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('praise', 'improvement', 'follow_up')),
    body TEXT NOT NULL,
    private BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    comment TEXT NOT NULL,
    client_key TEXT NOT NULL,
    UNIQUE (author_id, client_key)
);
CREATE INDEX coaching_notes_agent ON coaching_notes(agent_id);

CREATE TABLE action_items (
    id BIGSERIAL PRIMARY KEY,
    agent_id BIGINT NOT NULL REFERENCES users(id),
    session_id BIGINT REFERENCES coaching_sessions(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    owner TEXT NOT NULL CHECK (owner IN ('agent', 'coach')),
    text TEXT NOT NULL,
    due TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'done', 'dropped')),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    client_key TEXT NOT NULL,
    UNIQUE (created_by, client_key)
);
CREATE INDEX action_items_agent ON action_items(agent_id);


-- "Seen" markers on notices that no record's state clears (a ruled dispute, a note, an item
-- falling due): one per person and item.
CREATE TABLE seen_marks (
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('evaluation', 'note', 'session', 'action_due', 'dispute_ruled', 'calibration')),
    item_id BIGINT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, item_id)
);

CREATE TRIGGER coaching_sessions_id BEFORE INSERT ON coaching_sessions FOR EACH ROW EXECUTE FUNCTION kappa_fill_id();
CREATE TRIGGER coaching_notes_id BEFORE INSERT ON coaching_notes FOR EACH ROW EXECUTE FUNCTION kappa_fill_id();
CREATE TRIGGER action_items_id BEFORE INSERT ON action_items FOR EACH ROW EXECUTE FUNCTION kappa_fill_id();

-- Reviewing calls: notes and feedback on evaluations, what their agents did with them, drafts
-- kept while reviewers work, every score an evaluation has had, and disputes. The first
-- migration's placeholder `disputes` table was never written to: it is replaced.
ALTER TABLE evaluations ADD COLUMN notes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE evaluations ADD COLUMN feedback TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluations ADD COLUMN seen_at TEXT;
ALTER TABLE evaluations ADD COLUMN acknowledged_at TEXT;

-- One draft per reviewer and call; `revision` guards against two editors overwriting each other.
CREATE TABLE review_drafts (
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    call_id INTEGER NOT NULL REFERENCES calls(id),
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    content TEXT NOT NULL,
    revision INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (reviewer_id, call_id)
);

CREATE TABLE score_history (
    id INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
    kind TEXT NOT NULL CHECK (kind IN ('submitted', 'amended', 'dispute_ruled')),
    actor_id INTEGER NOT NULL REFERENCES users(id),
    at TEXT NOT NULL,
    score REAL NOT NULL,
    passed INTEGER NOT NULL,
    reason TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX score_history_evaluation ON score_history(evaluation_id, id);

INSERT INTO score_history (evaluation_id, kind, actor_id, at, score, passed, reason, answers)
SELECT e.id, 'submitted', e.reviewer_id, e.submitted_at, e.score, e.passed, '',
       COALESCE((SELECT json_group_object(a.criterion_key, json(a.value)) FROM answers a WHERE a.evaluation_id = e.id), '{}')
FROM evaluations e WHERE e.status = 'submitted' ORDER BY e.id;

DROP TABLE IF EXISTS disputes;
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
    agent_id INTEGER NOT NULL REFERENCES users(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    raised_at TEXT NOT NULL,
    -- The points (`Vec<DisputePoint>`) and the ruling (`Ruling`), as JSON, checked by the domain.
    points TEXT NOT NULL,
    ruling TEXT
);
CREATE INDEX disputes_evaluation ON disputes(evaluation_id);
CREATE INDEX disputes_agent ON disputes(agent_id, raised_at);

-- Settings the operator configures (`DisputePolicy` as JSON under `dispute_policy`).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

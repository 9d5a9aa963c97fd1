-- A reviewer submits at most one evaluation of a call on a scorecard (any of its versions);
-- changing it is an amendment. The table is rebuilt (SQLite cannot alter a CHECK) with the
-- card beside the version, the draft revision a submission came from (so a retry is
-- recognised), and the status 'duplicate' for second submissions stored before this rule:
-- the earliest is kept, the others leave every read and are named in the audit log.
CREATE TABLE evaluations_one_per_card (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id),
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    scorecard_id INTEGER NOT NULL REFERENCES scorecards(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    agent_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'duplicate')),
    score REAL,
    passed INTEGER,
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    notes TEXT NOT NULL DEFAULT '{}',
    feedback TEXT NOT NULL DEFAULT '',
    seen_at TEXT,
    acknowledged_at TEXT,
    draft_revision INTEGER NOT NULL DEFAULT 0
);

INSERT INTO evaluations_one_per_card (id, call_id, scorecard_version_id, scorecard_id, reviewer_id, agent_id, status, score, passed, created_at, submitted_at, notes, feedback, seen_at, acknowledged_at)
SELECT e.id, e.call_id, e.scorecard_version_id, v.scorecard_id, e.reviewer_id, e.agent_id,
       CASE WHEN EXISTS (
           SELECT 1 FROM evaluations f JOIN scorecard_versions w ON w.id = f.scorecard_version_id
           WHERE f.status = 'submitted' AND f.call_id = e.call_id AND f.reviewer_id = e.reviewer_id
             AND w.scorecard_id = v.scorecard_id AND f.id < e.id
       ) THEN 'duplicate' ELSE 'submitted' END,
       e.score, e.passed, e.created_at, e.submitted_at, e.notes, e.feedback, e.seen_at, e.acknowledged_at
FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id
WHERE e.status = 'submitted';

INSERT INTO audit_log (at, actor_id, action, entity, entity_id, detail)
SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now'), NULL, 'evaluation_settled_as_duplicate', 'evaluation', d.id,
       json_object('kept', (SELECT MIN(k.id) FROM evaluations_one_per_card k
                            WHERE k.call_id = d.call_id AND k.reviewer_id = d.reviewer_id AND k.scorecard_id = d.scorecard_id),
                   'call', d.call_id, 'reviewer', d.reviewer_id, 'score', d.score)
FROM evaluations_one_per_card d WHERE d.status = 'duplicate';

DROP TABLE evaluations;
ALTER TABLE evaluations_one_per_card RENAME TO evaluations;
CREATE INDEX evaluations_agent ON evaluations(agent_id, submitted_at);
CREATE INDEX evaluations_call ON evaluations(call_id);
CREATE UNIQUE INDEX evaluations_one_per_card ON evaluations(call_id, reviewer_id, scorecard_id) WHERE status = 'submitted';

-- An assignment a duplicate closed now points at the evaluation kept.
UPDATE assignments SET evaluation_id = (
    SELECT k.id FROM evaluations d JOIN evaluations k
      ON k.call_id = d.call_id AND k.reviewer_id = d.reviewer_id AND k.scorecard_id = d.scorecard_id AND k.status = 'submitted'
    WHERE d.id = assignments.evaluation_id)
WHERE evaluation_id IN (SELECT id FROM evaluations WHERE status = 'duplicate');

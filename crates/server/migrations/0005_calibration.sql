-- Calibration: sessions where several scorers score the same calls with one pinned version,
-- their submitted scores (never evaluations: they count toward no agent's QA score), and drafts
-- kept per session beside a reviewer's own review of the same call. The first migration's
-- placeholder calibration tables were never written to: they are replaced.

DROP TABLE IF EXISTS calibration_participants;
DROP TABLE IF EXISTS calibration_sessions;

CREATE TABLE calibration_sessions (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    -- The calls and participants in order (`Vec<u32>`, JSON).
    call_ids TEXT NOT NULL,
    participants TEXT NOT NULL,
    calibrator_id INTEGER REFERENCES users(id),
    deadline TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('blind', 'after_submit')),
    threshold REAL NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    revealed_at TEXT,
    -- `Consensus` as JSON, checked by the domain.
    consensus TEXT
);

CREATE TABLE calibration_scores (
    session_id INTEGER NOT NULL REFERENCES calibration_sessions(id),
    call_id INTEGER NOT NULL REFERENCES calls(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    answers TEXT NOT NULL,
    notes TEXT NOT NULL,
    score REAL NOT NULL,
    submitted_at TEXT NOT NULL,
    late INTEGER NOT NULL,
    PRIMARY KEY (session_id, call_id, user_id)
);

-- A draft is now one per reviewer, call and session (0: the reviewer's own review).
CREATE TABLE review_drafts_by_session (
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    call_id INTEGER NOT NULL REFERENCES calls(id),
    calibration_id INTEGER NOT NULL DEFAULT 0,
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    content TEXT NOT NULL,
    revision INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (reviewer_id, call_id, calibration_id)
);
INSERT INTO review_drafts_by_session (reviewer_id, call_id, calibration_id, scorecard_version_id, content, revision, saved_at)
SELECT reviewer_id, call_id, 0, scorecard_version_id, content, revision, saved_at FROM review_drafts;
DROP TABLE review_drafts;
ALTER TABLE review_drafts_by_session RENAME TO review_drafts;

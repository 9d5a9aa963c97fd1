-- Sampling plans, their runs, and the assignments that fill reviewers' queues. The first
-- migration's placeholder tables of the same names were never written to: they are replaced.
DROP INDEX IF EXISTS assignments_reviewer;
DROP TABLE IF EXISTS assignments;
DROP TABLE IF EXISTS sampling_plans;

CREATE TABLE sampling_plans (
    id INTEGER PRIMARY KEY,
    -- The plan as the lead wrote it (`PlanSpec` as JSON): checked by the domain before it is kept.
    spec TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE plan_runs (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES sampling_plans(id),
    number INTEGER NOT NULL,
    -- The run's 64-bit seed, stored bit for bit in SQLite's signed integer.
    seed INTEGER NOT NULL,
    run_on TEXT NOT NULL,
    window_from TEXT,
    window_to TEXT,
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    population INTEGER NOT NULL,
    requested INTEGER NOT NULL,
    sampled INTEGER NOT NULL,
    due TEXT NOT NULL,
    strata TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES sampling_plans(id),
    run_id INTEGER NOT NULL REFERENCES plan_runs(id),
    call_id INTEGER NOT NULL REFERENCES calls(id),
    agent_id INTEGER NOT NULL REFERENCES users(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    stratum TEXT NOT NULL,
    rule TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'replaced')),
    reason TEXT,
    replaces INTEGER REFERENCES assignments(id),
    evaluation_id INTEGER REFERENCES evaluations(id)
);
CREATE INDEX assignments_queue ON assignments(reviewer_id, status, due, id);
CREATE INDEX assignments_plan ON assignments(plan_id, status, due, id);
CREATE INDEX assignments_run ON assignments(run_id);
CREATE INDEX assignments_call ON assignments(call_id, status);

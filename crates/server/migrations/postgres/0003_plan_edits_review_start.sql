-- Plans are edited, paused and archived; runs keep the spec they drew with; reviews record
-- when they started (SQLite's migration 0009).
ALTER TABLE sampling_plans ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'archived'));
ALTER TABLE sampling_plans ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
ALTER TABLE plan_runs ADD COLUMN spec TEXT NOT NULL DEFAULT '';
UPDATE plan_runs SET spec = (SELECT p.spec FROM sampling_plans p WHERE p.id = plan_runs.plan_id);
ALTER TABLE review_drafts ADD COLUMN started_at TEXT;
ALTER TABLE evaluations ADD COLUMN started_at TEXT;

-- Plans are edited, paused and archived: each has a status and a revision an editor must have
-- read. A run keeps the spec it drew with, so it can be redrawn after its plan is edited; the
-- runs made before this migration drew with their plan's one spec.
ALTER TABLE sampling_plans ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'archived'));
ALTER TABLE sampling_plans ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plan_runs ADD COLUMN spec TEXT NOT NULL DEFAULT '';
UPDATE plan_runs SET spec = (SELECT p.spec FROM sampling_plans p WHERE p.id = plan_runs.plan_id);

-- When a review started (its first draft save), kept with the evaluation for time per
-- evaluation; unknown for evaluations made before, or without a draft.
ALTER TABLE review_drafts ADD COLUMN started_at TEXT;
ALTER TABLE evaluations ADD COLUMN started_at TEXT;

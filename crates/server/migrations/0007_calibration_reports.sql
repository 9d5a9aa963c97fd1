-- A revealed session's report (`SessionReport` as JSON), computed once at the reveal and again
-- whenever a consensus is recorded: the only changes after the reveal. Sessions revealed before
-- this migration have none and are reported as before, computed when read.
ALTER TABLE calibration_sessions ADD COLUMN report TEXT;

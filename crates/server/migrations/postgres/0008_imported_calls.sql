-- Calls brought in from a centre's own platform: where each came from and its id there, so
-- importing the same export again finds it (one call per source and id), and the columns no
-- field took, kept as the call's attributes (a JSON object of text by header).
ALTER TABLE calls ADD COLUMN source TEXT;
ALTER TABLE calls ADD COLUMN external_id TEXT;
ALTER TABLE calls ADD COLUMN attributes TEXT;
CREATE UNIQUE INDEX calls_origin ON calls (source, external_id) WHERE source IS NOT NULL;

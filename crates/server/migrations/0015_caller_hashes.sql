-- A masked caller's salted hash (the salt is the centre's secret, in `settings`): the calls of
-- one caller are found by it while the number itself is kept nowhere.
ALTER TABLE calls ADD COLUMN caller_hash TEXT;
CREATE INDEX calls_caller ON calls (caller_hash) WHERE caller_hash IS NOT NULL;

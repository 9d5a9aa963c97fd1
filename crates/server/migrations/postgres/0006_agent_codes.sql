-- An agent code (工号) per account: the key contact-centre platforms export calls under, which
-- an import matches agents by. Unique regardless of case; most accounts have none.
ALTER TABLE users ADD COLUMN agent_code TEXT;
CREATE UNIQUE INDEX users_agent_code ON users (lower(agent_code)) WHERE agent_code IS NOT NULL;

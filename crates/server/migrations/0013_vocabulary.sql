-- The centre's own queues (skill groups) and outcomes, which were a fixed list of the demo
-- travel desk's. Calls keep a term's code. A database that already holds calls holds only
-- those codes, so it gets their names; a new one starts empty (the demo seeds its own).
CREATE TABLE terms (
    kind TEXT NOT NULL CHECK (kind IN ('queue', 'disposition')),
    code TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    revision INTEGER NOT NULL,
    -- Definition order: the order pickers offer terms in.
    position INTEGER NOT NULL,
    PRIMARY KEY (kind, code)
);

WITH demo(kind, code, name_en, name_zh, position) AS (VALUES
    ('queue', 'bookings', 'Bookings', '预订', 1),
    ('queue', 'changes', 'Changes', '改签', 2),
    ('queue', 'cancellations', 'Cancellations', '退订', 3),
    ('queue', 'refunds', 'Refunds', '退款', 4),
    ('queue', 'complaints', 'Complaints', '投诉', 5),
    ('queue', 'loyalty', 'Loyalty', '会员', 6),
    ('disposition', 'resolved', 'Resolved', '已解决', 7),
    ('disposition', 'follow_up', 'Follow-up', '待跟进', 8),
    ('disposition', 'escalated', 'Escalated', '已升级', 9),
    ('disposition', 'transferred', 'Transferred', '已转接', 10),
    ('disposition', 'unresolved', 'Unresolved', '未解决', 11)
)
INSERT INTO terms (kind, code, name_en, name_zh, active, revision, position)
SELECT kind, code, name_en, name_zh, 1, 1, position FROM demo WHERE EXISTS (SELECT 1 FROM calls);

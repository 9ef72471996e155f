-- Early-warning alerts (chainlens-warning, DESIGN.md §4.4) and their status history.
-- Alerts are not workspace data: `import` leaves them alone, so their history survives
-- re-imports. Times are RFC 3339 UTC text, like imports.imported_at.

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    rule       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    level      INTEGER NOT NULL CHECK (level >= 1),
    status     TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'escalated', 'resolved')),
    owner      TEXT NOT NULL,
    raised_at  TEXT NOT NULL,
    deadline   TEXT NOT NULL,
    evidence   TEXT NOT NULL,   -- JSON object: name -> number
    message    TEXT NOT NULL,
    response   TEXT NOT NULL,
    measure    TEXT,
    candidates TEXT NOT NULL    -- JSON array of ids
) STRICT;
CREATE INDEX alerts_key ON alerts(rule, subject);
CREATE INDEX alerts_status ON alerts(status);

CREATE TABLE alert_events (
    alert  INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,   -- 0 = raised, in order
    at     TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('raised', 'updated', 'acknowledged', 'escalated', 'resolved')),
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'escalated', 'resolved')),
    by     TEXT,
    note   TEXT,
    PRIMARY KEY (alert, seq)
) STRICT;

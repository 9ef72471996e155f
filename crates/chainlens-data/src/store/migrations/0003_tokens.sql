-- Access tokens of the server (`chainlens token create`, DESIGN.md §5). Only the SHA-256
-- of a token is stored: the secret is shown once, when it is created. A token belongs to
-- the workspace whose store holds it. Times are RFC 3339 UTC text.

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,   -- lowercase hex SHA-256 of the whole token text
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    name       TEXT NOT NULL,          -- who holds it; recorded as `by` in alert histories
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

-- The imported workspace data. Each table keeps its key columns for queries and joins,
-- `ord` for the input order, and the whole model record as JSON in `record` (SQLite's
-- json_extract reaches any field), so that the model can grow without a migration per field.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
    id                INTEGER PRIMARY KEY,
    imported_at       TEXT NOT NULL,   -- RFC 3339, UTC
    digest            TEXT NOT NULL,   -- SHA-256 of chainlens.toml and the table files
    chainlens_version TEXT NOT NULL,
    counts            TEXT NOT NULL    -- JSON object: table -> records
) STRICT;

CREATE TABLE regions (
    id     TEXT PRIMARY KEY,
    ord    INTEGER NOT NULL,
    parent TEXT,
    record TEXT NOT NULL
) STRICT;

CREATE TABLE sectors (
    id     TEXT PRIMARY KEY,
    ord    INTEGER NOT NULL,
    record TEXT NOT NULL
) STRICT;

-- A chain's record holds its stages.
CREATE TABLE chains (
    id     TEXT PRIMARY KEY,
    ord    INTEGER NOT NULL,
    record TEXT NOT NULL
) STRICT;

CREATE TABLE enterprises (
    id     TEXT PRIMARY KEY,
    ord    INTEGER NOT NULL,
    region TEXT NOT NULL REFERENCES regions(id),
    record TEXT NOT NULL
) STRICT;
CREATE INDEX enterprises_region ON enterprises(region);

CREATE TABLE supply_links (
    ord      INTEGER PRIMARY KEY,
    supplier TEXT NOT NULL REFERENCES enterprises(id),
    buyer    TEXT NOT NULL REFERENCES enterprises(id),
    chain    TEXT,
    record   TEXT NOT NULL
) STRICT;
CREATE INDEX supply_links_supplier ON supply_links(supplier);
CREATE INDEX supply_links_buyer ON supply_links(buyer);

CREATE TABLE indicators (
    region    TEXT NOT NULL REFERENCES regions(id),
    year      INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    ord       INTEGER NOT NULL,
    record    TEXT NOT NULL,
    PRIMARY KEY (region, year, indicator)
) STRICT;

CREATE TABLE risks (
    id     TEXT PRIMARY KEY,
    ord    INTEGER NOT NULL,
    record TEXT NOT NULL
) STRICT;

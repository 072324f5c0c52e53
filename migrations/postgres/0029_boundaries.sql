-- Boundaries of units for the monitor's map (domain::boundaries): SVG
-- path data on one plane for the whole country, simplified at import, and
-- each unit's box on it in tenths of the plane's units. Keyed by the code
-- the boundary file gives (a city with powiat rights has its gmina's).
CREATE TABLE boundary (
    teryt TEXT PRIMARY KEY,
    path  TEXT NOT NULL,
    min_x BIGINT NOT NULL,
    min_y BIGINT NOT NULL,
    max_x BIGINT NOT NULL,
    max_y BIGINT NOT NULL
);

-- When a registration's link was last sent again because its address was
-- registered for the same activity once more (at most once an hour).
ALTER TABLE registration ADD COLUMN link_resent_at TEXT;

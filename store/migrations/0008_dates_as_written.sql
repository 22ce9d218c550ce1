-- Dates as planners write them ("uge 34", "ultimo oktober"): the text as
-- written and its precision beside each task date, the owner's own traffic
-- light (health) of each task and plan.
ALTER TABLE tasks ADD COLUMN start_text TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN start_precision TEXT NOT NULL DEFAULT ''; -- '' (a day), week, part, month, quarter
ALTER TABLE tasks ADD COLUMN start_year_assumed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN end_text TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN end_precision TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN end_year_assumed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN health TEXT NOT NULL DEFAULT '';           -- '', green, amber, red
ALTER TABLE plans ADD COLUMN health TEXT NOT NULL DEFAULT '';

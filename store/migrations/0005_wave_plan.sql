-- The decided wave plan: which municipality goes live in which wave of
-- which solution (udrul waves decide).
CREATE TABLE wave_plan (
	solution     TEXT NOT NULL,
	municipality TEXT NOT NULL,
	wave         TEXT NOT NULL,
	decided_at   TEXT NOT NULL,
	source       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (solution, municipality)
);

-- A plan is found by its municipality and solution in any case (FindPlan,
-- COLLATE NOCASE), which the UNIQUE constraint's index (binary) cannot
-- serve: every lookup read the whole plans table, twice per plan applied
-- (a first sync of 600 plans read 720,000 rows; of 6,000 plans, 72
-- million).
CREATE INDEX plans_key_nocase ON plans(municipality COLLATE NOCASE, solution COLLATE NOCASE);

-- State a source keeps between cycles (Drive change tokens), and links from
-- a sheet's problems to the cell in Google Sheets.
ALTER TABLE sources ADD COLUMN cursor TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_issues ADD COLUMN link TEXT NOT NULL DEFAULT '';

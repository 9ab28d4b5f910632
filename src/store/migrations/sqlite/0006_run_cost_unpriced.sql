-- Components of a resource without a price (usage-based without usage, or no
-- price found). The monthly figures leave them out, so a run read back must say
-- they are lower bounds; before this column every stored run read as fully priced.
ALTER TABLE run_costs ADD COLUMN unpriced_components INTEGER NOT NULL DEFAULT 0;

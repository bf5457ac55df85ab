-- Where planning stands (the reader's position after the last committed block), written in the block's own
-- transaction together with the plan and its counts, so a resumed plan never starts past what was committed.
ALTER TABLE feed_run ADD COLUMN plan_checkpoint TEXT;

-- The shard a run ran (run --shard I/N, as "I/N"), for status and the page of a run; NULL for a run of all feeds or
-- of named ones.
ALTER TABLE sync_run ADD COLUMN shard VARCHAR(30);

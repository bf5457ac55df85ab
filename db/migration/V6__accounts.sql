-- Accounts: member-sync.vendors.<name> is an account at a vendor (several Decoda tenants, Hang programs, Mayar
-- accounts). What was synced before this change was synced to the account named like its vendor.
ALTER TABLE feed_run ADD COLUMN account VARCHAR(100);
UPDATE feed_run SET account = vendor;
ALTER TABLE verify_run ADD COLUMN account VARCHAR(100);
UPDATE verify_run SET account = vendor;

-- The account a member's cached state was confirmed by: a feed pointed at another account finds none of it (the
-- same id at two accounts is two records). Rows from before are the feed's account then, its latest run's vendor.
ALTER TABLE member_state ADD COLUMN account VARCHAR(100);
UPDATE member_state SET account = (
    SELECT f.vendor FROM feed_run f
     WHERE f.feed = member_state.feed
       AND f.feed_run_id = (SELECT MAX(g.feed_run_id) FROM feed_run g WHERE g.feed = member_state.feed));

-- The request slots of each rate-limit group, shared by every process on this state store, in microseconds since the
-- epoch on the database's clock (one clock for every pod, whatever theirs say): the last slot handed out (a process
-- takes its next one interval of its own pace after it) and the earliest the next may be (a 429's wait).
CREATE TABLE rate_budget (
    group_name    VARCHAR(200) PRIMARY KEY,
    last_us       BIGINT       NOT NULL,
    not_before_us BIGINT       NOT NULL
);

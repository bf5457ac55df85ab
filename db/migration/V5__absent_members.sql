-- When member-sync deactivated the member at the vendor because it left the feed's input (on-absent: deactivate);
-- NULL while it is active. A member that comes back is synced again and this is cleared.
ALTER TABLE member_state ADD COLUMN deactivated_at TIMESTAMP WITH TIME ZONE;
-- Members synced before and missing from this input (not counting those deactivated by an earlier run).
ALTER TABLE feed_run ADD COLUMN absent_count BIGINT NOT NULL DEFAULT 0;

-- What each account's channel sent during a run, second by second (requests, 429s, time paused, the limit it was paced
-- at): the page of a run (run --report-html, status --run ID --html) draws it.
CREATE TABLE run_second (
    run_id     BIGINT           NOT NULL,
    account    VARCHAR(100)     NOT NULL,
    vendor     VARCHAR(20)      NOT NULL,
    rate_group VARCHAR(200)     NOT NULL,
    at_second  BIGINT           NOT NULL,
    requests   INTEGER          NOT NULL,
    too_many   INTEGER          NOT NULL,
    paused_ms  BIGINT           NOT NULL,
    rate_limit DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, account, at_second)
);

-- An example members' database for a query feed: `psql -d crm -f sample-data/members-source.sql`
-- (safe to run twice: it creates the table if missing and adds rows that are not there yet).
--
-- A Hang feed reading it (application.yml):
--   member-sync:
--     source:
--       url: jdbc:postgresql://localhost:5432/crm
--       username: member_sync_reader
--       password: ${SOURCE_DB_PASSWORD}
--     feeds:
--       hang-members:
--         vendor: hang
--         query: >-
--           SELECT member_code AS program_membership_id, crm_id AS external_user_id, first_name, last_name,
--                  email, mobile, birthday, family AS family_member_birthdays
--           FROM crm_members WHERE NOT archived
--         columns:
--           phone: mobile        # field -> column, as for a CSV header
--
-- NULL means "this feed does not manage that field" (like a blank CSV cell); a DATE is sent as YYYY-MM-DD, and
-- the JSONB family list as its JSON text. member-sync only reads: a role with SELECT on the table is enough, e.g.
--   CREATE ROLE member_sync_reader LOGIN PASSWORD '...'; GRANT SELECT ON crm_members TO member_sync_reader;

CREATE TABLE IF NOT EXISTS crm_members (
    member_code TEXT PRIMARY KEY,
    crm_id      TEXT,
    first_name  TEXT,
    last_name   TEXT,
    email       TEXT,
    mobile      TEXT,
    birthday    DATE,
    family      JSONB,
    archived    BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO crm_members (member_code, crm_id, first_name, last_name, email, mobile, birthday, family) VALUES
    ('pm_1001', 'crm-5001', 'Joe',    'Smith',     'joe.smith@example.com',      '+17891234567',      '1989-02-25',
        '[{"first_name": "Anna", "birthday": "2000-02-02", "status": "active"},
          {"first_name": "Mason", "last_name": "Smith", "birthday": "2002-01-01", "status": "active"}]'),
    ('pm_1002', 'crm-5002', 'María',  'González',  'maria.gonzalez@example.com', '(212) 555-0147',    '1991-07-14', NULL),
    ('pm_1003', 'crm-5003', 'Wei',    'Chen',      'wei.chen@example.com',       '415.555.0132',      '1985-11-30',
        '[{"first_name": "Lily", "last_name": "Chen", "birthday": "2015-05-09", "status": "active"}]'),
    ('pm_1004', 'crm-5004', 'Aisha',  'Khan',      'aisha.khan@example.com',     '646-555-0190',      NULL,         NULL),
    ('pm_1005', 'crm-5005', 'Liam',   'O''Connor', 'liam.oconnor@example.com',   '3125550111',        '1978-12-24',
        '[{"first_name": "Ella", "birthday": "2010-08-17", "status": "inactive"}]'),
    ('pm_1006', 'crm-5006', 'Sofia',  'Rossi',     'sofia.rossi@example.com',    '+1 (305) 555-0175', '1996-09-08', NULL),
    ('pm_1007', 'crm-5007', 'Kenji',  'Tanaka',    NULL,                         '206 555 0163',      '1982-04-19', NULL),
    ('pm_1008', 'crm-5008', 'Fatima', 'Zahra',     'fatima.zahra@example.com',   '+17025550128',      '1990-10-01',
        '[{"first_name": "Omar", "last_name": "Zahra", "birthday": "2018-02-11", "status": "active"},
          {"first_name": "Noor", "last_name": "Zahra", "birthday": "2020-06-30", "status": "active"}]'),
    ('pm_1009', 'crm-5009', 'Noah',   'Williams',  'noah.williams@example.com',  NULL,                '1987-01-15', NULL),
    ('pm_1010', 'crm-5010', 'Chloé',  'Dubois',    'chloe.dubois@example.com',   '512-555-0186',      '1994-06-21', NULL),
    ('pm_1011', 'crm-5011', 'Olu',    'Adeyemi',   'olu.adeyemi@example.com',    '+14045550144',      '1980-08-05',
        '[{"first_name": "Tobi", "birthday": "2012-12-12", "status": "active"}]'),
    ('pm_1012', 'crm-5012', 'Emma',   'Johansson', 'emma.johansson@example.com', '503 555 0158',      '1999-02-28', NULL)
ON CONFLICT (member_code) DO NOTHING;

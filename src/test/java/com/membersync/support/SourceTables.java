package com.membersync.support;

import java.util.Map;

/**
 * A members' database for query feeds: a PostgreSQL schema (or a MariaDB database) of its own, separate from the
 * state store, and the settings that point member-sync at it.
 */
public final class SourceTables {

    private SourceTables() {}

    /** A fresh schema to hold the source tables, wired in as {@code member-sync.source.*}. */
    public static TestDatabase.Schema create(String hint, Map<String, Object> settings) {
        return use(TestDatabase.newSchema("src_" + hint), settings);
    }

    /** A fresh MariaDB database to hold the source tables, wired in as {@code member-sync.source.*}. */
    public static TestDatabase.Schema createOnMariaDb(String hint, Map<String, Object> settings) {
        return use(TestMariaDb.newDatabase("src_" + hint), settings);
    }

    /** Points {@code member-sync.source.*} at {@code source}. */
    public static TestDatabase.Schema use(TestDatabase.Schema source, Map<String, Object> settings) {
        settings.put("member-sync.source.url", source.url());
        settings.put("member-sync.source.username", source.username());
        settings.put("member-sync.source.password", source.password());
        return source;
    }

    /** Declares a feed that reads {@code query} from the source database. */
    public static void queryFeed(Map<String, Object> settings, String feed, String vendor, String query) {
        settings.put("member-sync.feeds." + feed + ".vendor", vendor);
        settings.put("member-sync.feeds." + feed + ".query", query);
    }

    /**
     * {@code crm_members} with {@code n} Hang members keyed pm_00000, pm_00001...: text, some NULLs, a DATE
     * birthday and a JSONB family list on every third member.
     */
    public static void crmMembers(TestDatabase.Schema source, int n) {
        source.jdbc().execute("""
                CREATE TABLE crm_members (
                    member_code TEXT PRIMARY KEY,
                    crm_id      TEXT,
                    first_name  TEXT,
                    last_name   TEXT,
                    email       TEXT,
                    mobile      TEXT,
                    birthday    DATE,
                    family      JSONB)""");
        source.jdbc().update("""
                INSERT INTO crm_members
                SELECT 'pm_' || lpad(i::text, 5, '0'), 'crm-' || i,
                       (ARRAY['Joe', 'María', 'Wei', 'Aisha', 'Liam', 'Chloé'])[1 + i % 6],
                       CASE WHEN i % 11 = 0 THEN NULL ELSE (ARRAY['Smith', 'González', 'Chen', 'Khan', 'O''Connor'])[1 + i % 5] END,
                       'member' || i || '@example.com',
                       CASE WHEN i % 7 = 0 THEN NULL ELSE '(415) 555-' || lpad(i::text, 4, '0') END,
                       CASE WHEN i % 5 = 0 THEN NULL ELSE DATE '1960-01-01' + (i * 37 % 15000) END,
                       CASE WHEN i % 3 = 0 THEN jsonb_build_array(jsonb_build_object(
                                'first_name', 'Kid' || i,
                                'birthday', to_char(DATE '2005-01-01' + i % 5000, 'YYYY-MM-DD'),
                                'status', CASE WHEN i % 2 = 0 THEN 'active' ELSE 'inactive' END)) END
                FROM generate_series(0, ? - 1) AS i""", n);
    }
}

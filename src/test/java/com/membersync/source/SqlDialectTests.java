package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.membersync.source.SqlValues.Kind;
import java.sql.Types;
import org.junit.jupiter.api.Test;

/** What differs between the databases a query feed reads, chosen by the source URL. */
class SqlDialectTests {

    @Test
    void theUrlsSchemeChoosesTheDialectAndAnyOtherDriverGetsStandardSql() {
        assertThat(SqlDialect.of("jdbc:postgresql://crm:5432/crm")).isEqualTo(SqlDialect.POSTGRESQL);
        assertThat(SqlDialect.of("jdbc:mariadb://crm:3306/crm")).isEqualTo(SqlDialect.MARIADB);
        assertThat(SqlDialect.of("jdbc:mysql://crm:3306/crm")).isEqualTo(SqlDialect.MARIADB);
        assertThat(SqlDialect.of("jdbc:sqlserver://crm:1433;databaseName=crm")).isEqualTo(SqlDialect.STANDARD);
        assertThat(SqlDialect.of("jdbc:oracle:thin:@crm:1521/crm")).isEqualTo(SqlDialect.STANDARD);
    }

    @Test
    void identifiersAreQuotedAsEachDatabaseQuotesThemWithTheQuoteDoubled() {
        assertThat(SqlDialect.POSTGRESQL.quote("memberId")).isEqualTo("\"memberId\"");
        assertThat(SqlDialect.POSTGRESQL.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(SqlDialect.MARIADB.quote("memberId")).isEqualTo("`memberId`");
        assertThat(SqlDialect.MARIADB.quote("a`b")).isEqualTo("`a``b`");
        assertThat(SqlDialect.STANDARD.quote("memberId")).isEqualTo("\"memberId\"");
    }

    @Test
    void pagesAreLimitedWithLimitWhereItIsKnownAndWithSqlStandardOffsetAndFetchElsewhere() {
        assertThat(SqlDialect.MARIADB.first(100)).isEqualTo(" LIMIT 100");
        assertThat(SqlDialect.POSTGRESQL.page(100, 300)).isEqualTo(" LIMIT 100 OFFSET 300");
        assertThat(SqlDialect.STANDARD.first(100)).isEqualTo(" OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY");
        assertThat(SqlDialect.STANDARD.page(100, 300)).isEqualTo(" OFFSET 300 ROWS FETCH NEXT 100 ROWS ONLY");
    }

    @Test
    void onMariaDbDatetimeIsAWallClockTimestampAnInstantAndYearText() {
        assertThat(SqlDialect.MARIADB.kind(Types.TIMESTAMP, "DATETIME")).isEqualTo(Kind.STORED_DATE_TIME);
        assertThat(SqlDialect.MARIADB.kind(Types.TIMESTAMP, "TIMESTAMP")).isEqualTo(Kind.UTC_TIMESTAMP);
        assertThat(SqlDialect.MARIADB.kind(Types.DATE, "YEAR")).isEqualTo(Kind.TEXT);
        assertThat(SqlDialect.MARIADB.kind(Types.DATE, "DATE")).isEqualTo(Kind.DATE);
        // TINYINT(1) and BOOLEAN come as BOOLEAN; JSON (MariaDB's LONGTEXT) and ENUM as text
        assertThat(SqlDialect.MARIADB.kind(Types.BOOLEAN, "BOOLEAN")).isEqualTo(Kind.BOOLEAN);
        assertThat(SqlDialect.MARIADB.kind(Types.DECIMAL, "DECIMAL")).isEqualTo(Kind.DECIMAL);
        assertThat(SqlDialect.MARIADB.kind(Types.LONGVARCHAR, "JSON")).isEqualTo(Kind.TEXT);
        assertThat(SqlDialect.MARIADB.kind(Types.CHAR, "CHAR")).isEqualTo(Kind.TEXT);
        // on PostgreSQL a plain timestamp has no zone
        assertThat(SqlDialect.POSTGRESQL.kind(Types.TIMESTAMP, "timestamp")).isEqualTo(Kind.LOCAL_DATE_TIME);
    }

    @Test
    void aJdbcMysqlUrlIsMarkedForMariaDbsDriverOnce() {
        assertThat(SourceDatabase.driverUrl("jdbc:mysql://crm:3306/crm"))
                .isEqualTo("jdbc:mysql://crm:3306/crm?permitMysqlScheme");
        assertThat(SourceDatabase.driverUrl("jdbc:mysql://crm/crm?useSsl=true"))
                .isEqualTo("jdbc:mysql://crm/crm?useSsl=true&permitMysqlScheme");
        assertThat(SourceDatabase.driverUrl("jdbc:mysql://crm/crm?permitMysqlScheme"))
                .isEqualTo("jdbc:mysql://crm/crm?permitMysqlScheme");
        assertThat(SourceDatabase.driverUrl("jdbc:mariadb://crm/crm")).isEqualTo("jdbc:mariadb://crm/crm");
    }
}

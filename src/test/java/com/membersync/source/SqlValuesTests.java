package com.membersync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.membersync.source.SqlValues.Kind;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;

/** SQL values become the text a CSV export would hold, so both inputs are validated alike. */
class SqlValuesTests {

    @Test
    void datesAreIsoDates() {
        assertThat(SqlValues.text(LocalDate.of(1989, 2, 5))).isEqualTo("1989-02-05");
    }

    @Test
    void zonedTimestampsAreUtcInstantsAndPlainOnesLocalDateTimesWithSeconds() {
        assertThat(SqlValues.text(OffsetDateTime.of(2026, 8, 20, 16, 10, 57, 994_000_000, ZoneOffset.ofHours(7))))
                .isEqualTo("2026-08-20T09:10:57.994Z");
        assertThat(SqlValues.text(LocalDateTime.of(2026, 7, 1, 8, 0))).isEqualTo("2026-07-01T08:00:00");
    }

    @Test
    void exactNumbersLoseOnlyZeroFractions() {
        assertThat(SqlValues.text(new BigDecimal("4900.00"))).isEqualTo("4900");
        assertThat(SqlValues.text(new BigDecimal("49.50"))).isEqualTo("49.50");
        assertThat(SqlValues.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(SqlValues.text(new BigDecimal("0.00"))).isEqualTo("0");
        assertThat(SqlValues.text(new BigDecimal("-12.000"))).isEqualTo("-12");
        assertThat(SqlValues.text(new BigDecimal("0.000001"))).isEqualTo("0.000001");
    }

    @Test
    void booleansAndEverythingElseInTheirStringForm() {
        assertThat(SqlValues.text(Boolean.TRUE)).isEqualTo("true");
        assertThat(SqlValues.text(false)).isEqualTo("false");
        assertThat(SqlValues.text("[{\"first_name\": \"Anna\"}]")).isEqualTo("[{\"first_name\": \"Anna\"}]");
        assertThat(SqlValues.text(null)).isNull();
    }

    @Test
    void kindsFollowTheDriversTypesAndTypeNames() {
        assertThat(Kind.of(Types.DATE, "date")).isEqualTo(Kind.DATE);
        assertThat(Kind.of(Types.TIMESTAMP, "timestamp")).isEqualTo(Kind.LOCAL_DATE_TIME);
        // PostgreSQL's driver reports timestamptz as TIMESTAMP and boolean as BIT
        assertThat(Kind.of(Types.TIMESTAMP, "timestamptz")).isEqualTo(Kind.INSTANT);
        assertThat(Kind.of(Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP WITH TIME ZONE")).isEqualTo(Kind.INSTANT);
        assertThat(Kind.of(Types.BIT, "bool")).isEqualTo(Kind.BOOLEAN);
        assertThat(Kind.of(Types.BIT, "bit")).isEqualTo(Kind.TEXT);
        assertThat(Kind.of(Types.NUMERIC, "numeric")).isEqualTo(Kind.DECIMAL);
        assertThat(Kind.of(Types.OTHER, "jsonb")).isEqualTo(Kind.TEXT);
    }

    @Test
    void nullIsABlankCellAndNotANumberKeepsItsName() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        when(rs.getObject(anyInt(), ArgumentMatchers.eq(LocalDate.class))).thenReturn(null);
        when(rs.wasNull()).thenReturn(true);
        assertThat(SqlValues.read(rs, 1, Kind.DATE)).isNull();

        ResultSet nan = mock(ResultSet.class);
        when(nan.getBigDecimal(1)).thenThrow(new SQLException("Bad value for type BigDecimal : NaN"));
        when(nan.getString(1)).thenReturn("NaN");
        assertThat(SqlValues.read(nan, 1, Kind.DECIMAL)).isEqualTo("NaN");
    }

    @Test
    void aZeroDateHasNoJavaValueAndIsItsTextSoThatValidationRejectsItNotABlankCell() throws SQLException {
        ResultSet rs = mock(ResultSet.class);
        when(rs.getObject(anyInt(), ArgumentMatchers.eq(LocalDate.class))).thenReturn(null);
        when(rs.wasNull()).thenReturn(true); // as MariaDB's driver says of 0000-00-00
        when(rs.getString(1)).thenReturn("0000-00-00");
        assertThat(SqlValues.read(rs, 1, Kind.DATE)).isEqualTo("0000-00-00");
    }
}

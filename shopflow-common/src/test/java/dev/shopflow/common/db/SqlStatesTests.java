package dev.shopflow.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one classification of database failures every service retries (or not) by. */
class SqlStatesTests {

    @ParameterizedTest
    @CsvSource({
            "08006, true", // connection failure
            "08001, true", // cannot connect
            "53300, true", // too many connections
            "57P01, true", // admin shutdown
            "57P03, true", // cannot connect now (starting up)
            "40001, true", // serialization failure
            "40P01, true", // deadlock
            "55P03, true", // lock not available
            "57014, false", // query canceled (a timeout we set: retrying repeats it)
            "23505, false", // unique violation
            "22003, false", // numeric out of range
            "42P01, false", // undefined table
            "55000, false"}) // object not in prerequisite state
    void transientStatesAreTheOnesWorthRetrying(String state, boolean expected) {
        assertThat(SqlStates.isTransient(new SQLException("x", state))).isEqualTo(expected);
        // wherever the SQLException sits in the cause chain
        assertThat(SqlStates.isTransient(new IllegalStateException(new RuntimeException(new SQLException("x", state)))))
                .isEqualTo(expected);
    }

    @Test
    void theDriversTransientAndRecoverableExceptionsAreTransientWithoutAState() {
        assertThat(SqlStates.isTransient(new SQLTransientConnectionException("pool exhausted"))).isTrue();
        assertThat(SqlStates.isTransient(new SQLRecoverableException("socket closed"))).isTrue();
        assertThat(SqlStates.isTransient(new SQLException("no state"))).isFalse();
        assertThat(SqlStates.isTransient(new UncheckedIOException(new java.io.IOException("disk")))).isFalse();
        assertThat(SqlStates.isTransient(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"22003, true", "22P02, true", "22008, true", "54000, true", "23505, false", "08006, false"})
    void unstorableValuesAreDataExceptionsAndProgramLimits(String state, boolean expected) {
        assertThat(SqlStates.isUnstorableValue(new RuntimeException(new SQLException("x", state)))).isEqualTo(expected);
    }

    @Test
    void theStateIsTheFirstOneInTheCauseChain() {
        SQLException inner = new SQLException("inner", "40001");
        SQLException outer = new SQLException("outer", "08006", inner);
        assertThat(SqlStates.state(new RuntimeException(outer))).contains("08006");
        assertThat(SqlStates.state(new RuntimeException("no sql"))).isEmpty();
    }
}

package dev.shopflow.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Database errors reach the mapper bare (JDBC) or wrapped by Hibernate (Panache); both get one answer. */
class ProblemExceptionMappersTests {

    private final ProblemExceptionMappers mappers = new ProblemExceptionMappers();

    @Test
    void shouldAnswerADataExceptionWrappedByHibernateAsABadRequest() {
        SQLException nul = new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        Response bare = mappers.database(nul);
        Response wrapped = mappers.unexpected(new PersistenceException("could not execute query", nul));

        assertThat(bare.getStatus()).isEqualTo(400);
        assertThat(wrapped.getStatus()).isEqualTo(400);
        assertThat(((Problem) wrapped.getEntity()).type()).isEqualTo(((Problem) bare.getEntity()).type());
    }

    @Test
    void shouldAnswerALostConnectionWrappedByHibernateAsRetryableUnavailable() {
        Response wrapped = mappers.unexpected(new PersistenceException(new RuntimeException(
                new SQLException("An I/O error occurred while sending to the backend.", "08006"))));

        assertThat(wrapped.getStatus()).isEqualTo(503);
        assertThat(wrapped.getHeaderString("Retry-After")).isEqualTo("5");
    }

    @Test
    void shouldAnswerAnythingElseAsAnInternalErrorWithoutDetails() {
        Response plain = mappers.unexpected(new IllegalStateException("secret detail"));
        Response ourSqlDefect = mappers.unexpected(new PersistenceException(new SQLException("syntax error", "42601")));

        assertThat(plain.getStatus()).isEqualTo(500);
        assertThat(ourSqlDefect.getStatus()).isEqualTo(500);
        assertThat(((Problem) plain.getEntity()).detail()).doesNotContain("secret");
    }
}

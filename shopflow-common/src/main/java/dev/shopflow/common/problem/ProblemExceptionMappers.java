package dev.shopflow.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shopflow.common.db.SqlStates;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the REST layer into problem+json, so no client ever
 * sees a stack trace or an HTML error page.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);
    static final String CHALLENGE = "Basic realm=\"shopflow\"";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = e.problem().toResponse();
        if (e.retryAfterSeconds().isEmpty()) {
            return response;
        }
        return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().getAsLong()).build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            io.quarkus.security.AuthenticationCompletionException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, "unauthorized",
                        "Valid HTTP Basic credentials are required for this operation").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(Response.Status.FORBIDDEN, "forbidden", "Not allowed").toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        // one error per field: "abc" for a limit breaks its pattern, minimum and maximum, one mistake
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(snakeCase(lastNode(v.getPropertyPath().toString())), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .collect(Collectors.toMap(Problem.FieldError::field, f -> f, (a, b) -> a, java.util.LinkedHashMap::new))
                .values().stream().toList();
        return Problem.validation(errors).toResponse();
    }

    /** Java parameters are named like their wire names in camelCase (asOf for as_of). */
    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return Problem.of(Response.Status.BAD_REQUEST, "malformed-body",
                "The request body is not valid JSON for this operation: " + e.getOriginalMessage()).toResponse();
    }

    /**
     * A body of the wrong shape or types ("[]" for an object, "many" for a number). Quarkus REST has
     * its own mapper for this exception that answers an empty 400; this one names the field.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        String message = field.isEmpty() ? "The request body does not have the expected shape"
                : "'" + field + "' has the wrong type";
        return Problem.validation(List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, message))).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        String slug = status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        String detail = status.getStatusCode() == 404 ? "No resource at this path"
                : status.getStatusCode() == 405 ? "This method is not allowed on this resource"
                : status.getStatusCode() == 415 ? "Unsupported media type"
                : status.getStatusCode() == 406 ? "Cannot produce the requested media type"
                : e.getMessage();
        Response.ResponseBuilder b = Response.fromResponse(
                new Problem("https://shopflow.dev/problems/" + slug, status.getReasonPhrase(), status.getStatusCode(),
                        detail, null).toResponse());
        if (status.getStatusCode() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        return b.build();
    }

    /**
     * A database that is down, restarting, out of connections or that ended our session (SQLSTATE
     * classes 08, 53, 57P, deadlock/serialization 40, lock timeout 55P03) is a 503 with Retry-After:
     * the transaction rolled back, nothing of the request was kept, and the same request can be retried.
     * A data exception (class 22: a NUL character, a number out of range) comes from the request: 400.
     * Any other SQL error is a defect of ours: 500, logged.
     */
    @ServerExceptionMapper
    public Response database(SQLException e) {
        if (SqlStates.isTransient(e)) {
            LOG.warnf("Database unavailable: %s (SQLSTATE %s)", e.getMessage(), e.getSQLState());
            return Response.fromResponse(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "database-unavailable",
                    "The database is unavailable; nothing of this request was kept. Retry later.").toResponse())
                    .header(HttpHeaders.RETRY_AFTER, "5").build();
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
            // data exception: a value from the request PostgreSQL cannot take (a NUL character, a number out of range)
            return Problem.of(Response.Status.BAD_REQUEST, "invalid-value",
                    "A value in the request cannot be stored or compared: " + e.getMessage().lines().findFirst().orElse(""))
                    .toResponse();
        }
        return unexpected(e);
    }

    /**
     * The fallback. Hibernate wraps the driver's SQLException (JDBCException, PersistenceException),
     * so a database error met through Panache is looked for in the cause chain and answered as above.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        SQLException sql = sqlCause(e);
        if (sql != null && sql != e) {
            return database(sql);
        }
        LOG.error("Unhandled error", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal",
                "An internal error occurred; the details are in the service log").toResponse();
    }

    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}

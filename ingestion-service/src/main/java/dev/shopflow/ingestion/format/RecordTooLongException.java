package dev.shopflow.ingestion.format;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;

/**
 * One record longer than the limit: the body is refused whole (400) rather than buffering an
 * unbounded line, typically a missing newline or an unterminated CSV quote.
 */
final class RecordTooLongException extends ProblemException {

    RecordTooLongException(int line, int maxChars) {
        super(Problem.of(Response.Status.BAD_REQUEST, "record-too-long", "The record starting at line " + line
                + " is longer than " + maxChars + " characters (a missing line break or an unterminated quote?)"));
    }
}

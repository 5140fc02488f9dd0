package dev.shopflow.common.problem;

import java.util.OptionalLong;

/** Thrown by services to end a request with a specific problem response. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Long retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, Long retryAfterSeconds) {
        super(problem.detail());
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The same problem, answered with a Retry-After header (a 503 or 429 that can succeed later). */
    public static ProblemException retryAfter(Problem problem, long seconds) {
        return new ProblemException(problem, Math.max(1, seconds));
    }

    public Problem problem() {
        return problem;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}

package dev.shopflow.transform.client;

import dev.shopflow.common.client.PeerRefusedException;
import dev.shopflow.common.wire.Audit;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks quality to audit the version being built. An audit that cannot be obtained counts as not
 * passed: nothing is published on an unknown outcome.
 */
@ApplicationScoped
public class QualityAuditor {

    private static final Logger LOG = Logger.getLogger(QualityAuditor.class);

    /**
     * The audit of a version: passed only when quality answered and every error-severity check passed;
     * one that failed or could not run (status {@code error}) blocks the publish.
     */
    public record AuditOutcome(boolean passed, String reason, List<Audit.CheckRunResult> runs) {
    }

    private final CheckRunCaller caller;

    QualityAuditor(CheckRunCaller caller) {
        this.caller = caller;
    }

    public AuditOutcome audit(long version) {
        List<Audit.CheckRunResult> runs = new ArrayList<>();
        try {
            // trigger audit: quality moves its published-state gauges for audits only, not on-demand runs
            runs.add(caller.run(new Audit.CheckRunRequest("warehouse", Map.of("trigger", "audit"))));
            runs.add(caller.run(new Audit.CheckRunRequest("marts", Map.of("version", version, "trigger", "audit"))));
        } catch (RuntimeException e) {
            LOG.warnf("Audit of version %d unavailable: %s", version, e.getMessage());
            return new AuditOutcome(false, "audit unavailable: " + e.getMessage(), runs);
        }
        List<Audit.CheckResult> blocking = runs.stream().flatMap(r -> r.results().stream())
                .filter(Audit.CheckResult::blocksPublish).toList();
        if (blocking.isEmpty() && runs.stream().allMatch(Audit.CheckRunResult::passed)) {
            return new AuditOutcome(true, null, runs);
        }
        return new AuditOutcome(false, reason(blocking, runs), runs);
    }

    /** Which checks blocked and why: failed ones by name, ones that could not run with their error. */
    static String reason(List<Audit.CheckResult> blocking, List<Audit.CheckRunResult> runs) {
        List<String> failed = blocking.stream().filter(r -> "failed".equals(r.status())).map(Audit.CheckResult::check).toList();
        List<String> notRun = blocking.stream().filter(r -> !"failed".equals(r.status()))
                .map(r -> r.check() + " (" + (r.errorText() == null ? r.status() : r.errorText()) + ")").toList();
        List<String> parts = new ArrayList<>();
        if (!failed.isEmpty()) {
            parts.add("error checks failed: " + String.join(", ", failed));
        }
        if (!notRun.isEmpty()) {
            parts.add("error checks could not run: " + String.join("; ", notRun));
        }
        if (parts.isEmpty()) {
            // quality said not passed without naming a blocking result: trust its verdict
            parts.add("quality reported check runs " + runs.stream().filter(r -> !r.passed())
                    .map(r -> r.runId() + " (" + r.layer() + ")").toList() + " as not passed");
        }
        return String.join("; ", parts);
    }

    /** The HTTP call with its timeout and retries (a bean of its own so the interceptors apply). */
    @ApplicationScoped
    static class CheckRunCaller {

        @RestClient
        QualityRestClient client;

        // An audit reads the whole warehouse: about 7 s at 1M order lines, over a minute at 10M. The
        // timeout is a bound for a hung quality service, not a target (SHOPFLOW_AUDIT_TIMEOUT_SECONDS,
        // application.properties); a timed-out audit is not retried, since it would take as long again.
        @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS, abortOn = {PeerRefusedException.class,
                TimeoutException.class})
        @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 10, delayUnit = ChronoUnit.SECONDS,
                skipOn = PeerRefusedException.class)
        @Timeout(value = 900, unit = ChronoUnit.SECONDS)
        Audit.CheckRunResult run(Audit.CheckRunRequest request) {
            return client.run(request);
        }
    }
}

package dev.shopflow.common.wire;

import java.util.List;
import java.util.Map;

/** The audit exchange between transform (caller) and quality: run the checks of a layer on a scope. */
public final class Audit {

    private Audit() {
    }

    /** {@code scope} narrows checks, e.g. {@code {"version": 7}} for the mart version being built. */
    public record CheckRunRequest(String layer, Map<String, Object> scope) {
    }

    public record CheckRunResult(long runId, String layer, Map<String, Object> scope, String status, boolean passed,
            List<CheckResult> results) {
    }

    public record CheckResult(String check, String layer, String severity, String status, long failingRows,
            List<Map<String, Object>> sample) {
    }
}

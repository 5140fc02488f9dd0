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

        /**
         * Whether this result keeps a version from being published: an error-severity check that did not
         * pass, whether it found failing rows ({@code failed}) or could not run at all ({@code error}), since
         * a check that cannot run proves nothing (docs/quality-checks.md).
         */
        public boolean blocksPublish() {
            return "error".equals(severity) && !"passed".equals(status);
        }

        /** Why a check could not run (the {@code error} of its first sample row), or null. */
        public String errorText() {
            if (!"error".equals(status) || sample == null || sample.isEmpty()) {
                return null;
            }
            Object text = sample.get(0).get("error");
            return text == null ? null : String.valueOf(text);
        }
    }
}

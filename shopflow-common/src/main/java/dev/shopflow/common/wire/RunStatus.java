package dev.shopflow.common.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A run's status: a transform run (pipeline.transform_run.status) is running, then succeeded, failed
 * or audit_failed; a generation run (pipeline.generation_run.status) is queued, running, then
 * succeeded or failed.
 */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, AUDIT_FAILED;

    /** The name in the database and on the wire ("audit_failed"). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RunStatus> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
    }
}

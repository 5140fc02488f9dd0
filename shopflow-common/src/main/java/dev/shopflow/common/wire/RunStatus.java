package dev.shopflow.common.wire;

import java.util.Locale;

/** A transform run's status (pipeline.transform_run.status); generation runs use the first three. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, AUDIT_FAILED;

    /** The name in the database and on the wire ("audit_failed"). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

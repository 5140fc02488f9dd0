package dev.shopflow.ingestion.domain;

import java.util.List;

/** A row after validation: canonical values in schema column order, or the reasons it is rejected. */
public record ValidatedRow(String[] values, List<Reason> reasons) {

    /** A line that is not a JSON object at all. */
    public static ValidatedRow malformed(RecordSchema schema) {
        return new ValidatedRow(new String[schema.fields().size()], List.of(new Reason("_line", Reason.MALFORMED, null)));
    }

    public boolean valid() {
        return reasons.isEmpty();
    }
}

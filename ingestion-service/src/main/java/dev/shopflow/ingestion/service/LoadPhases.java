package dev.shopflow.ingestion.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Wall time of each phase of one batch load, for the batch's log line (where a slow load spends its time). */
public final class LoadPhases {

    private final Map<String, Long> millis = new LinkedHashMap<>();
    private long last = System.nanoTime();
    private String path = "";

    /** The load path taken (direct or merge), for the log line. */
    public void path(String name) {
        this.path = name;
    }

    /** Ends the current phase under this name. */
    public void lap(String phase) {
        long now = System.nanoTime();
        millis.merge(phase, (now - last) / 1_000_000, Long::sum);
        last = now;
    }

    @Override
    public String toString() {
        return "path=" + path + " " + millis.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "ms")
                .collect(Collectors.joining(" "));
    }
}

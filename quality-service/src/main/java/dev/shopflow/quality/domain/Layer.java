package dev.shopflow.quality.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The layers checks run on: staging on a schedule, warehouse and marts in transform's audit. */
public enum Layer {
    STAGING, WAREHOUSE, MARTS;

    /** The name in checks files and on the wire ("staging"). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Layer> fromWireName(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName().equals(name)).findFirst();
    }

    /** "staging, warehouse, marts", for messages. */
    public static String wireNames() {
        return Arrays.stream(values()).map(Layer::wireName).collect(Collectors.joining(", "));
    }
}

package dev.shopflow.common.trace;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns span export on with one setting. The OpenTelemetry extension's exporter and sampler are fixed
 * at build time, so "off unless an endpoint is given" is a runtime sample ratio: with
 * {@code SHOPFLOW_OTLP_ENDPOINT} (or {@code -Dshopflow.otlp.endpoint}) every trace is sampled and sent
 * there; without it none is, and no export is ever attempted. Trace and span ids exist either way (they
 * are in the logs and travel between services). Explicit {@code quarkus.otel.*} settings (environment,
 * system properties) still win: this source sits just above application.properties.
 */
public class TracingDefaults implements ConfigSource {

    static final String ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    static final String RATIO = "quarkus.otel.traces.sampler.arg";

    private final Map<String, String> values;

    public TracingDefaults() {
        this(System.getProperty("shopflow.otlp.endpoint", System.getenv("SHOPFLOW_OTLP_ENDPOINT")));
    }

    TracingDefaults(String endpoint) {
        Map<String, String> v = new HashMap<>();
        if (endpoint == null || endpoint.isBlank()) {
            v.put(RATIO, "0.0");
        } else {
            v.put(RATIO, "1.0");
            v.put(ENDPOINT, endpoint.strip());
        }
        this.values = Map.copyOf(v);
    }

    @Override
    public Map<String, String> getProperties() {
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String name) {
        return values.get(name);
    }

    @Override
    public String getName() {
        return "shopflow-tracing-defaults";
    }

    @Override
    public int getOrdinal() {
        // application.properties is 250, environment variables 300, system properties 400
        return 260;
    }
}

package dev.shopflow.analytics.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The console's Quality page asks quality-service over HTTP, as any client would: quality owns its
 * results, and analytics' database role reads only the marts and the pipeline tables (docs/security.md).
 * When quality does not answer, the page says so instead of failing.
 */
@ApplicationScoped
public class QualityResults {

    @RestClient
    QualityRestClient client;

    /** {@code {"available": true, "items": [...]}}, newest first; {@code available: false} and a reason when quality is away. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    @Fallback(fallbackMethod = "unavailable")
    public Map<String, Object> latest(String check, int limit) {
        JsonNode answer = client.checkResults(check, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("available", true);
        out.put("items", answer.path("items"));
        return out;
    }

    Map<String, Object> unavailable(String check, int limit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("available", false);
        out.put("reason", "quality-service did not answer; its results show here once it is back");
        out.put("items", List.of());
        return out;
    }
}

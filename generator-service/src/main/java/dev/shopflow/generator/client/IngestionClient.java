package dev.shopflow.generator.client;

import dev.shopflow.common.wire.BatchReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import dev.shopflow.common.client.PeerRefusedException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Pushes one batch to ingestion. Retrying is safe: the idempotency key makes a repeated push
 * answer with the original report instead of loading twice.
 */
@ApplicationScoped
public class IngestionClient {

    @RestClient
    IngestionRestClient client;

    // long enough to ride out an ingestion restart (a killed pod comes back in seconds to a minute);
    // replays are safe: every batch carries its idempotency key. A final answer (401, 400, 413, 415)
    // fails at once. While ingestion is down the breaker answers at once instead of each attempt
    // waiting on a connection; the retries keep probing it every second.
    @Retry(maxRetries = 60, delay = 1, delayUnit = ChronoUnit.SECONDS, jitter = 500, maxDuration = 180,
            durationUnit = ChronoUnit.SECONDS, abortOn = PeerRefusedException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 2, delayUnit = ChronoUnit.SECONDS,
            skipOn = PeerRefusedException.class)
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    public BatchReport push(String entity, String idempotencyKey, String ndjson) {
        return client.push(entity, idempotencyKey, ndjson);
    }
}

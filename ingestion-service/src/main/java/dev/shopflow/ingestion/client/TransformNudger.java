package dev.shopflow.ingestion.client;

import dev.shopflow.common.client.PeerRefusedException;
import dev.shopflow.common.wire.TransformRunRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Tells transform that a batch was loaded. Fire-and-forget with retries: if every attempt fails,
 * transform's sweep finds the batch in the ledger anyway. A 409 means a run is already going and
 * will pick the batch up, so it counts as delivered; any other 4xx is final and not retried. A 503
 * (transform backing off after a failed run) is retried a few times, then left to the sweep.
 */
@ApplicationScoped
public class TransformNudger {

    @RestClient
    TransformRestClient client;

    @Asynchronous
    @Retry(maxRetries = 3, delay = 500, delayUnit = ChronoUnit.MILLIS, jitter = 200, abortOn = PeerRefusedException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 1.0, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = PeerRefusedException.class)
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    public CompletionStage<Integer> nudge() {
        try (Response response = client.start(TransformRunRequest.incremental())) {
            return CompletableFuture.completedFuture(response.getStatus());
        } catch (PeerRefusedException e) {
            if (e.status() == Response.Status.CONFLICT.getStatusCode()) {
                return CompletableFuture.completedFuture(409);
            }
            throw e;
        }
    }
}

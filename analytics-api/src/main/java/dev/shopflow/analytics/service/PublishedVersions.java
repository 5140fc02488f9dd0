package dev.shopflow.analytics.service;

import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The version every answer is computed from: read per request (one indexed row), so a publish is
 * visible at once. Cached answers are keyed by version; when a new one appears the old answers go.
 */
@ApplicationScoped
public class PublishedVersions {

    private final KpiRepository repository;
    private final Cache cache;
    private final AtomicLong lastSeen = new AtomicLong(-1);

    PublishedVersions(KpiRepository repository, @CacheName(KpiService.CACHE) Cache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    public PublishedVersion current() throws SQLException {
        PublishedVersion v = repository.publishedVersion().orElseThrow(() -> new ProblemException(Problem.of(
                Response.Status.SERVICE_UNAVAILABLE, "not-yet-published",
                "No mart version has been published yet; run a generation or ingest data, then retry")));
        long previous = lastSeen.getAndSet(v.version());
        if (previous != v.version() && previous != -1) {
            cache.invalidateAll().await().indefinitely();
        }
        return v;
    }
}

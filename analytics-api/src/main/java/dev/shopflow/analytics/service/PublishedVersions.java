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
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The version every answer is computed from. It is read from the database at most once per
 * {@code shopflow.analytics.version-check-every} (default 1 s), so a cached answer costs no query
 * and a database hiccup does not slow cache hits; a publish shows within that time. When a new
 * version appears, the cached answers of older ones go.
 */
@ApplicationScoped
public class PublishedVersions {

    private record Checked(PublishedVersion version, long atNanos) {
    }

    private final KpiRepository repository;
    private final Cache cache;
    private final long checkEveryNanos;
    private volatile Checked last;

    PublishedVersions(KpiRepository repository, @CacheName(KpiService.CACHE) Cache cache,
            @ConfigProperty(name = "shopflow.analytics.version-check-every", defaultValue = "1s") Duration checkEvery) {
        this.repository = repository;
        this.cache = cache;
        this.checkEveryNanos = checkEvery.toNanos();
    }

    public PublishedVersion current() throws SQLException {
        Checked seen = last;
        long now = System.nanoTime();
        if (seen != null && now - seen.atNanos() < checkEveryNanos) {
            return seen.version();
        }
        PublishedVersion v = repository.publishedVersion().orElseThrow(() -> new ProblemException(Problem.of(
                Response.Status.SERVICE_UNAVAILABLE, "not-yet-published",
                "No mart version has been published yet; run a generation or ingest data, then retry")));
        last = new Checked(v, now);
        if (seen != null && seen.version().version() != v.version()) {
            cache.invalidateAll().await().indefinitely();
        }
        return v;
    }
}

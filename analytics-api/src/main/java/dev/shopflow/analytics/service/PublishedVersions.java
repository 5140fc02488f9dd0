package dev.shopflow.analytics.service;

import dev.shopflow.analytics.config.AnalyticsConfig;
import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The version every answer is computed from. It is read from the database at most once per
 * {@code shopflow.analytics.version-check-every} (default 1 s), so a cached answer costs no query
 * and a database hiccup does not slow cache hits; a publish shows within that time.
 *
 * <p>A new version is prepared in memory ({@link PreparedKpis}) before it is served: the request that
 * sees it first prepares it while the others keep getting the version before (or wait, when there is
 * none yet); then it is switched to at once and the cached answers of older versions go. A version
 * that cannot be prepared (more mart rows than {@code shopflow.analytics.prepare.max-rows}, by default
 * the heap's size / 192 bytes; or not exact in hundredths) is served all the same, answered by SQL.
 */
@ApplicationScoped
public class PublishedVersions {

    private static final Logger LOG = Logger.getLogger(PublishedVersions.class);
    /** Heap bytes per mart row the default row bound allows (4 x the ~48 a prepared row takes). */
    static final long BYTES_PER_ROW_BUDGET = 192;

    private record Served(PublishedVersion version, PreparedKpis prepared, long checkedAtNanos) {
    }

    private final KpiRepository repository;
    private final Cache cache;
    private final long checkEveryNanos;
    private final boolean prepare;
    private final long maxRows;
    private final ReentrantLock preparing = new ReentrantLock();
    private volatile Served served;

    PublishedVersions(KpiRepository repository, @CacheName(KpiService.CACHE) Cache cache, AnalyticsConfig config) {
        this.repository = repository;
        this.cache = cache;
        this.checkEveryNanos = config.versionCheckEvery().toNanos();
        this.prepare = config.prepare().enabled();
        // about 48 bytes a mart row, held twice while a new version is prepared beside the served one:
        // by default a version may take a quarter of the heap
        this.maxRows = config.prepare().maxRows().orElse(Runtime.getRuntime().maxMemory() / BYTES_PER_ROW_BUDGET);
    }

    public PublishedVersion current() throws SQLException {
        Served seen = served;
        long now = System.nanoTime();
        if (seen != null && (now - seen.checkedAtNanos() < checkEveryNanos || preparing.isLocked())) {
            // checked lately, or a newer version is being prepared: the served one stands meanwhile
            return seen.version();
        }
        PublishedVersion v = repository.publishedVersion().orElseThrow(() -> new ProblemException(Problem.of(
                Response.Status.SERVICE_UNAVAILABLE, "not-yet-published",
                "No mart version has been published yet; run a generation or ingest data, then retry")));
        if (seen != null && seen.version().version() == v.version()) {
            served = new Served(seen.version(), seen.prepared(), now);
            return seen.version();
        }
        if (seen != null && !preparing.tryLock()) {
            return seen.version(); // another request is preparing the new version
        }
        if (seen == null) {
            preparing.lock();
        }
        try {
            Served before = served;
            if (before != null && before.version().version() == v.version()) {
                return before.version(); // prepared while this request waited
            }
            served = new Served(v, prepare(v), System.nanoTime());
            if (before != null) {
                cache.invalidateAll().await().indefinitely();
            }
            return v;
        } finally {
            preparing.unlock();
        }
    }

    /**
     * The in-memory form of version {@code v}, or null when it is answered by SQL: also for an answer
     * begun just before a switch to a newer version (its rows stay readable; only one version is held
     * in memory, besides the one being prepared).
     */
    PreparedKpis prepared(PublishedVersion v) {
        Served s = served;
        return s != null && s.version().version() == v.version() ? s.prepared() : null;
    }

    private PreparedKpis prepare(PublishedVersion v) throws SQLException {
        if (!prepare) {
            return null;
        }
        long start = System.nanoTime();
        try {
            PreparedKpis prepared = PreparedKpis.load(repository, v.version(), maxRows);
            LOG.infof("Prepared version %d in memory in %d ms: %d mart rows, about %d MiB", v.version(),
                    (System.nanoTime() - start) / 1_000_000, prepared.rows(), prepared.bytes() >> 20);
            return prepared;
        } catch (PreparedKpis.NotPreparable e) {
            LOG.warnf("Version %d is answered by SQL, not from memory: %s", v.version(), e.getMessage());
            return null;
        } catch (OutOfMemoryError e) {
            // the row bound is meant to prevent this; what was built is garbage now, and SQL still answers
            LOG.errorf("Version %d is answered by SQL: preparing it ran out of heap (lower "
                    + "shopflow.analytics.prepare.max-rows or give analytics-api more heap)", v.version());
            return null;
        }
    }
}

package dev.shopflow.analytics.service;

import dev.shopflow.analytics.config.AnalyticsConfig;
import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * none yet); then it is switched to at once, the cached answers of older versions go, and the old
 * version is garbage as soon as the requests still answering from it end. One preparation at a time.
 *
 * <p>Memory is admitted, not hoped for: a version is prepared only when loading and building it fits
 * in the heap beside the served version and {@code shopflow.analytics.prepare.headroom-mib} (requests'
 * working memory, the answer cache); {@link PreparedKpis#load} counts as it reads and estimates before
 * it builds. A version that does not fit, has more mart rows than {@code shopflow.analytics.prepare.max-rows}
 * (by default the heap's size / 192 bytes) or is not exact in hundredths is served all the same,
 * answered by SQL, with a warning in the log and {@code shopflow_analytics_preparations_total{outcome}}.
 */
@ApplicationScoped
public class PublishedVersions {

    private static final Logger LOG = Logger.getLogger(PublishedVersions.class);
    /** Heap bytes per mart row the default row bound allows (4 x the ~48 a prepared row takes). */
    static final long BYTES_PER_ROW_BUDGET = 192;
    /** Heap that preparing a version takes at its peak (loader, built version, building's transients) per byte it keeps. */
    static final long PEAK_PER_PREPARED_BYTE = 3;

    private record Served(PublishedVersion version, PreparedKpis prepared, long checkedAtNanos) {
    }

    private final KpiRepository repository;
    private final Cache cache;
    private final AnswerCache answers;
    private final MeterRegistry registry;
    private final long headroomBytes;
    private final long checkEveryNanos;
    private final boolean prepare;
    private final long maxRows;
    private final ReentrantLock preparing = new ReentrantLock();
    private volatile Served served;

    PublishedVersions(KpiRepository repository, @CacheName(KpiService.CACHE) Cache cache, AnswerCache answers,
            MeterRegistry registry, AnalyticsConfig config) {
        this.repository = repository;
        this.cache = cache;
        this.answers = answers;
        this.registry = registry;
        this.headroomBytes = config.prepare().headroomMib() << 20;
        Gauge.builder("shopflow.analytics.prepared.bytes", this, PublishedVersions::preparedBytes)
                .description("Heap bytes of the published version prepared in memory (0: answered by SQL)")
                .baseUnit("bytes").register(registry);
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
            served = new Served(v, prepare(v, before), System.nanoTime());
            if (before != null) {
                answers.clear();
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

    private PreparedKpis prepare(PublishedVersion v, Served before) throws SQLException {
        if (!prepare) {
            return null;
        }
        long start = System.nanoTime();
        long held = before == null || before.prepared() == null ? 0 : before.prepared().bytes();
        long heap = Runtime.getRuntime().maxMemory() - headroomBytes;
        if (held > 0 && PEAK_PER_PREPARED_BYTE * held > heap - held) {
            // a version like the served one would not fit beside it (preparing takes about three times what
            // the prepared version holds): let the served one go first and answer by SQL meanwhile, rather
            // than leave every other version to SQL for its whole life
            LOG.infof("Releasing version %d from memory to prepare version %d (about %d MiB held; answered by SQL "
                    + "while it is prepared)", before.version().version(), v.version(), held >> 20);
            served = new Served(before.version(), null, before.checkedAtNanos());
            held = 0;
        }
        long budget = Math.max(0, heap - held);
        try {
            PreparedKpis prepared = PreparedKpis.load(repository, v.version(), maxRows, budget);
            LOG.infof("Prepared version %d in memory in %d ms: %d mart rows, about %d MiB (budget %d MiB)", v.version(),
                    (System.nanoTime() - start) / 1_000_000, prepared.rows(), prepared.bytes() >> 20, budget >> 20);
            counted("prepared");
            return prepared;
        } catch (PreparedKpis.NotPreparable e) {
            LOG.warnf("Version %d is answered by SQL, not from memory: %s", v.version(), e.getMessage());
            counted("sql");
            return null;
        } catch (OutOfMemoryError e) {
            // the admission is meant to prevent this; what was built is garbage now, and SQL still answers
            LOG.errorf("Version %d is answered by SQL: preparing it ran out of heap (raise "
                    + "shopflow.analytics.prepare.headroom-mib or give analytics-api more heap)", v.version());
            counted("out_of_memory");
            return null;
        }
    }

    private void counted(String outcome) {
        registry.counter("shopflow.analytics.preparations", "outcome", outcome).increment();
    }

    private double preparedBytes() {
        Served s = served;
        return s == null || s.prepared() == null ? 0 : s.prepared().bytes();
    }
}

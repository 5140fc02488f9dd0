package dev.shopflow.analytics.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shopflow.analytics.config.AnalyticsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Serialized KPI answers of the published version, keyed by version and request. Bounded by bytes,
 * not by entries: 500 answers of 8 MB each once filled the old generation of a 192 MiB heap, and later
 * requests answered 500. An answer larger than {@code shopflow.analytics.answer-cache.max-entry-kib}
 * is sent but not kept; the whole cache holds at most {@code shopflow.analytics.answer-cache.max-mib}.
 */
@ApplicationScoped
public class AnswerCache {

    private final Cache<String, byte[]> answers;
    private final long maxEntryBytes;

    AnswerCache(AnalyticsConfig config) {
        this.maxEntryBytes = config.answerCache().maxEntryKib() * 1024L;
        this.answers = Caffeine.newBuilder()
                .maximumWeight(config.answerCache().maxMib() * 1024L * 1024L)
                .weigher((String key, byte[] body) -> body.length + 2 * key.length() + 96)
                .expireAfterWrite(config.answerCache().expireAfterWrite())
                .build();
    }

    /** The cached answer for {@code key}, or {@code compute}'s, kept when it is small enough. */
    public byte[] get(String key, Supplier<byte[]> compute) {
        byte[] cached = answers.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        byte[] body = compute.get();
        if (body.length <= maxEntryBytes) {
            answers.put(key, body);
        }
        return body;
    }

    /** Empties the cache (a new version is served: every key names an older one). */
    public void clear() {
        answers.invalidateAll();
    }

    /** Bytes held, as the weigher counts them (tests, the log). */
    public long weightedBytes() {
        answers.cleanUp();
        return answers.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}

package dev.shopflow.analytics.persistence;

import java.time.Instant;

/** The mart version a response is computed from, and its watermark ({@code as_of}). */
public record PublishedVersion(long version, Instant asOf) {
}

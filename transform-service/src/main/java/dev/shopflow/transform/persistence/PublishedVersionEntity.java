package dev.shopflow.transform.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One row of {@code pipeline.published_version} (migration V1): readers serve the highest version, so
 * inserting one is the switch. Written once, in the transaction that publishes it ({@code TransformRuns}).
 */
@Entity
@Table(schema = "pipeline", name = "published_version")
public class PublishedVersionEntity {

    /** From pipeline.mart_version_seq, taken when the version was built: assigned, not generated here. */
    @Id
    public Long version;

    @Column(name = "run_id")
    public long runId;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** Receive time of the newest batch the version includes: the as_of of API answers. */
    public Instant watermark;

    public static PublishedVersionEntity of(long version, long runId, Instant publishedAt, Instant watermark) {
        PublishedVersionEntity row = new PublishedVersionEntity();
        row.version = version;
        row.runId = runId;
        row.publishedAt = publishedAt;
        row.watermark = watermark;
        return row;
    }
}

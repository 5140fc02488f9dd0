package dev.shopflow.ingestion.persistence;

import dev.shopflow.common.db.QueryFilters;
import dev.shopflow.common.wire.BatchStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads of the batch ledger: by id, and the filtered list newest first. */
@ApplicationScoped
public class BatchRepository implements PanacheRepositoryBase<BatchEntity, UUID> {

    /** Batches matching every filter given (null: any), newest first, below {@code before} (a batch_seq), at most {@code limit}. */
    public List<BatchEntity> newest(String entity, BatchStatus status, Long before, int limit) {
        QueryFilters filters = new QueryFilters().equal("entity", entity).equal("status", status).below("batchSeq", before);
        return find(filters.query(), Sort.descending("batchSeq"), filters.parameters()).page(Page.ofSize(limit)).list();
    }
}

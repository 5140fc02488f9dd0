package dev.shopflow.ingestion.persistence;

import dev.shopflow.common.db.QueryFilters;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads quarantined rows ({@code quarantine.rejected_row}). */
@ApplicationScoped
public class QuarantineRepository implements PanacheRepositoryBase<RejectedRowEntity, Long> {

    /** Rejected rows matching every filter given (null: any), newest first, below id {@code before}, at most {@code limit}. */
    public List<RejectedRowEntity> newest(String entity, UUID batchId, Long before, int limit) {
        QueryFilters filters = new QueryFilters().equal("entity", entity).equal("batchId", batchId).below("id", before);
        return find(filters.query(), Sort.descending("id"), filters.parameters()).page(Page.ofSize(limit)).list();
    }
}

package dev.shopflow.quality.persistence;

import dev.shopflow.common.db.QueryFilters;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** {@code quality.check_result}: the results history, filtered and newest first. */
@ApplicationScoped
public class CheckResultRepository implements PanacheRepositoryBase<CheckResultEntity, Long> {

    /** Results matching every filter given (null: any), newest first, at most {@code limit}. */
    public List<CheckResultEntity> history(String status, String check, Long runId, int limit) {
        QueryFilters filters = new QueryFilters().equal("status", status).equal("checkName", check).equal("runId", runId);
        return find(filters.query(), Sort.descending("resultId"), filters.parameters()).page(Page.ofSize(limit)).list();
    }
}

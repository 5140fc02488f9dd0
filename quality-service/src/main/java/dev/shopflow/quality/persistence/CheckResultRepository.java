package dev.shopflow.quality.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** {@code quality.check_result}: the results history, filtered and newest first. */
@ApplicationScoped
public class CheckResultRepository implements PanacheRepositoryBase<CheckResultEntity, Long> {

    /** Results matching every filter given (null: any), newest first, at most {@code limit}. */
    public List<CheckResultEntity> history(String status, String check, Long runId, int limit) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (status != null) {
            where.add("status = :status");
            parameters.and("status", status);
        }
        if (check != null) {
            where.add("checkName = :check");
            parameters.and("check", check);
        }
        if (runId != null) {
            where.add("runId = :runId");
            parameters.and("runId", runId);
        }
        Sort newestFirst = Sort.descending("resultId");
        return (where.isEmpty() ? findAll(newestFirst) : find(String.join(" and ", where), newestFirst, parameters))
                .page(Page.ofSize(limit)).list();
    }
}

package dev.shopflow.quality.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code quality.check_run} by id. */
@ApplicationScoped
public class CheckRunRepository implements PanacheRepositoryBase<CheckRunEntity, Long> {
}

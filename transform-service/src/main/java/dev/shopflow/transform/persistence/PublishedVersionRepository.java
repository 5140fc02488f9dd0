package dev.shopflow.transform.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** {@code pipeline.published_version}: the versions in the order they were published. */
@ApplicationScoped
public class PublishedVersionRepository implements PanacheRepositoryBase<PublishedVersionEntity, Long> {

    /** The version readers are served, if any was published. */
    public Optional<PublishedVersionEntity> served() {
        return findAll(Sort.descending("version")).firstResultOptional();
    }
}

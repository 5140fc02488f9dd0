package dev.shopflow.generator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** {@code pipeline.generation_run}: runs by id; the service holds the transactions. */
@ApplicationScoped
public class GenerationRunRepository implements PanacheRepositoryBase<GenerationRunEntity, UUID> {
}

package dev.shopflow.ingestion.persistence;

import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.service.LoadPhases;
import java.io.IOException;
import java.sql.SQLException;

/** Where a batch's validated rows go, inside the load's transaction: staging, or quarantine with their reasons. */
public interface RowSink extends AutoCloseable {

    void add(int line, ValidatedRow row, String originalLine);

    /**
     * Ends the stream and completes staging and quarantine.
     *
     * @return rows the sink quarantined itself, beyond the invalid ones it was given: valid rows whose
     *     value PostgreSQL still could not store (rule {@code unstorable})
     */
    int finish(LoadPhases phases) throws SQLException, IOException;

    /** Releases what the sink holds; after a failure the transaction is rolled back by the caller. */
    @Override
    void close();
}

package dev.shopflow.analytics.service;

import dev.shopflow.analytics.client.QualityResults;
import dev.shopflow.analytics.persistence.ConsoleRepository;
import dev.shopflow.analytics.persistence.PipelineStatusRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** What analytics shows about the pipeline itself (status, runs, quality, catalog), for the resources. */
@ApplicationScoped
public class PipelineViews {

    private final PipelineStatusRepository status;
    private final ConsoleRepository console;
    private final QualityResults quality;

    PipelineViews(PipelineStatusRepository status, ConsoleRepository console, QualityResults quality) {
        this.status = status;
        this.console = console;
        this.quality = quality;
    }

    public Map<String, Object> status() throws SQLException {
        return status.status();
    }

    public List<Map<String, Object>> transformRuns(int limit) throws SQLException {
        return console.runs(limit);
    }

    public Map<String, Object> checkResults(String check, int limit) {
        return quality.latest(check, limit);
    }

    public Map<String, Object> extent() throws SQLException {
        return console.extent();
    }

    public Map<String, Object> catalog() throws SQLException {
        return console.catalog();
    }
}

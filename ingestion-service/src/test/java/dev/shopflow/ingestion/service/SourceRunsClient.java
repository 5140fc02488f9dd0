package dev.shopflow.ingestion.service;

import static dev.shopflow.ingestion.Fixtures.authorized;
import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;

/** Starts a source run over the API and waits for its end, as an operator would; the sources tests share it. */
final class SourceRunsClient {

    private SourceRunsClient() {
    }

    static JsonPath runToEnd(String source, boolean full) throws InterruptedException {
        long runId = authorized().post("/api/v1/sources/" + source + "/runs" + (full ? "?full=true" : ""))
                .then().statusCode(202).extract().jsonPath().getLong("run_id");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonPath run = given().get("/api/v1/source-runs/" + runId).then().statusCode(200).extract().jsonPath();
            if (!run.getString("status").equals("running")) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("source run " + runId + " did not end");
    }
}

package dev.shopflow.ingestion.api;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.ingestion.Fixtures.NDJSON;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.Fixtures;
import dev.shopflow.ingestion.domain.RecordSchema;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract's promise as a property: whatever a client puts in a row's fields, a well-formed
 * request is accepted (201), {@code received = loaded + quarantined}, and every valid row of the
 * batch is in staging with the value it was sent. Batches mix valid rows (random values inside
 * every bound, the bounds themselves included) with rows where one field is replaced by a random
 * hostile value: other JSON types, NUL and lone surrogates, numbers near every limit, timestamps
 * outside PostgreSQL's range, very long text, broken lines.
 *
 * <p>Seeded: a failure names the seed of its batch; {@code -Dshopflow.property.seed=...} replays a
 * run and {@code -Dshopflow.property.batches=2000} runs a longer one (see docs/testing.md).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RandomBatchPropertyTests {

    static final long SEED = Long.getLong("shopflow.property.seed", 20261202L);
    static final int BATCHES = Integer.getInteger("shopflow.property.batches", 80);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldAcceptEveryRandomBatchAndLoadEveryValidRow() throws Exception {
        Random seeds = new Random(SEED);
        for (int b = 0; b < BATCHES; b++) {
            long batchSeed = seeds.nextLong();
            try {
                checkBatch(new Random(batchSeed), "pp" + b);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("random batch " + b + " (batch seed " + batchSeed + ", run seed " + SEED
                        + ") broke the property: " + e.getMessage(), e);
            }
        }
    }

    void checkBatch(Random random, String prefix) throws Exception {
        Entity entity = Entity.values()[random.nextInt(Entity.values().length)];
        RecordSchema schema = RecordSchema.of(entity);
        int rows = 1 + random.nextInt(40);
        StringBuilder body = new StringBuilder();
        Map<String, Map<String, String>> valid = new LinkedHashMap<>();
        int lines = 0;
        for (int i = 0; i < rows; i++) {
            String key = prefix + "-" + i;
            Map<String, String> row = validRow(entity, key, random);
            int roll = random.nextInt(10);
            if (roll < 5) {
                valid.put(key, row);
            } else if (roll < 9) {
                List<String> fields = new ArrayList<>(schema.fieldNames());
                String field = fields.get(random.nextInt(fields.size()));
                if (random.nextInt(8) == 0) {
                    row.remove(field);
                } else {
                    row.put(field, HostileValues.any(random));
                }
            } else {
                body.append(HostileValues.brokenLine(random)).append('\n');
                lines++;
                continue;
            }
            body.append(json(row)).append('\n');
            lines++;
        }
        Response response = authorized().contentType(NDJSON).body(body.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/batches/" + entity.wireName());
        assertThat(response.statusCode()).as("status of %s batch %s: %s", entity.wireName(), prefix,
                response.asString()).isEqualTo(201);
        int received = response.path("received");
        int loaded = response.path("loaded");
        int quarantined = response.path("quarantined");
        String batchId = response.path("batch_id");
        assertThat(received).as("received").isEqualTo(lines - blankLines(body.toString()));
        assertThat(loaded + quarantined).as("loaded + quarantined").isEqualTo(received);
        assertThat(loaded).as("loaded").isGreaterThanOrEqualTo(valid.size());
        assertThat(count(dataSource, "SELECT count(*) FROM quarantine.rejected_row WHERE batch_id = '"
                + batchId + "'")).as("quarantine rows").isEqualTo(quarantined);
        if (!valid.isEmpty()) {
            String keyColumn = schema.keyColumns().get(0);
            String probe = probeColumn(entity);
            String keys = valid.keySet().stream().map(k -> "'" + k + "'").collect(Collectors.joining(","));
            Map<String, String> stored = new LinkedHashMap<>();
            try (var c = dataSource.getConnection(); var st = c.createStatement();
                    var rs = st.executeQuery("SELECT " + keyColumn + ", " + probe + "::text FROM "
                            + schema.stagingTable() + " WHERE " + keyColumn + " IN (" + keys + ")")) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getString(2));
                }
            }
            assertThat(stored.keySet()).as("valid rows in staging").containsExactlyInAnyOrderElementsOf(valid.keySet());
            for (var e : valid.entrySet()) {
                assertThat(new BigDecimal(stored.get(e.getKey()))).as("%s of %s", probe, e.getKey())
                        .isEqualByComparingTo(new BigDecimal(e.getValue().get(probe)));
            }
        }
    }

    static int blankLines(String body) {
        int blank = 0;
        for (String line : body.split("\n", -1)) {
            if (line.isBlank()) {
                blank++;
            }
        }
        return blank - 1; // the split's empty tail after the last LF
    }

    /** A numeric column of every entity: staging must hold what was sent, not just a row. */
    static String probeColumn(Entity entity) {
        return switch (entity) {
            case CUSTOMERS -> "extract(epoch from updated_at)";
            case PRODUCTS -> "unit_price";
            case ORDERS -> "extract(epoch from order_ts)";
            case ORDER_ITEMS -> "unit_price";
            case PAYMENTS -> "amount";
        };
    }

    /** A row every rule accepts, with values spread over (and onto) its bounds. Values are JSON literals. */
    static Map<String, String> validRow(Entity entity, String key, Random random) {
        Map<String, String> row = new LinkedHashMap<>();
        String ts = quote(timestamp(random));
        switch (entity) {
            case CUSTOMERS -> {
                row.put("customer_id", quote(key));
                row.put("email", quote(HostileValues.validText(random, 20).replaceAll("[@\\s\"\\\\]", "x") + "x@example.com"));
                row.put("first_name", quote(HostileValues.validText(random, 1000)));
                row.put("last_name", quote(HostileValues.validText(random, 50)));
                row.put("city", random.nextBoolean() ? quote(HostileValues.validText(random, 200)) : "null");
                row.put("country", quote(List.of("GB", "DE", "US", "JP", "BR").get(random.nextInt(5))));
                row.put("signup_at", quote(timestamp(random)));
                row.put("updated_at", ts);
                row.put("extract(epoch from updated_at)", String.valueOf(Instant.parse(unquote(ts)).getEpochSecond()));
            }
            case PRODUCTS -> {
                row.put("product_id", quote(key));
                row.put("name", quote(HostileValues.validText(random, 300)));
                row.put("category", quote(HostileValues.validText(random, 200)));
                row.put("unit_price", money(random, RecordSchema.MAX_UNIT_PRICE));
                row.put("unit_cost", money(random, RecordSchema.MAX_UNIT_PRICE));
                row.put("updated_at", ts);
            }
            case ORDERS -> {
                row.put("order_id", quote(key));
                row.put("customer_id", quote("c-" + random.nextInt(100)));
                row.put("order_ts", ts);
                row.put("status", quote(List.of("placed", "paid", "shipped", "delivered", "cancelled", "returned")
                        .get(random.nextInt(6))));
                row.put("channel", quote(List.of("web", "mobile", "marketplace").get(random.nextInt(3))));
                row.put("updated_at", ts);
                row.put("extract(epoch from order_ts)", String.valueOf(Instant.parse(unquote(ts)).getEpochSecond()));
            }
            case ORDER_ITEMS -> {
                row.put("order_id", quote(key));
                row.put("line_number", String.valueOf(edge(random, 1, 1000)));
                row.put("product_id", quote("p-" + random.nextInt(100)));
                long quantity = edge(random, 1, RecordSchema.MAX_QUANTITY);
                String price = money(random, RecordSchema.MAX_UNIT_PRICE);
                row.put("quantity", String.valueOf(quantity));
                row.put("unit_price", price);
                BigDecimal line = new BigDecimal(price).multiply(BigDecimal.valueOf(quantity));
                row.put("discount", random.nextBoolean() ? "0" : line.multiply(BigDecimal.valueOf(random.nextInt(101)))
                        .movePointLeft(2).setScale(2, java.math.RoundingMode.DOWN).toPlainString());
            }
            case PAYMENTS -> {
                row.put("payment_id", quote(key));
                row.put("order_id", quote("o-" + random.nextInt(100)));
                row.put("method", quote(List.of("credit_card", "debit_card", "paypal", "gift_card", "bank_transfer")
                        .get(random.nextInt(5))));
                String amount = money(random, RecordSchema.MAX_PAYMENT);
                row.put("amount", new BigDecimal(amount).signum() == 0 ? "0.01" : amount);
                row.put("status", quote(List.of("captured", "refunded", "failed").get(random.nextInt(3))));
                row.put("paid_at", ts);
            }
        }
        return row;
    }

    static long edge(Random random, long min, long max) {
        return switch (random.nextInt(4)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + (long) (random.nextDouble() * (max - min + 1));
        };
    }

    static String money(Random random, long max) {
        return switch (random.nextInt(5)) {
            case 0 -> "0";
            case 1 -> String.valueOf(max);
            case 2 -> max + ".00";
            case 3 -> BigDecimal.valueOf(max).subtract(new BigDecimal("0.01")).toPlainString();
            default -> BigDecimal.valueOf((long) (random.nextDouble() * max * 100), 2).toPlainString();
        };
    }

    static String timestamp(Random random) {
        Instant oldest = Instant.parse("1900-01-01T00:00:00Z");
        Instant newest = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return switch (random.nextInt(5)) {
            case 0 -> oldest.toString();
            case 1 -> newest.toString();
            case 2 -> "1900-01-01T01:00:00+01:00";
            default -> oldest.plusSeconds((long) (random.nextDouble() * (newest.getEpochSecond() - oldest.getEpochSecond())))
                    .toString();
        };
    }

    static String json(Map<String, String> row) {
        return row.entrySet().stream().filter(e -> !e.getKey().startsWith("extract("))
                .map(e -> quote(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    static String quote(String text) {
        return HostileValues.jsonString(text, false);
    }

    static String unquote(String literal) {
        return literal.substring(1, literal.length() - 1);
    }
}

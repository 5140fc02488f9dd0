package dev.shopflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** {@code ./shopflow demo}: generate the last N days, wait for the publish, print the KPI summary. */
final class Demo {

    private Demo() {
    }

    static int run(Options options) throws Exception {
        int days = Integer.parseInt(options.get("days", "30"));
        String generator = options.require("generator");
        String analytics = options.require("analytics");
        PlatformClient client = PlatformClient.fromEnvironment();
        LocalDate to = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        LocalDate from = to.minusDays(days - 1L);
        String body = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"seed\":42,\"orders_per_day\":"
                + options.get("orders-per-day", "500") + "}";
        System.out.printf("Generating %d days (%s .. %s), seed 42%n", days, from, to);
        PlatformClient.Reply started = client.post(generator + "/api/v1/generation-runs", body, true, Duration.ofSeconds(30));
        if (started.status() != 202) {
            System.err.println("Generation refused: " + started.status() + " " + started.body());
            return 1;
        }
        String runId = started.body().path("run_id").asText();
        while (true) {
            JsonNode run = client.get(generator + "/api/v1/generation-runs/" + runId).body();
            System.out.printf("\r  generation %-9s day %d/%d  rows %s   ", run.path("status").asText(),
                    run.path("days_done").asInt(), run.path("days_total").asInt(), run.path("rows_pushed"));
            String status = run.path("status").asText();
            if (status.equals("failed")) {
                System.err.println("\nGeneration failed: " + run.path("error").asText());
                return 1;
            }
            if (status.equals("succeeded")) {
                break;
            }
            Thread.sleep(1000);
        }
        System.out.println();
        JsonNode status = client.awaitPublished(analytics, Duration.ofMinutes(10),
                () -> System.out.print("\r  waiting for transform, audit and publish ...   "));
        System.out.println("\r  published version " + status.path("published_version").asText() + "                 ");
        JsonNode s = client.get(analytics + "/api/v1/kpis/summary?from=" + from + "&to=" + to).body();
        System.out.println();
        System.out.printf("  KPI summary %s .. %s (version %s, as of %s)%n", from, to, s.path("version").asText(),
                s.path("as_of").asText());
        System.out.println("  ----------------------------------------------");
        row("revenue", s.path("revenue").decimalValue().setScale(2).toPlainString());
        row("orders", s.path("orders").asText());
        row("units", s.path("units").asText());
        row("average order value", s.path("aov").asText());
        row("customers", s.path("customers").asText());
        row("new customers", s.path("new_customers").asText());
        row("repeat customer rate", s.path("repeat_customer_rate").asText());
        System.out.println("  ----------------------------------------------");
        dailyRevenue(client, analytics, from, to);
        System.out.println();
        System.out.println("  Console: " + analytics + "/console/   (pipeline, quality, lineage, KPIs)");
        System.out.println("  API:     " + analytics + "/q/swagger-ui");
        return 0;
    }

    /** Revenue per day as a column chart (per week when the range is longer than a terminal is wide). */
    private static void dailyRevenue(PlatformClient client, String analytics, LocalDate from, LocalDate to) throws Exception {
        String granularity = java.time.temporal.ChronoUnit.DAYS.between(from, to) > 90 ? "week" : "day";
        JsonNode items = client.get(analytics + "/api/v1/kpis/revenue?from=" + from + "&to=" + to + "&granularity="
                + granularity).body().path("items");
        if (items.isEmpty()) {
            return;
        }
        java.util.List<java.math.BigDecimal> values = new java.util.ArrayList<>();
        items.forEach(i -> values.add(i.path("revenue").decimalValue()));
        java.math.BigDecimal max = values.stream().max(java.math.BigDecimal::compareTo).orElseThrow();
        System.out.println();
        System.out.println("  Revenue per " + granularity);
        for (String line : TerminalChart.columns(values, 6, String.format("%,12.0f", max))) {
            System.out.println("  " + line);
        }
        String first = items.get(0).path("period").asText();
        String last = items.get(items.size() - 1).path("period").asText();
        int width = values.size();
        System.out.println("  " + " ".repeat(14) + first + (width > first.length() + last.length()
                ? " ".repeat(width - first.length() - last.length()) + last : " .. " + last));
    }

    private static void row(String label, String value) {
        System.out.printf("  %-24s %20s%n", label, value);
    }
}

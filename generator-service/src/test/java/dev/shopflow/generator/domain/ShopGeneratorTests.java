package dev.shopflow.generator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.wire.Entity;
import dev.shopflow.common.wire.Records;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShopGeneratorTests {

    static final LocalDate FROM = LocalDate.of(2025, 1, 1);
    static final LocalDate TO = LocalDate.of(2025, 12, 31);
    /** A year of records, generated once for the statistical tests. */
    static final Map<LocalDate, DayData> YEAR = new java.util.TreeMap<>();

    @BeforeAll
    static void year() {
        ShopGenerator generator = new ShopGenerator(42, 60, 0.0, ShopProfile.defaults());
        for (LocalDate d = FROM; !d.isAfter(TO); d = d.plusDays(1)) {
            YEAR.put(d, generator.day(d));
        }
    }

    static String bytes(DayData data) {
        StringBuilder out = new StringBuilder();
        data.records().forEach((entity, rows) -> rows.forEach(r -> out.append(entity).append(' ')
                .append(RecordJson.line(r)).append('\n')));
        return out.toString();
    }

    static <T> List<T> all(Entity entity, Class<T> type) {
        List<T> out = new ArrayList<>();
        YEAR.values().forEach(d -> d.records().get(entity).forEach(r -> out.add(type.cast(r))));
        return out;
    }

    static List<Records.Order> newOrders() {
        return all(Entity.ORDERS, Records.Order.class).stream()
                .filter(o -> o.orderId().substring(2, 10).equals(o.orderTs().toString().substring(0, 10).replace("-", "")))
                .collect(Collectors.collectingAndThen(Collectors.toMap(Records.Order::orderId, o -> o, (a, b) -> a),
                        m -> new ArrayList<>(m.values())));
    }

    @Test
    void shouldGenerateARangeInOneRunOrInPiecesByteForByte() {
        ShopGenerator oneRun = new ShopGenerator(7, 80, 0.02, ShopProfile.defaults());
        StringBuilder whole = new StringBuilder();
        StringBuilder pieces = new StringBuilder();
        for (LocalDate d = LocalDate.of(2025, 3, 1); !d.isAfter(LocalDate.of(2025, 3, 10)); d = d.plusDays(1)) {
            whole.append(bytes(oneRun.day(d)));
            // each day by a fresh generator, as a run of that day alone would
            pieces.append(bytes(new ShopGenerator(7, 80, 0.02, ShopProfile.defaults()).day(d)));
        }
        assertThat(pieces.toString()).isEqualTo(whole.toString()).hasSizeGreaterThan(100_000);
    }

    @Test
    void shouldGiveOtherRecordsForAnotherSeed() {
        LocalDate d = LocalDate.of(2025, 3, 8);
        assertThat(bytes(new ShopGenerator(1, 80, 0, ShopProfile.defaults()).day(d)))
                .isNotEqualTo(bytes(new ShopGenerator(2, 80, 0, ShopProfile.defaults()).day(d)));
    }

    @Test
    void shouldMakeWeekendsBusierAndNovemberDecemberThePeakWithABlackFridaySpike() {
        Map<LocalDate, Long> perDay = newOrders().stream().collect(Collectors.groupingBy(
                o -> LocalDate.ofInstant(o.orderTs(), java.time.ZoneOffset.UTC), Collectors.counting()));
        long total = perDay.values().stream().mapToLong(Long::longValue).sum();
        long weekend = perDay.entrySet().stream().filter(e -> e.getKey().getDayOfWeek() == DayOfWeek.SATURDAY
                || e.getKey().getDayOfWeek() == DayOfWeek.SUNDAY).mapToLong(Map.Entry::getValue).sum();
        // 2 of 7 days would be 0.286 flat; weekend_factor 1.3 makes it 0.342
        assertThat((double) weekend / total).isBetween(0.32, 0.37);
        double novDec = average(perDay, 11, 12);
        double febMar = average(perDay, 2, 3);
        assertThat(novDec / febMar).isGreaterThan(1.4);
        LocalDate blackFriday = LocalDate.of(2025, 11, 28);
        double around = (average(perDay, blackFriday.minusDays(14), blackFriday.minusDays(1))
                + average(perDay, blackFriday.plusDays(4), blackFriday.plusDays(14))) / 2;
        assertThat(perDay.get(blackFriday) / around).isGreaterThan(2.4);
    }

    static double average(Map<LocalDate, Long> perDay, int fromMonth, int toMonth) {
        return perDay.entrySet().stream().filter(e -> e.getKey().getMonthValue() >= fromMonth
                && e.getKey().getMonthValue() <= toMonth).mapToLong(Map.Entry::getValue).average().orElseThrow();
    }

    static double average(Map<LocalDate, Long> perDay, LocalDate from, LocalDate to) {
        return perDay.entrySet().stream().filter(e -> !e.getKey().isBefore(from) && !e.getKey().isAfter(to))
                .mapToLong(Map.Entry::getValue).average().orElseThrow();
    }

    @Test
    void shouldLetAMinorityOfCustomersPlaceMostOrders() {
        Map<String, Long> perCustomer = newOrders().stream()
                .collect(Collectors.groupingBy(Records.Order::customerId, Collectors.counting()));
        List<Long> counts = perCustomer.values().stream().sorted((a, b) -> Long.compare(b, a)).toList();
        long all = counts.stream().mapToLong(Long::longValue).sum();
        long top = counts.subList(0, counts.size() / 5).stream().mapToLong(Long::longValue).sum();
        assertThat((double) top / all).as("share of orders by the top 20%% of customers").isGreaterThan(0.45);
    }

    @Test
    void shouldEmitEveryOrdersLifecycleAsLaterUpdatesAndPayItsLines() {
        Map<String, List<Records.Order>> versions = all(Entity.ORDERS, Records.Order.class).stream()
                .collect(Collectors.groupingBy(Records.Order::orderId));
        Map<String, BigDecimal> lineTotals = all(Entity.ORDER_ITEMS, Records.OrderItem.class).stream()
                .collect(Collectors.groupingBy(Records.OrderItem::orderId, Collectors.reducing(BigDecimal.ZERO,
                        i -> i.unitPrice().multiply(BigDecimal.valueOf(i.quantity())).subtract(i.discount()), BigDecimal::add)));
        List<Records.Payment> payments = all(Entity.PAYMENTS, Records.Payment.class);
        // orders of the first half year have finished their lifecycles within the year
        List<String> settled = versions.keySet().stream().filter(id -> id.compareTo("O-20250701") < 0).toList();
        Map<String, Long> finalStatus = settled.stream().collect(Collectors.groupingBy(id -> last(versions.get(id)).status(),
                Collectors.counting()));
        assertThat(finalStatus).containsKeys("delivered", "cancelled", "returned", "placed").doesNotContainKeys("paid", "shipped");
        assertThat((double) finalStatus.get("delivered") / settled.size()).isBetween(0.8, 0.92);
        for (String id : settled.subList(0, 500)) {
            List<Records.Order> v = versions.get(id);
            assertThat(v).extracting(Records.Order::updatedAt).isSorted();
            assertThat(v.get(0).orderTs()).isEqualTo(v.get(v.size() - 1).orderTs());
            String status = last(v).status();
            List<Records.Payment> paid = payments.stream().filter(p -> p.orderId().equals(id)).toList();
            if (status.equals("placed")) {
                assertThat(paid).isEmpty();
            } else {
                assertThat(paid).isNotEmpty().allMatch(p -> p.amount().compareTo(lineTotals.get(id)) == 0);
                assertThat(paid.get(paid.size() - 1).status())
                        .isEqualTo(status.equals("cancelled") || status.equals("returned") ? "refunded" : "captured");
            }
        }
    }

    static Records.Order last(List<Records.Order> versions) {
        return versions.stream().max(java.util.Comparator.comparing(Records.Order::updatedAt)).orElseThrow();
    }

    @Test
    void shouldSendNewVersionsOfMovingCustomersAndChangingProducts() {
        Map<String, Long> customerVersions = all(Entity.CUSTOMERS, Records.Customer.class).stream().distinct()
                .collect(Collectors.groupingBy(Records.Customer::customerId, Collectors.counting()));
        assertThat(customerVersions.values()).contains(2L);
        Map<String, List<Records.Product>> productVersions = all(Entity.PRODUCTS, Records.Product.class).stream().distinct()
                .collect(Collectors.groupingBy(Records.Product::productId));
        assertThat(productVersions.values()).anyMatch(v -> v.size() >= 3);
        assertThat(productVersions.values()).anyMatch(v -> v.stream().map(Records.Product::category).distinct().count() > 1);
        // every order's customer and every line's product travel with the day that refers to them
        for (DayData day : List.of(YEAR.get(LocalDate.of(2025, 6, 1)), YEAR.get(LocalDate.of(2025, 11, 28)))) {
            var customers = day.records().get(Entity.CUSTOMERS).stream().map(c -> ((Records.Customer) c).customerId()).toList();
            var products = day.records().get(Entity.PRODUCTS).stream().map(p -> ((Records.Product) p).productId()).toList();
            assertThat(day.records().get(Entity.ORDER_ITEMS)).allMatch(i -> products.contains(((Records.OrderItem) i).productId()));
            assertThat(day.records().get(Entity.ORDERS)).filteredOn(o -> ((Records.Order) o).orderId().contains("20250601")
                    || ((Records.Order) o).orderId().contains("20251128"))
                    .allMatch(o -> customers.contains(((Records.Order) o).customerId()));
        }
    }

    @Test
    void shouldInjectDefectsAtTheRateAndCountEveryOne() {
        ShopGenerator generator = new ShopGenerator(3, 400, 0.05, ShopProfile.defaults());
        Map<String, Integer> counted = new HashMap<>();
        long rows = 0;
        long malformed = 0;
        long brokenMaps = 0;
        for (LocalDate d = LocalDate.of(2025, 5, 1); d.isBefore(LocalDate.of(2025, 5, 8)); d = d.plusDays(1)) {
            DayData day = generator.day(d);
            day.defects().forEach((k, v) -> counted.merge(k, v, Integer::sum));
            for (List<Object> list : day.records().values()) {
                rows += list.size();
                malformed += list.stream().filter(r -> r instanceof RecordJson.Malformed).count();
                brokenMaps += list.stream().filter(r -> r instanceof Map).count();
            }
        }
        int total = counted.values().stream().mapToInt(Integer::intValue).sum();
        assertThat((double) total / rows).isBetween(0.04, 0.06);
        assertThat(counted.keySet()).containsAll(Defects.ROW_LEVEL).contains(Defects.ORPHAN_REFERENCE,
                Defects.DUPLICATE_KEY_IN_BATCH);
        assertThat(malformed).isEqualTo(counted.get(Defects.MALFORMED_LINE).longValue());
        // every defect but malformed lines and duplicates is a changed field
        assertThat(brokenMaps).isEqualTo(total - counted.get(Defects.MALFORMED_LINE) - counted.get(Defects.DUPLICATE_KEY_IN_BATCH));
    }

    @Test
    void shouldKeepTheSameMemoryWhateverTheLengthOfTheRange() {
        ShopGenerator generator = new ShopGenerator(11, 400, 0.01, ShopProfile.defaults());
        LocalDate d = LocalDate.of(2024, 1, 1);
        for (int i = 0; i < 30; i++, d = d.plusDays(1)) {
            generator.day(d);
        }
        long after30 = retainedHeap();
        for (int i = 0; i < 300; i++, d = d.plusDays(1)) {
            generator.day(d);
        }
        // a day's records are dropped once returned; only small caches (day volumes, product versions) remain
        assertThat(retainedHeap() - after30).as("heap retained by 300 more days").isLessThan(16L << 20);
    }

    static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}

package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Records;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Orders, addressed by (day, n). An order's header, basket and whole lifecycle (paid, shipped,
 * delivered; or cancelled, returned, never paid) follow from the seed and its address, so the day
 * an order changes status can emit the update without replaying the days before.
 */
final class OrderBook {

    /** The longest lifecycle: paid, shipped within 3 days, delivered within 5 more, returned within 20 more. */
    static final int LIFECYCLE_DAYS = 30;
    private static final long STREAM = 0x4F524452L;
    private static final String[] CHANNELS = {"web", "mobile", "marketplace"};
    private static final double[] CHANNEL_CUMULATIVE = Rng.cumulative(50, 36, 14);
    /** Orders by hour of day (UTC): quiet nights, an evening peak. */
    private static final double[] HOUR_CUMULATIVE = Rng.cumulative(1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.5, 3.5, 4.2,
            4.8, 5.2, 5.6, 5.4, 5.2, 5.1, 5.3, 5.8, 6.5, 7.2, 7.4, 6.6, 4.8, 2.6);

    record Transition(Instant at, String status) {
    }

    /** An order with everything it will ever be. */
    record Order(String orderId, int[] customer, Instant orderTs, String channel, List<Records.OrderItem> lines,
            BigDecimal total, List<Transition> lifecycle) {

        /** The status at the end of {@code day}, or null when it has none yet. */
        Transition statusAtEndOf(LocalDate day) {
            Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Transition last = null;
            for (Transition t : lifecycle) {
                if (t.at().isBefore(end)) {
                    last = t;
                }
            }
            return last;
        }

        Instant paidAt() {
            for (Transition t : lifecycle) {
                if (t.status().equals("paid")) {
                    return t.at();
                }
            }
            return null;
        }
    }

    private final long seed;
    private final ShopProfile profile;
    private final Catalogue catalogue;
    private final CustomerBase customers;

    OrderBook(long seed, ShopProfile profile, Catalogue catalogue, CustomerBase customers) {
        this.seed = seed;
        this.profile = profile;
        this.catalogue = catalogue;
        this.customers = customers;
    }

    static String id(LocalDate day, int n) {
        return Ids.of("O-", day, n);
    }

    /** Whether order (day, n) changes status on {@code on}: its lifecycle alone, a few hashes, no allocation of records. */
    boolean changesOn(LocalDate day, int n, LocalDate on) {
        if (on.toEpochDay() - day.toEpochDay() >= 10
                && Rng.unit(Rng.key(seed, STREAM + 1, day.toEpochDay(), n) ^ 9) >= profile.returnShare()) {
            return false; // only a return happens this late (delivery ends within 9 days)
        }
        long start = on.toEpochDay() * 86_400L;
        long end = start + 86_400L;
        long[] at = new long[5];
        int count = transitions(day, n, at, null);
        for (int i = 0; i < count; i++) {
            if (at[i] >= start && at[i] < end) {
                return true;
            }
        }
        return false;
    }

    Order order(LocalDate day, int n) {
        SplittableRandom r = Rng.of(seed, STREAM, day.toEpochDay(), n);
        long[] at = new long[5];
        String[] status = new String[5];
        int count = transitions(day, n, at, status);
        List<Transition> lifecycle = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lifecycle.add(new Transition(Instant.ofEpochSecond(at[i]), status[i]));
        }
        Instant orderTs = lifecycle.get(0).at();
        String channel = CHANNELS[Rng.pick(r, CHANNEL_CUMULATIVE)];
        int[] customer = customers.pickFor(day, r);
        // basket: 1 line most often, a long tail up to 8
        int lines = 1 + (int) Math.min(7, Math.floor(-Math.log(1 - r.nextDouble()) * 0.9));
        List<Records.OrderItem> items = new ArrayList<>(lines);
        BigDecimal total = BigDecimal.ZERO;
        for (int line = 1; line <= lines; line++) {
            Records.Product product = catalogue.on(catalogue.pick(r), day);
            int quantity = r.nextDouble() < 0.8 ? 1 : 2 + r.nextInt(3);
            BigDecimal gross = product.unitPrice().multiply(BigDecimal.valueOf(quantity));
            BigDecimal discount = r.nextDouble() < profile.discountShare()
                    ? gross.multiply(BigDecimal.valueOf(5 + r.nextInt(16))).movePointLeft(2).setScale(2, RoundingMode.HALF_UP)
                    : BigDecimal.ZERO;
            items.add(new Records.OrderItem(id(day, n), line, product.productId(), quantity, product.unitPrice(), discount));
            total = total.add(gross).subtract(discount);
        }
        return new Order(id(day, n), customer, orderTs, channel, items, total, lifecycle);
    }

    /**
     * The order's status changes, in epoch seconds: placed (the order time: an hour of day by the
     * shop's daily curve), then paid within minutes; then cancelled within a day, or shipped,
     * delivered and maybe returned. Each draw is one hash of (seed, day, n, draw), so checking an
     * old order for today's updates is cheap.
     *
     * @return the number of transitions written to {@code at} (and {@code status} when not null)
     */
    private int transitions(LocalDate day, int n, long[] at, String[] status) {
        long prefix = Rng.key(seed, STREAM + 1, day.toEpochDay(), n);
        int hour = hourOf(Rng.unit(prefix ^ 1));
        long t = day.toEpochDay() * 86_400L + hour * 3600L + below(prefix ^ 2, 3600);
        int count = 0;
        count = put(at, status, count, t, "placed");
        if (Rng.unit(prefix ^ 3) < profile.abandonShare()) {
            return count;
        }
        long paid = t + 60 + below(prefix ^ 4, 1800);
        count = put(at, status, count, paid, "paid");
        if (Rng.unit(prefix ^ 5) < profile.cancelShare()) {
            return put(at, status, count, paid + 600 + below(prefix ^ 6, 86_000), "cancelled");
        }
        long shipped = paid + 43_200 + below(prefix ^ 7, 172_800);
        count = put(at, status, count, shipped, "shipped");
        long delivered = shipped + 86_400 + below(prefix ^ 8, 345_600);
        count = put(at, status, count, delivered, "delivered");
        if (Rng.unit(prefix ^ 9) < profile.returnShare()) {
            count = put(at, status, count, delivered + 259_200 + below(prefix ^ 10, 1_468_800), "returned");
        }
        return count;
    }

    private static int put(long[] at, String[] status, int i, long when, String what) {
        at[i] = when;
        if (status != null) {
            status[i] = what;
        }
        return i + 1;
    }

    private static long below(long key, int bound) {
        return (long) (Rng.unit(key) * bound);
    }

    private static int hourOf(double u) {
        double r = u * HOUR_CUMULATIVE[HOUR_CUMULATIVE.length - 1];
        for (int h = 0; h < HOUR_CUMULATIVE.length; h++) {
            if (r < HOUR_CUMULATIVE[h]) {
                return h;
            }
        }
        return 23;
    }
}

package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Records;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * The products and their versions. Product p gets version k (k >= 1) on day
 * {@code epoch + offset(p) + k * product_version_days}: a new price (drifting up a little) and now
 * and then a new category. Version 0 is valid from the beginning of time. Any product's version on
 * any day is computed directly, without generating earlier days.
 */
final class Catalogue {

    record Category(String name, double minPrice, double maxPrice, double weight) {
    }

    static final Category[] CATEGORIES = {
            new Category("electronics", 25, 1200, 14), new Category("home", 8, 400, 16),
            new Category("apparel", 6, 180, 20), new Category("beauty", 4, 90, 10),
            new Category("sports", 10, 500, 10), new Category("books", 3, 60, 12),
            new Category("toys", 5, 150, 10), new Category("grocery", 1.5, 40, 8)};
    private static final double[] CATEGORY_CUMULATIVE;
    static final LocalDate EPOCH = LocalDate.of(2020, 1, 1);
    static final Instant CATALOGUE_TS = EPOCH.atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final long STREAM = 0x50524F44L;

    static {
        double[] w = new double[CATEGORIES.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = CATEGORIES[i].weight();
        }
        CATEGORY_CUMULATIVE = Rng.cumulative(w);
    }

    private final long seed;
    private final ShopProfile profile;
    private final NamePools names;

    Catalogue(long seed, ShopProfile profile, NamePools names) {
        this.seed = seed;
        this.profile = profile;
        this.names = names;
    }

    int size() {
        return profile.products();
    }

    static String id(int p) {
        return "P-" + Ids.pad(p, 5);
    }

    private int offset(int p) {
        return (int) (Rng.unit(Rng.key(seed, STREAM, p)) * profile.productVersionDays());
    }

    /** The version of product p current on {@code day}. */
    int versionOn(int p, LocalDate day) {
        long since = ChronoUnit.DAYS.between(EPOCH, day) - offset(p);
        return since < profile.productVersionDays() ? 0 : (int) (since / profile.productVersionDays());
    }

    /** True when product p gets a new version on {@code day}. */
    boolean changesOn(int p, LocalDate day) {
        long since = ChronoUnit.DAYS.between(EPOCH, day) - offset(p);
        return since >= profile.productVersionDays() && since % profile.productVersionDays() == 0;
    }

    Records.Product version(int p, int k) {
        SplittableRandom base = Rng.of(seed, STREAM + 1, p);
        int category = Rng.pick(base, CATEGORY_CUMULATIVE);
        Category c = CATEGORIES[category];
        // log-uniform within the category: many cheap products, a few expensive ones
        double price = Math.exp(Math.log(c.minPrice()) + base.nextDouble() * (Math.log(c.maxPrice()) - Math.log(c.minPrice())));
        double costRatio = 0.4 + base.nextDouble() * 0.3;
        String name = names.productNames[base.nextInt(names.productNames.length)];
        for (int j = k; j >= 1; j--) {
            if (Rng.unit(Rng.key(seed, STREAM + 2, p, j)) < profile.categoryChangeShare()) {
                int moved = (category + 1 + (int) (Rng.unit(Rng.key(seed, STREAM + 3, p, j)) * (CATEGORIES.length - 1)))
                        % CATEGORIES.length;
                category = moved;
                break;
            }
        }
        if (k > 0) {
            // a little inflation per version, and noise
            price *= Math.pow(1.02, k) * (0.92 + 0.16 * Rng.unit(Rng.key(seed, STREAM + 4, p, k)));
        }
        BigDecimal unitPrice = BigDecimal.valueOf(price).setScale(2, RoundingMode.HALF_UP).max(new BigDecimal("0.50"));
        BigDecimal unitCost = unitPrice.multiply(BigDecimal.valueOf(costRatio)).setScale(2, RoundingMode.HALF_UP);
        Instant updated = k == 0 ? CATALOGUE_TS
                : EPOCH.plusDays(offset(p) + (long) k * profile.productVersionDays()).atStartOfDay(ZoneOffset.UTC)
                        .toInstant().plusSeconds((long) (Rng.unit(Rng.key(seed, STREAM + 5, p, k)) * 86_400));
        return new Records.Product(id(p), name, CATEGORIES[category].name(), unitPrice, unitCost, updated);
    }

    /** Product versions already built (pure functions of seed and address, so caching changes nothing). */
    private final java.util.Map<Long, Records.Product> versions = new java.util.HashMap<>();

    Records.Product on(int p, LocalDate day) {
        int k = versionOn(p, day);
        return versions.computeIfAbsent(((long) p << 20) | k, key -> version(p, k));
    }

    /** A product for an order line: a few best sellers sell most (squared draw over the catalogue). */
    int pick(SplittableRandom r) {
        double u = r.nextDouble();
        return 1 + (int) (u * u * profile.products());
    }
}

package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Entity;
import dev.shopflow.common.wire.Records;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.datafaker.Faker;

/**
 * Generates a shop's records for one day from (seed, date) alone: every random draw comes from a
 * generator seeded by both, ids are derived from the date, and nothing is carried between days, so
 * any day can be generated on its own and a range in one run or in pieces gives identical records.
 */
public final class ShopGenerator {

    record Category(String name, double minPrice, double maxPrice) {
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("electronics", 40, 900), new Category("home", 10, 250), new Category("apparel", 8, 120),
            new Category("beauty", 5, 80), new Category("sports", 12, 300), new Category("books", 4, 45),
            new Category("toys", 6, 90), new Category("grocery", 2, 30));
    static final int PRODUCTS = 200;
    static final Instant CATALOGUE_TS = Instant.parse("2020-01-01T00:00:00Z");
    private static final String[][] COUNTRIES = {{"US", "en-US"}, {"GB", "en-GB"}, {"DE", "de-DE"}, {"FR", "fr-FR"},
            {"CA", "en-CA"}};
    private static final double[] COUNTRY_WEIGHTS = {0.5, 0.15, 0.15, 0.1, 0.1};
    private static final String[] STATUSES = {"placed", "paid", "shipped", "delivered", "cancelled", "returned"};
    private static final double[] STATUS_WEIGHTS = {0.04, 0.16, 0.25, 0.45, 0.06, 0.04};
    private static final String[] CHANNELS = {"web", "mobile", "marketplace"};
    private static final double[] CHANNEL_WEIGHTS = {0.5, 0.35, 0.15};
    private static final String[] METHODS = {"credit_card", "debit_card", "paypal", "gift_card", "bank_transfer"};
    private static final double[] METHOD_WEIGHTS = {0.45, 0.2, 0.25, 0.03, 0.07};
    /** Orders of a day buy from customers who signed up at most this many days before. */
    private static final int CUSTOMER_LOOKBACK_DAYS = 60;

    private final List<Records.Product> catalogue;

    public ShopGenerator(long seed) {
        this.catalogue = catalogue(seed);
    }

    public DayData day(LocalDate date, GenerationParams params) {
        Random random = new Random(mix(params.seed(), date.toEpochDay()));
        Faker faker = new Faker(Locale.US, random);
        Map<String, Integer> defects = new LinkedHashMap<>();

        List<Object> customers = new ArrayList<>();
        int newCustomers = newCustomers(date, params);
        for (int i = 0; i < newCustomers; i++) {
            customers.add(customer(faker, random, date, i));
        }

        List<Object> orders = new ArrayList<>();
        List<Object> items = new ArrayList<>();
        List<Object> payments = new ArrayList<>();
        int orderCount = ordersOn(date, params);
        String day = date.toString().replace("-", "");
        for (int n = 0; n < orderCount; n++) {
            String orderId = "O-" + day + "-" + String.format("%05d", n);
            String customerId = pickCustomer(random, date, params, newCustomers);
            Instant orderTs = date.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400));
            String status = pick(random, STATUSES, STATUS_WEIGHTS);
            orders.add(new Records.Order(orderId, customerId, orderTs, status, pick(random, CHANNELS, CHANNEL_WEIGHTS),
                    orderTs.plusSeconds(600 + random.nextInt(3600))));
            int lines = 1 + (int) Math.min(5, Math.floor(-Math.log(1 - random.nextDouble()) * 1.2));
            BigDecimal total = BigDecimal.ZERO;
            for (int line = 1; line <= lines; line++) {
                Records.Product product = catalogue.get(random.nextInt(catalogue.size()));
                int quantity = 1 + (random.nextDouble() < 0.25 ? random.nextInt(3) : 0);
                BigDecimal gross = product.unitPrice().multiply(BigDecimal.valueOf(quantity));
                BigDecimal discount = random.nextDouble() < 0.15
                        ? gross.multiply(BigDecimal.valueOf(0.1)).setScale(2, RoundingMode.HALF_UP) : BigDecimal.ZERO;
                if (random.nextDouble() < params.defectRate()) {
                    quantity = 0;
                    defects.merge("out_of_range_quantity", 1, Integer::sum);
                }
                items.add(new Records.OrderItem(orderId, line, product.productId(), quantity, product.unitPrice(), discount));
                total = total.add(gross).subtract(discount);
            }
            if (!status.equals("placed")) {
                boolean refunded = status.equals("cancelled") || status.equals("returned");
                payments.add(new Records.Payment("PAY-" + orderId.substring(2), orderId,
                        pick(random, METHODS, METHOD_WEIGHTS), total, refunded ? "refunded" : "captured",
                        orderTs.plusSeconds(60 + random.nextInt(600))));
            }
        }
        Map<Entity, List<Object>> records = new EnumMap<>(Entity.class);
        records.put(Entity.CUSTOMERS, customers);
        records.put(Entity.PRODUCTS, new ArrayList<>(catalogue));
        records.put(Entity.ORDERS, orders);
        records.put(Entity.ORDER_ITEMS, items);
        records.put(Entity.PAYMENTS, payments);
        return new DayData(records, defects);
    }

    /** Busier weekends and a gentle November/December lift. */
    static int ordersOn(LocalDate date, GenerationParams params) {
        double factor = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY ? 1.2 : 0.92;
        if (date.getMonthValue() >= 11) {
            factor *= 1.25;
        }
        return Math.max(1, (int) Math.round(params.ordersPerDay() * factor));
    }

    static int newCustomers(LocalDate date, GenerationParams params) {
        return Math.max(1, ordersOn(date, params) / 4);
    }

    private static String customerId(LocalDate date, int n) {
        return "C-" + date.toString().replace("-", "") + "-" + String.format("%05d", n);
    }

    /** A third of orders come from today's sign-ups, the rest from customers of the previous weeks. */
    private static String pickCustomer(Random random, LocalDate date, GenerationParams params, int todaysNew) {
        if (random.nextDouble() < 0.35) {
            return customerId(date, random.nextInt(todaysNew));
        }
        // Squared draw: recent sign-ups and a minority of customers get most repeat orders.
        int back = 1 + (int) (Math.pow(random.nextDouble(), 2) * CUSTOMER_LOOKBACK_DAYS);
        LocalDate signup = date.minusDays(back);
        int pool = newCustomers(signup, params);
        return customerId(signup, (int) (Math.pow(random.nextDouble(), 3) * pool));
    }

    private static Records.Customer customer(Faker faker, Random random, LocalDate date, int n) {
        int c = pickIndex(random, COUNTRY_WEIGHTS);
        String first = faker.name().firstName();
        String last = faker.name().lastName();
        String email = (first + "." + last + "." + n).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "")
                + "@" + faker.internet().domainName();
        Instant signup = date.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400));
        String state = COUNTRIES[c][0].equals("US") ? faker.address().stateAbbr() : null;
        return new Records.Customer(customerId(date, n), email, first, last, faker.address().city(), state,
                COUNTRIES[c][0], signup, signup);
    }

    private static List<Records.Product> catalogue(long seed) {
        Random random = new Random(mix(seed, -1));
        Faker faker = new Faker(Locale.US, random);
        List<Records.Product> products = new ArrayList<>(PRODUCTS);
        for (int i = 1; i <= PRODUCTS; i++) {
            Category category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
            // Log-uniform prices: many cheap items, a few expensive ones within the category's range.
            double price = Math.exp(Math.log(category.minPrice())
                    + random.nextDouble() * (Math.log(category.maxPrice()) - Math.log(category.minPrice())));
            BigDecimal unitPrice = BigDecimal.valueOf(price).setScale(2, RoundingMode.HALF_UP);
            BigDecimal unitCost = unitPrice.multiply(BigDecimal.valueOf(0.45 + random.nextDouble() * 0.3))
                    .setScale(2, RoundingMode.HALF_UP);
            products.add(new Records.Product(String.format("P-%04d", i), faker.commerce().productName(),
                    category.name(), unitPrice, unitCost, CATALOGUE_TS));
        }
        return List.copyOf(products);
    }

    private static String pick(Random random, String[] values, double[] weights) {
        return values[pickIndex(random, weights)];
    }

    private static int pickIndex(Random random, double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** SplitMix64 of seed and day: independent streams per day, stable across JVMs. */
    static long mix(long seed, long day) {
        long z = seed * 0x9E3779B97F4A7C15L + day;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Entity;
import dev.shopflow.common.wire.Records;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shop's records for one day, from (seed, parameters, date) alone: every draw is keyed by the
 * seed and the address of what it decides (a customer, a product version, an order), so any day
 * can be generated on its own and a range in one run or in pieces gives byte-identical records.
 *
 * <p>A day carries its sign-ups, the customers who move that day, the products that change that
 * day, its new orders with their lines, the status changes of earlier orders (paid, shipped,
 * delivered, cancelled, returned), their payments and refunds, and the current version of every
 * customer and product its new orders refer to, so no day depends on another having been loaded.
 */
public final class ShopGenerator {

    private static final long DEFECT_STREAM = 0x44454654L;

    private final long seed;
    private final double defectRate;
    private final Demand demand;
    private final CustomerBase customers;
    private final Catalogue catalogue;
    private final OrderBook orders;

    public ShopGenerator(long seed, int ordersPerDay, double defectRate, ShopProfile profile) {
        this.seed = seed;
        this.defectRate = defectRate;
        this.demand = new Demand(profile, ordersPerDay);
        NamePools names = new NamePools(seed);
        this.customers = new CustomerBase(seed, profile, demand, names);
        this.catalogue = new Catalogue(seed, profile, names);
        this.orders = new OrderBook(seed, profile, catalogue, customers);
    }

    public ShopGenerator(GenerationParams params) {
        this(params.seed(), params.ordersPerDay(), params.defectRate(), ShopProfile.defaults());
    }

    public DayData day(LocalDate date) {
        Map<String, Records.Customer> dayCustomers = new LinkedHashMap<>();
        Map<Integer, Records.Product> dayProducts = new TreeMap<>();
        List<Object> dayOrders = new ArrayList<>();
        List<Object> dayItems = new ArrayList<>();
        List<Object> dayPayments = new ArrayList<>();

        for (int n = 0, signups = demand.newCustomersOn(date); n < signups; n++) {
            Records.Customer c = customers.asOf(date, n, date);
            dayCustomers.put(c.customerId(), c);
        }
        for (int[] mover : customers.moversOn(date)) {
            Records.Customer c = customers.asOf(LocalDate.ofEpochDay(mover[0]), mover[1], date);
            dayCustomers.put(c.customerId(), c);
        }
        for (int p = 1; p <= catalogue.size(); p++) {
            if (catalogue.changesOn(p, date)) {
                dayProducts.put(p, catalogue.on(p, date));
            }
        }

        for (int n = 0, count = demand.ordersOn(date); n < count; n++) {
            OrderBook.Order order = orders.order(date, n);
            Records.Customer c = customers.asOf(LocalDate.ofEpochDay(order.customer()[0]), order.customer()[1], date);
            dayCustomers.putIfAbsent(c.customerId(), c);
            for (Records.OrderItem line : order.lines()) {
                int p = Integer.parseInt(line.productId().substring(2));
                dayProducts.computeIfAbsent(p, k -> catalogue.on(k, date));
                dayItems.add(line);
            }
            emitStatus(order, date, dayOrders, dayPayments);
        }
        // status changes of earlier orders (their lifecycles end within OrderBook.LIFECYCLE_DAYS)
        for (int back = OrderBook.LIFECYCLE_DAYS; back >= 1; back--) {
            LocalDate day = date.minusDays(back);
            for (int n = 0, count = demand.ordersOn(day); n < count; n++) {
                if (orders.changesOn(day, n, date)) {
                    emitStatus(orders.order(day, n), date, dayOrders, dayPayments);
                }
            }
        }

        Map<String, Integer> defects = new LinkedHashMap<>();
        var random = Rng.of(seed, DEFECT_STREAM, date.toEpochDay());
        Map<Entity, List<Object>> records = new EnumMap<>(Entity.class);
        records.put(Entity.CUSTOMERS, Defects.inject(Entity.CUSTOMERS, new ArrayList<>(dayCustomers.values()), defectRate, random, defects));
        records.put(Entity.PRODUCTS, Defects.inject(Entity.PRODUCTS, new ArrayList<>(dayProducts.values()), defectRate, random, defects));
        records.put(Entity.ORDERS, Defects.inject(Entity.ORDERS, dayOrders, defectRate, random, defects));
        records.put(Entity.ORDER_ITEMS, Defects.inject(Entity.ORDER_ITEMS, dayItems, defectRate, random, defects));
        records.put(Entity.PAYMENTS, Defects.inject(Entity.PAYMENTS, dayPayments, defectRate, random, defects));
        return new DayData(records, defects);
    }

    /**
     * The order's row for {@code date} (its status at the end of the day, dated by that change),
     * and its payment when it was paid or refunded that day.
     */
    private void emitStatus(OrderBook.Order order, LocalDate date, List<Object> dayOrders, List<Object> dayPayments) {
        OrderBook.Transition status = order.statusAtEndOf(date);
        dayOrders.add(new Records.Order(order.orderId(), CustomerBase.id(LocalDate.ofEpochDay(order.customer()[0]),
                order.customer()[1]), order.orderTs(), status.status(), order.channel(), status.at()));
        Instant paid = order.paidAt();
        if (paid == null) {
            return;
        }
        Instant start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        boolean paidToday = !paid.isBefore(start) && paid.isBefore(end);
        boolean refundedByNow = status.status().equals("cancelled") || status.status().equals("returned");
        boolean refundedToday = refundedByNow && !status.at().isBefore(start);
        if (paidToday || refundedToday) {
            int country = customers.country(LocalDate.ofEpochDay(order.customer()[0]), order.customer()[1]);
            var r = Rng.of(seed, 0x5041594DL, order.orderTs().getEpochSecond(), order.orderId().hashCode());
            String method = Geography.METHODS[Rng.pick(r, Geography.PAYMENT_CUMULATIVE[country])];
            dayPayments.add(new Records.Payment("PAY-" + order.orderId().substring(2), order.orderId(), method,
                    order.total(), refundedByNow ? "refunded" : "captured", paid));
        }
    }
}

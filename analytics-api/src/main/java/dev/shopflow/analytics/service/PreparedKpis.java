package dev.shopflow.analytics.service;

import static dev.shopflow.analytics.service.Answers.cents;
import static dev.shopflow.analytics.service.Answers.ratio;
import static dev.shopflow.analytics.service.Answers.share;

import dev.shopflow.analytics.domain.KpiAnswers.CategoryRevenue;
import dev.shopflow.analytics.domain.KpiAnswers.CategoryShare;
import dev.shopflow.analytics.domain.KpiAnswers.ChannelRevenue;
import dev.shopflow.analytics.domain.KpiAnswers.ChannelShare;
import dev.shopflow.analytics.domain.KpiAnswers.Cohort;
import dev.shopflow.analytics.domain.KpiAnswers.Cohorts;
import dev.shopflow.analytics.domain.KpiAnswers.CountryFigures;
import dev.shopflow.analytics.domain.KpiAnswers.Customer;
import dev.shopflow.analytics.domain.KpiAnswers.CustomerLtv;
import dev.shopflow.analytics.domain.KpiAnswers.CustomerValue;
import dev.shopflow.analytics.domain.KpiAnswers.Geography;
import dev.shopflow.analytics.domain.KpiAnswers.MethodShare;
import dev.shopflow.analytics.domain.KpiAnswers.PaymentMethods;
import dev.shopflow.analytics.domain.KpiAnswers.RankedProduct;
import dev.shopflow.analytics.domain.KpiAnswers.RegionFigures;
import dev.shopflow.analytics.domain.KpiAnswers.RevenuePeriod;
import dev.shopflow.analytics.domain.KpiAnswers.RevenueSeries;
import dev.shopflow.analytics.domain.KpiAnswers.RfmScores;
import dev.shopflow.analytics.domain.KpiAnswers.RfmSegments;
import dev.shopflow.analytics.domain.KpiAnswers.SegmentFigures;
import dev.shopflow.analytics.domain.KpiAnswers.StateFigures;
import dev.shopflow.analytics.domain.KpiAnswers.Summary;
import dev.shopflow.analytics.domain.KpiAnswers.TopProducts;
import dev.shopflow.analytics.domain.KpiAnswers.Weekday;
import dev.shopflow.analytics.domain.KpiAnswers.WeekdayFigures;
import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One published version of the marts held in memory, arranged so that any KPI question is answered
 * without a query and in time that does not grow with the range: per-day prefix sums for every daily
 * total (overall, per category, per channel, per payment method), per-product prefix sums over the
 * product's days, the customer-day rows in day order (distinct and repeat customers, geography),
 * customers ranked by ltv both ways, cohorts, and RFM cut points computed once per reference day.
 *
 * <p>Answers are exactly those of {@link SqlKpis} (same rounding, ties broken in the
 * database's collation order, which the loading queries' ORDER BY gives as ranks): money is held as
 * exact hundredths in {@code long}s. A version that cannot be held that way (an amount with more than
 * two decimals, or sums beyond a {@code long}) or that has more rows than the configured bound is
 * refused ({@link NotPreparable}) and answered by SQL instead. Immutable once built; the RFM memo is
 * the only state that changes, and it is a cache of pure functions of the version.
 */
final class PreparedKpis {

    /** Why a version is answered by SQL instead of from memory. */
    static final class NotPreparable extends Exception {
        NotPreparable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One daily mart's rows of one key (or all of them), sparse: only the days that have a row, in day
     * order, with running sums, so a version costs memory by the rows it holds, not by the days it spans
     * (one row dated 1900 beside today's once made every series 46,000 days long). A range's sum is two
     * binary searches and a subtraction.
     */
    private static final class Series {
        final String key;
        final int rank;
        /** Day indexes with a row, ascending, distinct. */
        final int[] day;
        /** Running sums: index i holds the sum of the entries before i (length day.length + 1). */
        final long[] revenue;
        final long[] orders;
        final long[] units;
        final int[] rows;

        /** From entries (day index, revenue, orders, units) in any order; entries of one day are added up. */
        Series(String key, int rank, int[] days, long[] revenue, long[] orders, long[] units, int n) {
            this.key = key;
            this.rank = rank;
            Integer[] order = null;
            for (int i = 1; i < n && order == null; i++) {
                if (days[i] < days[i - 1]) {
                    order = new Integer[n];
                }
            }
            if (order != null) {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, Comparator.comparingInt(i -> days[i]));
            }
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || days[at(order, i)] != days[at(order, i - 1)]) {
                    distinct++;
                }
            }
            this.day = new int[distinct];
            this.revenue = new long[distinct + 1];
            this.orders = new long[distinct + 1];
            this.units = new long[distinct + 1];
            this.rows = new int[distinct + 1];
            int e = -1;
            for (int i = 0; i < n; i++) {
                int j = at(order, i);
                if (i == 0 || days[j] != day[e]) {
                    e++;
                    day[e] = days[j];
                    this.revenue[e + 1] = this.revenue[e];
                    this.orders[e + 1] = this.orders[e];
                    this.units[e + 1] = this.units[e];
                    this.rows[e + 1] = this.rows[e];
                }
                this.revenue[e + 1] = Math.addExact(this.revenue[e + 1], revenue[j]);
                this.orders[e + 1] = Math.addExact(this.orders[e + 1], orders[j]);
                this.units[e + 1] = Math.addExact(this.units[e + 1], units[j]);
                this.rows[e + 1]++;
            }
        }

        private static int at(Integer[] order, int i) {
            return order == null ? i : order[i];
        }

        /** The first entry on or after day index a. */
        private int from(int a) {
            return lowerBound(day, 0, day.length, a);
        }

        /** One past the last entry on or before day index b. */
        private int to(int b) {
            return lowerBound(day, 0, day.length, b + 1);
        }

        long revenue(int a, int b) {
            return revenue[to(b)] - revenue[from(a)];
        }

        long orders(int a, int b) {
            return orders[to(b)] - orders[from(a)];
        }

        long units(int a, int b) {
            return units[to(b)] - units[from(a)];
        }

        int rows(int a, int b) {
            return rows[to(b)] - rows[from(a)];
        }

        long bytes() {
            return bytesFor(day.length);
        }

        /** Heap bytes of a series of {@code entries} days (the arrays and their headers). */
        static long bytesFor(long entries) {
            return 64 + 5 * 16 + entries * 4 + (entries + 1) * (8 * 3 + 4);
        }
    }

    private record RfmAt(LocalDate reference, int[] rCuts, long[] fCuts, long[] mCuts, long[] customers, long[] revenue) {
    }

    private static final double[] QUINTILES = {0.2, 0.4, 0.6, 0.8};
    private static final int RFM_MEMO_LIMIT = 4096;

    private final long day0;
    private final int days;
    private final Series total;
    private final Series[] categories;
    private final Map<String, Series> categoryByName = new HashMap<>();
    private final Series[] channels;
    private final Series[] methods;
    // products, by rank (the database's order of product ids); their days and running sums
    private final String[] productIds;
    private final String[] productNames;
    private final String[] productCategories;
    private final int[] productStart;
    private final int[] productDay;
    private final long[] productRevenue;
    private final long[] productUnits;
    // customers: the first rankedCustomers by rank (mart_customer), then any seen only in daily rows
    private final String[] customerIds;
    private final int rankedCustomers;
    private final int[] byId;
    private final long[] firstOrder;
    private final long[] lastOrder;
    private final long[] lifetimeOrders;
    private final long[] ltv;
    private final long[] ltv30;
    private final int[] byLtvDesc;
    private final int[] byLtvAsc;
    private final int[] newCustomers;
    // customer-day rows in day order: dayStart[i] is the first row of day i
    private final int[] dayStart;
    private final int[] rowCustomer;
    private final int[] rowOrders;
    private final long[] rowRevenue;
    private final int[] rowCountry;
    private final int[] rowState;
    private final int[] rowCountryPair;
    private final int[] rowStatePair;
    private final int countryPairs;
    private final int statePairs;
    private final String[] countries;
    private final String[] stateCountries;
    private final String[] stateNames;
    private final TreeMap<LocalDate, Map<Integer, Long>> cohorts;
    private final LocalDate lastCohortMonth;
    private final Map<Long, Optional<RfmAt>> rfmMemo = new ConcurrentHashMap<>();
    private final long rows;
    private final long bytes;

    // ------------------------------------------------------------------------------------------
    // answers (the same maps as SqlKpis)

    Summary summary(PublishedVersion v, LocalDate from, LocalDate to) {
        long revenue = 0, orders = 0, units = 0, customers = 0, repeat = 0, newcomers = 0;
        int a = first(from), b = last(to);
        if (a <= b) {
            revenue = total.revenue(a, b);
            orders = total.orders(a, b);
            units = total.units(a, b);
            newcomers = newCustomers[b + 1] - newCustomers[a];
            // every customer-day row has orders >= 1 (checked at load): a customer seen twice is a repeat
            long[] seen = new long[(customerIds.length + 63) >>> 6];
            long[] twice = new long[seen.length];
            for (int r = dayStart[a], end = dayStart[b + 1]; r < end; r++) {
                int c = rowCustomer[r];
                if (!bit(seen, c)) {
                    set(seen, c);
                    customers++;
                    if (rowOrders[r] >= 2) {
                        set(twice, c);
                        repeat++;
                    }
                } else if (!bit(twice, c)) {
                    set(twice, c);
                    repeat++;
                }
            }
        }
        BigDecimal money = cents(revenue);
        return new Summary(v.asOf(), v.version(), from, to, money, orders, units, ratio(money, orders, 2), customers, newcomers,
                ratio(BigDecimal.valueOf(repeat), customers, 4));
    }

    RevenueSeries revenue(PublishedVersion v, LocalDate from, LocalDate to, String granularity, String category) {
        Series s = category == null ? total : categoryByName.get(category);
        List<RevenuePeriod> items = new ArrayList<>();
        for (LocalDate period = truncate(from, granularity); !period.isAfter(to); period = next(period, granularity)) {
            LocalDate lo = period.isBefore(from) ? from : period;
            LocalDate end = next(period, granularity).minusDays(1);
            LocalDate hi = end.isAfter(to) ? to : end;
            long revenue = 0, orders = 0, units = 0;
            int a = first(lo), b = last(hi);
            if (s != null && a <= b) {
                revenue = s.revenue(a, b);
                orders = s.orders(a, b);
                units = s.units(a, b);
            }
            BigDecimal money = cents(revenue);
            items.add(new RevenuePeriod(period, money, orders, units, ratio(money, orders, 2)));
        }
        return new RevenueSeries(v.asOf(), v.version(), from, to, granularity, category, items);
    }

    CategoryRevenue revenueByCategory(PublishedVersion v, LocalDate from, LocalDate to) {
        return new CategoryRevenue(v.asOf(), v.version(), from, to, shares(categories, from, to,
                (s, revenue, orders, units, share) -> new CategoryShare(s.key, revenue, orders, units, share)));
    }

    ChannelRevenue revenueByChannel(PublishedVersion v, LocalDate from, LocalDate to) {
        return new ChannelRevenue(v.asOf(), v.version(), from, to, shares(channels, from, to,
                (s, revenue, orders, units, share) -> new ChannelShare(s.key, revenue, orders, units, share)));
    }

    PaymentMethods paymentMethods(PublishedVersion v, LocalDate from, LocalDate to) {
        return new PaymentMethods(v.asOf(), v.version(), from, to, shares(methods, from, to,
                (s, amount, payments, units, share) -> new MethodShare(s.key, amount, payments, share)));
    }

    @FunctionalInterface
    private interface ShareRow<T> {
        T of(Series s, BigDecimal revenue, long orders, long units, BigDecimal share);
    }

    /** Rows of the series with a row in the range, by revenue, ties in the database's order of keys; shares of their sum. */
    private <T> List<T> shares(Series[] all, LocalDate from, LocalDate to, ShareRow<T> row) {
        int a = first(from), b = last(to);
        List<Series> present = present(all, a, b);
        long sum = 0;
        for (Series s : present) {
            sum += s.revenue(a, b);
        }
        BigDecimal total = cents(sum);
        List<T> rows = new ArrayList<>(present.size());
        for (Series s : present) {
            BigDecimal revenue = cents(s.revenue(a, b));
            rows.add(row.of(s, revenue, s.orders(a, b), s.units(a, b), share(revenue, total)));
        }
        return rows;
    }

    /** The series with a row in [a, b], by revenue there (descending), ties by rank. */
    private static List<Series> present(Series[] all, int a, int b) {
        List<Series> present = new ArrayList<>();
        if (a > b) {
            return present;
        }
        for (Series s : all) {
            if (s.rows(a, b) > 0) {
                present.add(s);
            }
        }
        present.sort(Comparator.comparingLong((Series s) -> -s.revenue(a, b)).thenComparingInt(s -> s.rank));
        return present;
    }

    TopProducts topProducts(PublishedVersion v, LocalDate from, LocalDate to, String by, int limit, int offset) {
        int a = first(from), b = last(to);
        int products = productIds.length;
        long[] key = new long[products];
        long[] revenue = new long[products];
        long[] units = new long[products];
        int[] present = new int[products];
        int count = 0;
        if (a <= b) {
            for (int p = 0; p < products; p++) {
                int start = productStart[p], end = productStart[p + 1];
                int lo = lowerBound(productDay, start, end, a);
                int hi = lowerBound(productDay, lo, end, b + 1);
                if (hi > lo) {
                    revenue[p] = productRevenue[hi - 1] - (lo > start ? productRevenue[lo - 1] : 0);
                    units[p] = productUnits[hi - 1] - (lo > start ? productUnits[lo - 1] : 0);
                    key[p] = by.equals("units") ? units[p] : revenue[p];
                    present[count++] = p;
                }
            }
        }
        int[] ranked = best(present, count, key, (long) offset + limit);
        List<RankedProduct> items = new ArrayList<>();
        for (int i = offset; i < ranked.length; i++) {
            int p = ranked[i];
            items.add(new RankedProduct(i + 1, productIds[p], productNames[p],
                    productCategories[p] == null ? "unknown" : productCategories[p], cents(revenue[p]), units[p]));
        }
        return new TopProducts(v.asOf(), v.version(), from, to, by, limit, offset, count, items);
    }

    /**
     * The first {@code n} of {@code candidates[0..count)} by key descending, ties by index (rank)
     * ascending: a bounded heap whose root is the worst kept, then the kept ones sorted.
     */
    private static int[] best(int[] candidates, int count, long[] key, long n) {
        int k = (int) Math.min(n, count);
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < count && k > 0; i++) {
            int x = candidates[i];
            if (size < k) {
                heap[size] = x;
                siftUp(heap, size++, key);
            } else if (better(x, heap[0], key)) {
                heap[0] = x;
                siftDown(heap, size, key);
            }
        }
        Integer[] kept = new Integer[size];
        for (int i = 0; i < size; i++) {
            kept[i] = heap[i];
        }
        Arrays.sort(kept, (x, y) -> better(x, y, key) ? -1 : better(y, x, key) ? 1 : 0);
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = kept[i];
        }
        return out;
    }

    private static boolean better(int x, int y, long[] key) {
        return key[x] > key[y] || (key[x] == key[y] && x < y);
    }

    /** Heap ordered so that the root is the worst (no other element is worse than its parent). */
    private static void siftUp(int[] heap, int i, long[] key) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(heap[parent], heap[i], key)) {
                return;
            }
            swap(heap, i, parent);
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, long[] key) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && better(heap[worst], heap[l], key)) {
                worst = l;
            }
            if (r < size && better(heap[worst], heap[r], key)) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            swap(heap, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    Customer customer(PublishedVersion v, String customerId) {
        int c = customerIndex(customerId);
        if (c < 0 || c >= rankedCustomers) {
            throw Answers.unknownCustomer(v, customerId);
        }
        RfmAt lifetime = rfmAt(null).orElseThrow();
        long recency = ChronoUnit.DAYS.between(LocalDate.ofEpochDay(lastOrder[c]), lifetime.reference());
        int r = rScore(lifetime, recency), f = score(lifetime.fCuts(), lifetimeOrders[c]), m = score(lifetime.mCuts(), ltv[c]);
        return new Customer(v.asOf(), v.version(), customerId, cents(ltv[c]), cents(ltv30[c]), lifetimeOrders[c],
                LocalDate.ofEpochDay(firstOrder[c]), LocalDate.ofEpochDay(lastOrder[c]), new RfmScores(
                        Rfm.segment(r, f, m).wireName(), recency, r, f, m, lifetime.reference(), lifetime.reference()));
    }

    CustomerLtv customerLtv(PublishedVersion v, String order, int limit, int offset) {
        int[] ranking = order.equals("asc") ? byLtvAsc : byLtvDesc;
        List<CustomerValue> rows = new ArrayList<>();
        for (long i = offset; i < Math.min((long) offset + limit, ranking.length); i++) {
            int c = ranking[(int) i];
            rows.add(new CustomerValue(customerIds[c], cents(ltv[c]), cents(ltv30[c]), lifetimeOrders[c],
                    LocalDate.ofEpochDay(firstOrder[c]), LocalDate.ofEpochDay(lastOrder[c])));
        }
        return new CustomerLtv(v.asOf(), v.version(), order, limit, offset, ranking.length, rows);
    }

    RfmSegments rfmSegments(PublishedVersion v, LocalDate asOf) {
        Optional<RfmAt> at = rfmAt(asOf);
        List<SegmentFigures> items = new ArrayList<>();
        for (Rfm.Segment segment : Rfm.Segment.values()) {
            items.add(new SegmentFigures(segment.wireName(), at.map(r -> r.customers()[segment.ordinal()]).orElse(0L),
                    cents(at.map(r -> r.revenue()[segment.ordinal()]).orElse(0L))));
        }
        LocalDate reference = at.map(RfmAt::reference).orElse(asOf);
        return new RfmSegments(v.asOf(), v.version(), reference, reference, items);
    }

    /**
     * Cut points and segment counts at a reference day (null: lifetime figures and the latest
     * qualifying order's day), computed once per day asked and kept with the version.
     */
    private Optional<RfmAt> rfmAt(LocalDate asOf) {
        Long key = asOf == null ? Long.MIN_VALUE : asOf.toEpochDay();
        Optional<RfmAt> known = rfmMemo.get(key);
        if (known != null) {
            return known;
        }
        if (rfmMemo.size() >= RFM_MEMO_LIMIT) {
            rfmMemo.clear();
        }
        Optional<RfmAt> computed = computeRfm(asOf);
        rfmMemo.put(key, computed);
        return computed;
    }

    private Optional<RfmAt> computeRfm(LocalDate asOf) {
        long[] last;
        long[] orders;
        long[] revenue;
        int n;
        long reference;
        if (asOf == null) {
            n = rankedCustomers;
            last = lastOrder; // read only; orders and revenue are copied: selection reorders them
            orders = Arrays.copyOf(lifetimeOrders, n);
            revenue = Arrays.copyOf(ltv, n);
            reference = Long.MIN_VALUE;
            for (int c = 0; c < n; c++) {
                reference = Math.max(reference, last[c]);
            }
        } else {
            // each customer's orders up to the reference day, from the day rows (in day order)
            reference = asOf.toEpochDay();
            int customers = customerIds.length;
            long[] lastByCustomer = new long[customers];
            long[] ordersByCustomer = new long[customers];
            long[] revenueByCustomer = new long[customers];
            long[] seen = new long[(customers + 63) >>> 6];
            long lastDay = Math.min(reference - day0, days - 1L);
            for (int d = 0; d <= lastDay; d++) {
                for (int r = dayStart[d]; r < dayStart[d + 1]; r++) {
                    int c = rowCustomer[r];
                    set(seen, c);
                    lastByCustomer[c] = day0 + d;
                    ordersByCustomer[c] += rowOrders[r];
                    revenueByCustomer[c] += rowRevenue[r];
                }
            }
            last = new long[customers];
            orders = new long[customers];
            revenue = new long[customers];
            n = 0;
            for (int c = 0; c < customers; c++) {
                if (bit(seen, c)) {
                    last[n] = lastByCustomer[c];
                    orders[n] = ordersByCustomer[c];
                    revenue[n] = revenueByCustomer[c];
                    n++;
                }
            }
        }
        if (n == 0) {
            return Optional.empty();
        }
        int[] recency = new int[n];
        for (int i = 0; i < n; i++) {
            recency[i] = (int) (reference - last[i]);
        }
        // the four cut points are order statistics: selected in linear time, no sort
        long[] recencies = new long[n];
        for (int i = 0; i < n; i++) {
            recencies[i] = recency[i];
        }
        long[] rSelected = quintiles(recencies);
        long[] fCuts = quintiles(Arrays.copyOf(orders, n));
        long[] mCuts = quintiles(Arrays.copyOf(revenue, n));
        int[] rCuts = new int[QUINTILES.length];
        for (int q = 0; q < QUINTILES.length; q++) {
            rCuts[q] = (int) rSelected[q];
        }
        RfmAt cuts = new RfmAt(LocalDate.ofEpochDay(reference), rCuts, fCuts, mCuts, null, null);
        long[] customers = new long[Rfm.Segment.values().length];
        long[] segmentRevenue = new long[customers.length];
        for (int i = 0; i < n; i++) {
            int s = Rfm.segment(rScore(cuts, recency[i]), score(fCuts, orders[i]), score(mCuts, revenue[i])).ordinal();
            customers[s]++;
            segmentRevenue[s] += revenue[i];
        }
        return Optional.of(new RfmAt(cuts.reference(), rCuts, fCuts, mCuts, customers, segmentRevenue));
    }

    /** percentile_disc at each of QUINTILES over {@code values} (which it reorders). */
    static long[] quintiles(long[] values) {
        long[] cuts = new long[QUINTILES.length];
        int lo = 0;
        for (int q = 0; q < QUINTILES.length; q++) {
            int k = percentileDiscIndex(QUINTILES[q], values.length);
            select(values, lo, values.length - 1, k);
            cuts[q] = values[k];
            lo = k; // everything before k is <= values[k]: the next (larger) position lies at or after it
        }
        return cuts;
    }

    /** Reorders a[lo..hi] so that a[k] is the value a sort would put there, smaller ones before it, larger after. */
    private static void select(long[] a, int lo, int hi, int k) {
        while (hi > lo) {
            // median of three as the pivot; a three-way partition keeps runs of equal values (common here) linear
            int mid = (lo + hi) >>> 1;
            long pivot = Math.max(Math.min(a[lo], a[mid]), Math.min(Math.max(a[lo], a[mid]), a[hi]));
            int lt = lo, gt = hi, i = lo;
            while (i <= gt) {
                if (a[i] < pivot) {
                    long t = a[lt];
                    a[lt++] = a[i];
                    a[i++] = t;
                } else if (a[i] > pivot) {
                    long t = a[gt];
                    a[gt--] = a[i];
                    a[i] = t;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return;
            }
        }
    }

    /** PostgreSQL's percentile_disc: the first value whose position reaches the fraction (ceil(p n), at least 1). */
    static int percentileDiscIndex(double fraction, int n) {
        long row = (long) Math.ceil(fraction * n);
        return (int) Math.max(1, row) - 1;
    }

    /** 1 + the cut points the recency is below (recent is better). */
    private static int rScore(RfmAt cuts, long recency) {
        int score = 1;
        for (int c : cuts.rCuts()) {
            if (recency < c) {
                score++;
            }
        }
        return score;
    }

    /** 1 + the cut points the value is above. */
    private static int score(long[] cuts, long value) {
        int score = 1;
        for (long c : cuts) {
            if (value > c) {
                score++;
            }
        }
        return score;
    }

    Cohorts cohorts(PublishedVersion v, LocalDate from, LocalDate to) {
        List<Cohort> items = new ArrayList<>();
        if (!from.isAfter(to)) {
            for (Map.Entry<LocalDate, Map<Integer, Long>> cohort : cohorts.subMap(from, true, to, true).entrySet()) {
                items.add(Answers.cohort(cohort.getKey(), cohort.getValue(), lastCohortMonth));
            }
        }
        return new Cohorts(v.asOf(), v.version(), from, to, items);
    }

    Geography geography(PublishedVersion v, LocalDate from, LocalDate to, String level) {
        boolean byState = level.equals("state");
        int groups = byState ? stateNames.length : countries.length;
        int[] groupOf = byState ? rowState : rowCountry;
        int[] pairOf = byState ? rowStatePair : rowCountryPair;
        long[] revenue = new long[groups];
        long[] orders = new long[groups];
        long[] customers = new long[groups];
        boolean[] present = new boolean[groups];
        long[] seen = new long[((byState ? statePairs : countryPairs) + 63) >>> 6];
        int a = first(from), b = last(to);
        if (a <= b) {
            for (int r = dayStart[a], end = dayStart[b + 1]; r < end; r++) {
                int g = groupOf[r];
                present[g] = true;
                revenue[g] += rowRevenue[r];
                orders[g] += rowOrders[r];
                int pair = pairOf[r];
                if (!bit(seen, pair)) {
                    set(seen, pair);
                    customers[g]++;
                }
            }
        }
        List<Integer> shown = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            if (present[g]) {
                shown.add(g);
            }
        }
        shown.sort(Comparator.comparingLong((Integer g) -> -revenue[g]).thenComparingInt(g -> g));
        List<RegionFigures> rows = new ArrayList<>();
        for (int g : shown) {
            rows.add(byState ? new StateFigures(stateCountries[g], stateNames[g], cents(revenue[g]), orders[g], customers[g])
                    : new CountryFigures(countries[g], cents(revenue[g]), orders[g], customers[g]));
        }
        return new Geography(v.asOf(), v.version(), from, to, level, rows);
    }

    Weekday weekday(PublishedVersion v, LocalDate from, LocalDate to) {
        long[] revenue = new long[8];
        long[] orders = new long[8];
        int a = first(from), b = last(to);
        for (int i = a; i <= b; i++) {
            int dow = (int) Math.floorMod(day0 + i + 3, 7) + 1; // 1970-01-01 was a Thursday (4)
            revenue[dow] += total.revenue(i, i);
            orders[dow] += total.orders(i, i);
        }
        List<WeekdayFigures> rows = new ArrayList<>(7);
        for (int d = 1; d <= 7; d++) {
            rows.add(new WeekdayFigures(d, cents(revenue[d]), orders[d], Answers.DAY_NAMES[d - 1]));
        }
        return new Weekday(v.asOf(), v.version(), from, to, rows);
    }

    // ------------------------------------------------------------------------------------------
    // day indexes

    /** Index of the first day of a range that starts at {@code from} (may be past the last day). */
    private int first(LocalDate from) {
        return (int) Math.max(0, Math.min((long) days, from.toEpochDay() - day0));
    }

    /** Index of the last day of a range that ends at {@code to} (may be -1: before the first day). */
    private int last(LocalDate to) {
        return (int) Math.max(-1, Math.min(days - 1L, to.toEpochDay() - day0));
    }

    private static LocalDate truncate(LocalDate day, String granularity) {
        return switch (granularity) {
            case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> day.withDayOfMonth(1);
            default -> day;
        };
    }

    private static LocalDate next(LocalDate period, String granularity) {
        return switch (granularity) {
            case "week" -> period.plusWeeks(1);
            case "month" -> period.plusMonths(1);
            default -> period.plusDays(1);
        };
    }

    /** First index in [from, to) whose value is >= key (values ascending there). */
    private static int lowerBound(int[] values, int from, int to, int key) {
        int lo = from, hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int customerIndex(String id) {
        int lo = 0, hi = byId.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = customerIds[byId[mid]].compareTo(id);
            if (cmp == 0) {
                return byId[mid];
            }
            if (cmp < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private static boolean bit(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    // ------------------------------------------------------------------------------------------
    // size

    long rows() {
        return rows;
    }

    /** Approximate heap bytes held (arrays and strings): the log, the gauge and the next version's budget. */
    long bytes() {
        return bytes;
    }

    private long measure() {
        long bytes = total.bytes();
        for (Series[] all : List.of(categories, channels, methods)) {
            for (Series s : all) {
                bytes += s.bytes() + 48 + 2L * s.key.length();
            }
        }
        bytes += 4L * (productStart.length + productDay.length) + 8L * (productRevenue.length + productUnits.length);
        bytes += strings(productIds) + strings(productNames) + strings(productCategories);
        bytes += strings(customerIds) + 4L * (byId.length + byLtvAsc.length + byLtvDesc.length + newCustomers.length);
        bytes += 8L * (firstOrder.length + lastOrder.length + lifetimeOrders.length + ltv.length + ltv30.length);
        bytes += 4L * (dayStart.length + rowCustomer.length * 6L) + 8L * rowRevenue.length;
        bytes += 200L * cohorts.size();
        return bytes;
    }

    private static long strings(String[] values) {
        long bytes = 16 + 4L * values.length;
        for (String s : values) {
            bytes += s == null ? 0 : 48 + s.length();
        }
        return bytes;
    }

    // ------------------------------------------------------------------------------------------
    // loading

    /**
     * Reads version {@code v}'s mart rows in one snapshot and arranges them.
     *
     * @throws NotPreparable when the version has more than {@code maxRows} rows or an amount that does
     *         not fit exact hundredths in a long (then it is answered by SQL)
     */
    static PreparedKpis load(KpiRepository repository, long v, long maxRows) throws SQLException, NotPreparable {
        return load(repository, v, maxRows, Long.MAX_VALUE);
    }

    /**
     * As above, admitted only while it fits {@code budgetBytes} of heap: what the loader holds is
     * counted as it reads (refused once building would not fit), and the whole cost of building
     * (the loader, the built version and what building needs meanwhile) is estimated before anything
     * is built. A version refused here is answered by SQL.
     */
    static PreparedKpis load(KpiRepository repository, long v, long maxRows, long budgetBytes) throws SQLException, NotPreparable {
        Loader loader = new Loader(maxRows, budgetBytes);
        try {
            repository.inSnapshot(snapshot -> {
                Map<String, Object> p = Map.of("version", v);
                snapshot.each("prepare/daily_sales", p, loader::dailySales);
                snapshot.each("prepare/daily_category_sales", p, rs -> loader.keyed(loader.categories, rs));
                snapshot.each("prepare/daily_channel_sales", p, rs -> loader.keyed(loader.channels, rs));
                snapshot.each("prepare/payment_daily", p, rs -> loader.keyed(loader.methods, rs));
                snapshot.each("prepare/products", p, loader::product);
                snapshot.each("prepare/product_daily", p, loader::productDay);
                snapshot.each("prepare/customers", p, loader::customer);
                snapshot.each("prepare/geography_groups", p, loader::geographyGroup);
                snapshot.each("prepare/customer_daily", p, loader::customerDay);
                snapshot.each("prepare/cohorts", p, loader::cohort);
                return null;
            });
        } catch (Loader.Refused e) {
            throw new NotPreparable(e.getMessage());
        }
        long needed = loader.heapBytes() + buildingBytes(loader);
        if (needed > budgetBytes) {
            throw new NotPreparable("preparing it would take about " + (needed >> 20) + " MiB of heap, more than the "
                    + (budgetBytes >> 20) + " MiB free beside the served version and the requests' headroom");
        }
        return new PreparedKpis(loader);
    }

    /**
     * What building from {@code l} adds to the heap, the built version and the transient arrays and maps
     * of building (estimated from the counts read; {@link #bytes()} is the built part measured after).
     */
    static long buildingBytes(Loader l) {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (LongList days : List.of(l.salesDay, l.keyedDays(), l.productDays, l.customerFirst, l.customerLast, l.rowDay)) {
            for (int i = 0; i < days.size; i++) {
                min = Math.min(min, days.values[i]);
                max = Math.max(max, days.values[i]);
            }
        }
        long days = min > max ? 1 : max - min + 1;
        long keyedRows = l.categories.day.size + l.channels.day.size + l.methods.day.size;
        long keys = l.categories.keys.size() + l.channels.keys.size() + l.methods.keys.size();
        long customers = l.customerIds.size();
        long rows = l.rowDay.size;
        long built = Series.bytesFor(l.salesDay.size) + keys * (Series.bytesFor(0) + 64) + keyedRows * 32
                + 8L * (days + 1) * 2                                       // newCustomers, dayStart
                + l.productIds.size() * 3L * 80 + l.productDays.size * 20L  // product strings, days and sums
                + customers * (80 + 12 + 40)                                // ids, the three orders, five longs
                + rows * 32                                                 // the customer-day rows and their pairs
                + 200L * l.cohorts.size();
        // the (customer, group) pair maps hold one entry (~72 bytes) per distinct pair: about one per
        // customer and group level, more only for customers who moved, never more than the rows
        long pairs = Math.min(rows, 2 * customers);
        long transientBytes = keyedRows * 28                                // the keyed series' staging arrays
                + customers * 20                                            // boxed indexes while sorting
                + pairs * 2 * 72;                                           // the two pair maps
        return built + transientBytes;
    }

    private PreparedKpis(Loader l) throws NotPreparable {
        this.rows = l.rows;
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (LongList days : List.of(l.salesDay, l.keyedDays(), l.productDays, l.customerFirst, l.customerLast, l.rowDay)) {
            for (int i = 0; i < days.size; i++) {
                min = Math.min(min, days.values[i]);
                max = Math.max(max, days.values[i]);
            }
        }
        if (min > max) {
            min = max = 0;
        }
        if (max - min >= 1_000_000) {
            throw new NotPreparable("the version spans " + (max - min) + " days");
        }
        day0 = min;
        days = min == max && l.rows == 0 ? 0 : (int) (max - min + 1);
        try {
            int[] salesDays = new int[l.salesDay.size];
            for (int i = 0; i < salesDays.length; i++) {
                salesDays[i] = (int) (l.salesDay.values[i] - day0);
            }
            total = new Series("", 0, salesDays, l.salesRevenue.values, l.salesOrders.values, l.salesUnits.values,
                    salesDays.length);
            categories = l.categories.series(this);
            for (Series s : categories) {
                categoryByName.put(s.key, s);
            }
            channels = l.channels.series(this);
            methods = l.methods.series(this);

            // products: ranks in the order product_daily came (ORDER BY product_id)
            int products = l.productIds.size();
            productIds = l.productIds.toArray(new String[0]);
            productNames = new String[products];
            productCategories = new String[products];
            for (int p = 0; p < products; p++) {
                String[] current = l.productCurrent.get(productIds[p]);
                if (current != null) {
                    productNames[p] = current[0];
                    productCategories[p] = current[1];
                }
            }
            productStart = l.productStart.toIntArray(products + 1, l.productDays.size);
            productDay = new int[l.productDays.size];
            productRevenue = new long[productDay.length];
            productUnits = new long[productDay.length];
            for (int p = 0; p < products; p++) {
                long revenue = 0, units = 0;
                for (int i = productStart[p]; i < productStart[p + 1]; i++) {
                    productDay[i] = (int) (l.productDays.values[i] - day0);
                    revenue = Math.addExact(revenue, l.productRevenue.values[i]);
                    units = Math.addExact(units, l.productUnits.values[i]);
                    productRevenue[i] = revenue;
                    productUnits[i] = units;
                }
            }

            // customers
            customerIds = l.customerIds.toArray(new String[0]);
            rankedCustomers = l.customerFirst.size;
            firstOrder = Arrays.copyOf(l.customerFirst.values, rankedCustomers);
            lastOrder = Arrays.copyOf(l.customerLast.values, rankedCustomers);
            lifetimeOrders = Arrays.copyOf(l.customerOrders.values, rankedCustomers);
            ltv = Arrays.copyOf(l.customerLtv.values, rankedCustomers);
            ltv30 = Arrays.copyOf(l.customerLtv30.values, rankedCustomers);
            Integer[] ids = new Integer[customerIds.length];
            for (int c = 0; c < ids.length; c++) {
                ids[c] = c;
            }
            Arrays.sort(ids, Comparator.comparing(c -> customerIds[c]));
            byId = unbox(ids);
            Integer[] ranked = new Integer[rankedCustomers];
            for (int c = 0; c < rankedCustomers; c++) {
                ranked[c] = c;
            }
            Arrays.sort(ranked, (x, y) -> ltv[x] != ltv[y] ? Long.compare(ltv[y], ltv[x]) : Integer.compare(x, y));
            byLtvDesc = unbox(ranked);
            Arrays.sort(ranked, (x, y) -> ltv[x] != ltv[y] ? Long.compare(ltv[x], ltv[y]) : Integer.compare(x, y));
            byLtvAsc = unbox(ranked);
            newCustomers = new int[days + 1];
            for (int c = 0; c < rankedCustomers; c++) {
                newCustomers[(int) (firstOrder[c] - day0) + 1]++;
            }
            for (int i = 0; i < days; i++) {
                newCustomers[i + 1] += newCustomers[i];
            }

            // customer-day rows, already in day order
            int n = l.rowDay.size;
            rowCustomer = Arrays.copyOf(l.rowCustomer.values, n);
            rowOrders = Arrays.copyOf(l.rowOrders.values, n);
            rowRevenue = Arrays.copyOf(l.rowRevenue.values, n);
            rowCountry = Arrays.copyOf(l.rowCountry.values, n);
            rowState = Arrays.copyOf(l.rowState.values, n);
            dayStart = new int[days + 1];
            for (int r = 0; r < n; r++) {
                dayStart[(int) (l.rowDay.values[r] - day0) + 1]++;
            }
            for (int i = 0; i < days; i++) {
                dayStart[i + 1] += dayStart[i];
            }
            // distinct (customer, group) pairs, numbered
            rowCountryPair = new int[n];
            rowStatePair = new int[n];
            Map<Long, Integer> countryPair = new HashMap<>();
            Map<Long, Integer> statePair = new HashMap<>();
            for (int r = 0; r < n; r++) {
                rowCountryPair[r] = countryPair.computeIfAbsent(((long) rowCustomer[r] << 32) | rowCountry[r], k -> countryPair.size());
                rowStatePair[r] = statePair.computeIfAbsent(((long) rowCustomer[r] << 32) | rowState[r], k -> statePair.size());
            }
            countryPairs = countryPair.size();
            statePairs = statePair.size();
            countries = l.countries.toArray(new String[0]);
            stateCountries = l.stateCountries.toArray(new String[0]);
            stateNames = l.stateNames.toArray(new String[0]);
            cohorts = l.cohorts;
            lastCohortMonth = l.lastCohortMonth;
            bytes = measure();
        } catch (ArithmeticException e) {
            throw new NotPreparable("a sum does not fit exact hundredths in a long: " + e.getMessage());
        }
    }

    private static int[] unbox(Integer[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** A growable array of longs. */
    private static final class LongList {
        long[] values = new long[1024];
        int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        /** As ints; the last entries set to {@code fill} up to {@code length}. */
        int[] toIntArray(int length, int fill) {
            int[] out = new int[length];
            Arrays.fill(out, fill);
            for (int i = 0; i < size; i++) {
                out[i] = (int) values[i];
            }
            return out;
        }
    }

    /** A growable array of ints. */
    private static final class IntList {
        int[] values = new int[1024];
        int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }

    /** Rows of a daily mart with a key (category, channel, method), the keys in the order they came. */
    private static final class Keyed {
        final List<String> keys = new ArrayList<>();
        final IntList key = new IntList();
        final LongList day = new LongList();
        final LongList revenue = new LongList();
        final LongList orders = new LongList();
        final LongList units = new LongList();

        Series[] series(PreparedKpis prepared) {
            // rows come grouped by key (ORDER BY key, day); a key seen again later is still one series
            int[] count = new int[keys.size()];
            for (int i = 0; i < key.size; i++) {
                count[key.values[i]]++;
            }
            int[][] days = new int[count.length][];
            long[][] rev = new long[count.length][];
            long[][] ord = new long[count.length][];
            long[][] un = new long[count.length][];
            for (int k = 0; k < count.length; k++) {
                days[k] = new int[count[k]];
                rev[k] = new long[count[k]];
                ord[k] = new long[count[k]];
                un[k] = new long[count[k]];
            }
            int[] filled = new int[count.length];
            for (int i = 0; i < key.size; i++) {
                int k = key.values[i];
                int j = filled[k]++;
                days[k][j] = (int) (day.values[i] - prepared.day0);
                rev[k][j] = revenue.values[i];
                ord[k][j] = orders.values[i];
                un[k][j] = units.values[i];
            }
            Series[] out = new Series[count.length];
            for (int k = 0; k < out.length; k++) {
                out[k] = new Series(keys.get(k), k, days[k], rev[k], ord[k], un[k], count[k]);
            }
            return out;
        }
    }

    /** Collects the rows of the loading queries; refuses a version past the row bound or not exact in cents. */
    private static final class Loader {

        static final class Refused extends RuntimeException {
            Refused(String message) {
                super(message, null, false, false);
            }
        }

        final long maxRows;
        final long budgetBytes;
        long rows;
        final LongList salesDay = new LongList();
        final LongList salesRevenue = new LongList();
        final LongList salesOrders = new LongList();
        final LongList salesUnits = new LongList();
        final Keyed categories = new Keyed();
        final Keyed channels = new Keyed();
        final Keyed methods = new Keyed();
        final Map<String, String[]> productCurrent = new HashMap<>();
        final List<String> productIds = new ArrayList<>();
        final LongList productStart = new LongList();
        final LongList productDays = new LongList();
        final LongList productRevenue = new LongList();
        final LongList productUnits = new LongList();
        final List<String> customerIds = new ArrayList<>();
        final Map<String, Integer> customerIndex = new HashMap<>();
        final LongList customerFirst = new LongList();
        final LongList customerLast = new LongList();
        final LongList customerOrders = new LongList();
        final LongList customerLtv = new LongList();
        final LongList customerLtv30 = new LongList();
        final List<String> countries = new ArrayList<>();
        final Map<String, Integer> countryIndex = new HashMap<>();
        final List<String> stateCountries = new ArrayList<>();
        final List<String> stateNames = new ArrayList<>();
        final Map<String, Integer> stateIndex = new HashMap<>();
        final LongList rowDay = new LongList();
        final IntList rowCustomer = new IntList();
        final IntList rowOrders = new IntList();
        final LongList rowRevenue = new LongList();
        final IntList rowCountry = new IntList();
        final IntList rowState = new IntList();
        final TreeMap<LocalDate, Map<Integer, Long>> cohorts = new TreeMap<>();
        LocalDate lastCohortMonth;
        /** Absolute sums per table: every sum an answer forms stays within them, so none overflows. */
        long absSales, absKeyed, absProducts, absCustomers, absRows;

        Loader(long maxRows, long budgetBytes) {
            this.maxRows = maxRows;
            this.budgetBytes = budgetBytes;
        }

        private void count() {
            if (++rows > maxRows) {
                throw new Refused("the version has more than " + maxRows + " mart rows (shopflow.analytics.prepare.max-rows)");
            }
            // building takes about as much again as the loader holds: stop reading once that cannot fit
            if ((rows & 8191) == 0 && budgetBytes != Long.MAX_VALUE && heapBytes() * 2 > budgetBytes) {
                throw new Refused("preparing it would take more than the " + (budgetBytes >> 20)
                        + " MiB of heap free beside the served version and the requests' headroom");
            }
        }

        /** Heap bytes the loader holds now: its arrays at their capacity, its strings and maps by entry. */
        long heapBytes() {
            long bytes = 0;
            for (LongList list : List.of(salesDay, salesRevenue, salesOrders, salesUnits, productStart, productDays,
                    productRevenue, productUnits, customerFirst, customerLast, customerOrders, customerLtv, customerLtv30,
                    rowDay, rowRevenue)) {
                bytes += 16 + 8L * list.values.length;
            }
            for (IntList list : List.of(rowCustomer, rowOrders, rowCountry, rowState)) {
                bytes += 16 + 4L * list.values.length;
            }
            for (Keyed k : List.of(categories, channels, methods)) {
                bytes += 4L * k.key.values.length + 8L * (k.day.values.length + k.revenue.values.length
                        + k.orders.values.length + k.units.values.length) + 80L * k.keys.size();
            }
            bytes += 200L * productCurrent.size() + 80L * productIds.size();
            bytes += 150L * customerIds.size();                           // the id and its index entry
            bytes += 150L * (countries.size() + stateNames.size());
            bytes += 200L * cohorts.size();
            return bytes;
        }

        LongList keyedDays() {
            LongList all = new LongList();
            for (Keyed k : List.of(categories, channels, methods)) {
                for (int i = 0; i < k.day.size; i++) {
                    all.add(k.day.values[i]);
                }
            }
            return all;
        }

        void dailySales(ResultSet rs) throws SQLException {
            count();
            salesDay.add(rs.getDate(1).toLocalDate().toEpochDay());
            long revenue = cents(rs.getBigDecimal(2));
            absSales = plusAbs(absSales, revenue);
            salesRevenue.add(revenue);
            salesOrders.add(rs.getLong(3));
            salesUnits.add(rs.getLong(4));
        }

        void keyed(Keyed k, ResultSet rs) throws SQLException {
            count();
            String key = rs.getString(1);
            if (k.keys.isEmpty() || !k.keys.get(k.keys.size() - 1).equals(key)) {
                k.keys.add(key);
            }
            k.key.add(k.keys.size() - 1);
            k.day.add(rs.getDate(2).toLocalDate().toEpochDay());
            long revenue = cents(rs.getBigDecimal(3));
            absKeyed = plusAbs(absKeyed, revenue);
            k.revenue.add(revenue);
            k.orders.add(rs.getLong(4));
            k.units.add(rs.getLong(5));
        }

        void product(ResultSet rs) throws SQLException {
            count();
            productCurrent.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
        }

        void productDay(ResultSet rs) throws SQLException {
            count();
            String id = rs.getString(1);
            if (productIds.isEmpty() || !productIds.get(productIds.size() - 1).equals(id)) {
                productIds.add(id);
                productStart.add(productDays.size);
            }
            productDays.add(rs.getDate(2).toLocalDate().toEpochDay());
            long revenue = cents(rs.getBigDecimal(3));
            absProducts = plusAbs(absProducts, revenue);
            productRevenue.add(revenue);
            productUnits.add(rs.getLong(4));
        }

        void customer(ResultSet rs) throws SQLException {
            count();
            String id = rs.getString(1);
            customerIndex.put(id, customerIds.size());
            customerIds.add(id);
            customerFirst.add(rs.getDate(2).toLocalDate().toEpochDay());
            customerLast.add(rs.getDate(3).toLocalDate().toEpochDay());
            customerOrders.add(rs.getLong(4));
            long ltv = cents(rs.getBigDecimal(5));
            absCustomers = plusAbs(absCustomers, ltv);
            customerLtv.add(ltv);
            customerLtv30.add(cents(rs.getBigDecimal(6)));
        }

        void geographyGroup(ResultSet rs) throws SQLException {
            String country = rs.getString(1);
            String state = rs.getString(2);
            countryIndex.computeIfAbsent(country, c -> {
                countries.add(c);
                return countries.size() - 1;
            });
            stateIndex.put(country + '\u0000' + (state == null ? "" : state), stateNames.size());
            stateCountries.add(country);
            stateNames.add(state);
        }

        void customerDay(ResultSet rs) throws SQLException {
            count();
            rowDay.add(rs.getDate(1).toLocalDate().toEpochDay());
            String id = rs.getString(2);
            Integer c = customerIndex.get(id);
            if (c == null) {
                c = customerIds.size();
                customerIndex.put(id, c);
                customerIds.add(id);
            }
            rowCustomer.add(c);
            String country = rs.getString(3);
            String state = rs.getString(4);
            Integer countryRank = countryIndex.get(country);
            Integer stateRank = stateIndex.get(country + '\u0000' + state);
            if (countryRank == null || stateRank == null) {
                throw new Refused("a customer-day row's address is not among the version's groups");
            }
            rowCountry.add(countryRank);
            rowState.add(stateRank);
            int orders = rs.getInt(5);
            if (orders < 1) {
                // the distinct and repeat customer counts rely on every row being at least one order
                throw new Refused("a customer-day row with " + orders + " orders");
            }
            rowOrders.add(orders);
            long revenue = cents(rs.getBigDecimal(6));
            absRows = plusAbs(absRows, revenue);
            rowRevenue.add(revenue);
        }

        void cohort(ResultSet rs) throws SQLException {
            count();
            LocalDate month = rs.getDate(1).toLocalDate();
            int offset = rs.getInt(2);
            cohorts.computeIfAbsent(month, m -> new HashMap<>()).put(offset, rs.getLong(3));
            LocalDate active = month.plusMonths(offset);
            if (lastCohortMonth == null || active.isAfter(lastCohortMonth)) {
                lastCohortMonth = active;
            }
        }

        private static long cents(BigDecimal amount) {
            try {
                return amount.setScale(2, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
            } catch (ArithmeticException e) {
                throw new Refused("an amount (" + amount + ") is not exact in hundredths within a long");
            }
        }

        private static long plusAbs(long sum, long value) {
            try {
                return Math.addExact(sum, Math.absExact(value));
            } catch (ArithmeticException e) {
                throw new Refused("the amounts of a mart add up beyond a long of hundredths");
            }
        }
    }
}

package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Records;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Customers, addressed by (sign-up day, n): everything about one, including whether and when it
 * moves, follows from the seed and its address, so any day can refer to any customer without
 * having generated the days before.
 */
final class CustomerBase {

    private static final long STREAM = 0x43555354L;

    private final long seed;
    private final ShopProfile profile;
    private final Demand demand;
    private final NamePools names;

    CustomerBase(long seed, ShopProfile profile, Demand demand, NamePools names) {
        this.seed = seed;
        this.profile = profile;
        this.demand = demand;
        this.names = names;
    }

    static String id(LocalDate signupDay, int n) {
        return Ids.of("C-", signupDay, n);
    }

    /** The customer's country index (it moves within its country). */
    int country(LocalDate signupDay, int n) {
        return Rng.pick(Rng.of(seed, STREAM, signupDay.toEpochDay(), n), Geography.COUNTRY_CUMULATIVE);
    }

    boolean loyal(LocalDate signupDay, int n) {
        return Rng.unit(Rng.key(seed, STREAM + 1, signupDay.toEpochDay(), n)) < profile.loyalShare();
    }

    boolean moves(LocalDate signupDay, int n) {
        return Rng.unit(Rng.key(seed, STREAM + 2, signupDay.toEpochDay(), n)) < profile.moveShare();
    }

    /** The version of the customer current at the end of {@code day}: the sign-up one, or the one after its move. */
    Records.Customer asOf(LocalDate signupDay, int n, LocalDate day) {
        SplittableRandom r = Rng.of(seed, STREAM, signupDay.toEpochDay(), n);
        int c = Rng.pick(r, Geography.COUNTRY_CUMULATIVE);
        int fi = r.nextInt(names.firstNames.length);
        int li = r.nextInt(names.lastNames.length);
        String first = names.firstNames[fi];
        String last = names.lastNames[li];
        String email = names.emailFirst[fi] + "." + names.emailLast[li] + "." + signupDay.toEpochDay() + "." + n + "@"
                + names.domains[r.nextInt(names.domains.length)];
        Instant signup = signupDay.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(r.nextInt(86_400));
        LocalDate moveDay = signupDay.plusDays(profile.moveAfterDays());
        boolean moved = moves(signupDay, n) && !day.isBefore(moveDay);
        SplittableRandom place = moved ? Rng.of(seed, STREAM + 3, signupDay.toEpochDay(), n) : r;
        String city = names.cities[c][place.nextInt(names.cities[c].length)];
        String state = switch (Geography.COUNTRIES[c]) {
            case "US" -> Geography.US_STATES[Rng.pick(place, Geography.US_STATE_CUMULATIVE)];
            case "CA" -> Geography.CA_PROVINCES[Rng.pick(place, Geography.CA_PROVINCE_CUMULATIVE)];
            default -> null;
        };
        Instant updated = moved ? moveDay.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(place.nextInt(86_400))
                : signup;
        return new Records.Customer(id(signupDay, n), email, first, last, city, state, Geography.COUNTRIES[c], signup,
                updated);
    }

    /** Customers who move on {@code day}: those of the cohort {@code move_after_days} before who move. */
    java.util.List<int[]> moversOn(LocalDate day) {
        LocalDate cohort = day.minusDays(profile.moveAfterDays());
        java.util.List<int[]> movers = new java.util.ArrayList<>();
        for (int n = 0, size = demand.newCustomersOn(cohort); n < size; n++) {
            if (moves(cohort, n)) {
                movers.add(new int[] {(int) cohort.toEpochDay(), n});
            }
        }
        return movers;
    }

    /**
     * The customer of a new order: a sign-up of the day (new_customer_share), or a repeat buyer who
     * signed up within the lookback, loyal customers {@code loyal_weight} times as likely (Pareto).
     *
     * @return {epoch day of sign-up, n}
     */
    int[] pickFor(LocalDate day, SplittableRandom r) {
        if (r.nextDouble() < profile.newCustomerShare()) {
            return new int[] {(int) day.toEpochDay(), r.nextInt(demand.newCustomersOn(day))};
        }
        while (true) {
            LocalDate signup = day.minusDays(1 + r.nextInt(profile.customerLookbackDays()));
            int n = r.nextInt(demand.newCustomersOn(signup));
            if (loyal(signup, n) || r.nextDouble() * profile.loyalWeight() < 1) {
                return new int[] {(int) signup.toEpochDay(), n};
            }
        }
    }
}

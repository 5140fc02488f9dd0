package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.DataBounds;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** How many orders and sign-ups a day has: weekly and yearly seasonality, shopping events, growth. */
public final class Demand {

    static final LocalDate GROWTH_EPOCH = LocalDate.of(2020, 1, 1);

    private final ShopProfile profile;
    private final int ordersPerDay;

    public Demand(ShopProfile profile, int ordersPerDay) {
        this.profile = profile;
        this.ordersPerDay = ordersPerDay;
    }

    /** Relative volume of a day (1.0 = an average weekday of an average month in 2020). */
    public double factor(LocalDate date) {
        boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        // normalized so that a week averages 1.0
        double week = (weekend ? profile.weekendFactor() : 1.0) * 7.0 / (5.0 + 2.0 * profile.weekendFactor());
        double season = profile.monthFactors()[date.getMonthValue() - 1];
        double years = ChronoUnit.DAYS.between(GROWTH_EPOCH, date) / 365.25;
        double growth = Math.pow(1 + profile.yearlyGrowth(), years);
        return week * season * growth * event(date);
    }

    private double event(LocalDate date) {
        LocalDate blackFriday = LocalDate.of(date.getYear(), Month.NOVEMBER, 1)
                .with(TemporalAdjusters.dayOfWeekInMonth(4, DayOfWeek.FRIDAY));
        if (date.equals(blackFriday)) {
            return profile.blackFridayFactor();
        }
        if (date.equals(blackFriday.plusDays(3))) {
            return profile.cyberMondayFactor();
        }
        return 1.0;
    }

    /** {@code orders_per_day} is the volume of an average 2020 weekday; growth and seasons scale it. */
    private final java.util.Map<Long, Integer> orders = new java.util.HashMap<>();

    /** What the model asks for on {@code date}, before the bounds (requests are checked against it). */
    public double expectedOrders(LocalDate date) {
        return ordersPerDay * factor(date);
    }

    /** The day of a range with the most orders the model asks for, and that number (before the bounds). */
    public record Busiest(LocalDate day, double orders) {
    }

    public Busiest busiestDay(LocalDate from, LocalDate to) {
        Busiest best = new Busiest(from, expectedOrders(from));
        for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
            double expected = expectedOrders(day);
            if (expected > best.orders()) {
                best = new Busiest(day, expected);
            }
        }
        return best;
    }

    /** Orders generated on {@code date}: at least 1, at most DataBounds.MAX_ORDERS_PER_DAY, never an overflowed int. */
    public int ordersOn(LocalDate date) {
        return orders.computeIfAbsent(date.toEpochDay(),
                d -> (int) Math.max(1, Math.min(DataBounds.MAX_ORDERS_PER_DAY, Math.round(expectedOrders(date)))));
    }

    public int newCustomersOn(LocalDate date) {
        return Math.max(1, (int) Math.round(ordersOn(date) * profile.newCustomerShare()));
    }
}

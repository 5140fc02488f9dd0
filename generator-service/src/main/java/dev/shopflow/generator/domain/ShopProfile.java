package dev.shopflow.generator.domain;

/**
 * How the synthetic shop behaves: every knob of its realism, with defaults that look like a
 * mid-sized European/North American web shop (docs/generator.md explains each).
 *
 * @param yearlyGrowth order volume growth per year (0.15 = +15 %), from 2020-01-01
 * @param weekendFactor orders on Saturday and Sunday relative to a weekday
 * @param monthFactors seasonality per month, January first (November/December peak)
 * @param blackFridayFactor orders on Black Friday (4th Friday of November) relative to a normal day
 * @param cyberMondayFactor orders on the Monday after Black Friday
 * @param newCustomerShare share of a day's orders placed by customers who sign up that day
 * @param loyalShare share of customers who are loyal (Pareto repeat buying)
 * @param loyalWeight how much more often a loyal customer orders again than another customer
 * @param customerLookbackDays how far back repeat buyers signed up
 * @param moveShare share of customers who move once, {@code moveAfterDays} after signing up (a new version)
 * @param moveAfterDays see moveShare
 * @param products size of the catalogue
 * @param productVersionDays every this many days (offset per product) a product gets a new version
 * @param categoryChangeShare share of product versions that move the product to another category
 * @param discountShare share of order lines with a discount
 * @param cancelShare share of orders cancelled (within a day)
 * @param returnShare share of delivered orders returned (within 3 weeks)
 * @param abandonShare share of orders never paid (stay placed)
 */
public record ShopProfile(double yearlyGrowth, double weekendFactor, double[] monthFactors, double blackFridayFactor,
        double cyberMondayFactor, double newCustomerShare, double loyalShare, double loyalWeight,
        int customerLookbackDays, double moveShare, int moveAfterDays, int products, int productVersionDays,
        double categoryChangeShare, double discountShare, double cancelShare, double returnShare, double abandonShare) {

    public static ShopProfile defaults() {
        return new ShopProfile(0.15, 1.3,
                new double[] {0.85, 0.8, 0.9, 0.95, 1.0, 0.95, 0.9, 0.95, 1.0, 1.05, 1.35, 1.6},
                3.0, 2.0, 0.3, 0.2, 6.0, 365, 0.15, 180, 500, 120, 0.05, 0.2, 0.06, 0.05, 0.02);
    }
}

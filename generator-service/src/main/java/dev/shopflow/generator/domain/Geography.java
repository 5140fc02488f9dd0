package dev.shopflow.generator.domain;

/** Where customers live, weighted; states for the US and provinces for Canada, weighted too. */
final class Geography {

    static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "CA", "NL", "ES"};
    static final String[] LOCALES = {"en-US", "en-GB", "de-DE", "fr-FR", "en-CA", "nl-NL", "es-ES"};
    static final double[] COUNTRY_CUMULATIVE = Rng.cumulative(45, 15, 15, 10, 8, 4, 3);

    static final String[] US_STATES = {"CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "NC", "MI", "NJ", "VA", "WA",
            "AZ", "MA", "TN", "IN", "MO", "MD", "WI", "CO", "MN", "OR", "UT"};
    static final double[] US_STATE_CUMULATIVE = Rng.cumulative(12, 9, 7, 6, 4, 4, 3.5, 3.3, 3.2, 3, 2.8, 2.6, 2.4,
            2.3, 2.1, 2.1, 2, 1.9, 1.9, 1.8, 1.8, 1.7, 1.3, 1);
    static final String[] CA_PROVINCES = {"ON", "QC", "BC", "AB", "MB", "SK", "NS"};
    static final double[] CA_PROVINCE_CUMULATIVE = Rng.cumulative(39, 22, 14, 12, 4, 3, 3);

    /** Payment method mix per country: credit_card, debit_card, paypal, gift_card, bank_transfer. */
    static final double[][] PAYMENT_CUMULATIVE = {
            Rng.cumulative(52, 20, 18, 4, 6),   // US
            Rng.cumulative(30, 42, 20, 3, 5),   // GB
            Rng.cumulative(15, 12, 38, 5, 30),  // DE
            Rng.cumulative(55, 15, 20, 4, 6),   // FR
            Rng.cumulative(55, 20, 17, 4, 4),   // CA
            Rng.cumulative(12, 20, 25, 3, 40),  // NL (iDEAL as bank transfer)
            Rng.cumulative(40, 25, 25, 4, 6)};  // ES
    static final String[] METHODS = {"credit_card", "debit_card", "paypal", "gift_card", "bank_transfer"};

    private Geography() {
    }
}

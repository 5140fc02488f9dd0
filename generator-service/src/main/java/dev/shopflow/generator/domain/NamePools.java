package dev.shopflow.generator.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.datafaker.Faker;

/**
 * Names, cities, email domains and product names drawn once from Datafaker per seed, so
 * generating a record is an array lookup (Datafaker itself takes microseconds per value).
 */
final class NamePools {

    final String[] firstNames;
    final String[] lastNames;
    final String[] domains;
    final String[][] cities; // per country of Geography.COUNTRIES
    final String[] productNames;
    /** The names as they appear in email addresses: lower case, letters, digits and dots only. */
    final String[] emailFirst;
    final String[] emailLast;

    NamePools(long seed) {
        Faker faker = new Faker(Locale.US, new Random(Rng.key(seed, 0x4E414D45L)));
        firstNames = distinct(1000, () -> faker.name().firstName());
        lastNames = distinct(1000, () -> faker.name().lastName());
        domains = distinct(60, () -> faker.internet().domainName());
        cities = new String[Geography.COUNTRIES.length][];
        for (int c = 0; c < Geography.COUNTRIES.length; c++) {
            Faker local = new Faker(Locale.forLanguageTag(Geography.LOCALES[c]), new Random(Rng.key(seed, 0x43495459L, c)));
            cities[c] = distinct(200, () -> local.address().city());
        }
        productNames = distinct(3000, () -> faker.commerce().productName());
        emailFirst = java.util.Arrays.stream(firstNames).map(NamePools::emailPart).toArray(String[]::new);
        emailLast = java.util.Arrays.stream(lastNames).map(NamePools::emailPart).toArray(String[]::new);
    }

    private static String emailPart(String name) {
        String part = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "");
        return part.isEmpty() ? "x" : part;
    }

    private static String[] distinct(int wanted, java.util.function.Supplier<String> source) {
        java.util.LinkedHashSet<String> values = new java.util.LinkedHashSet<>();
        for (int attempts = 0; values.size() < wanted && attempts < wanted * 20; attempts++) {
            values.add(source.get());
        }
        List<String> list = new ArrayList<>(values);
        return list.toArray(String[]::new);
    }
}

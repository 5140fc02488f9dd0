package dev.shopflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The per-service database roles in local mode: runs the chart's {@code roles.sql} (the same script
 * the chart's PostgreSQL runs at init) and gives each role its password. Passwords are random, made
 * once and kept in the roles file (owner-only), so a database restarted on its data keeps them and
 * running services reconnect.
 */
final class DatabaseRoles {

    /**
     * Role keys: shopflow_<key>. A service's key is the part of its module name before the first '-';
     * bi is the read-only role of BI tools (schema bi).
     */
    static final List<String> SERVICES = List.of("generator", "ingestion", "transform", "quality", "analytics", "bi");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private DatabaseRoles() {
    }

    static void apply(String adminUrl, Path rolesFile) throws IOException {
        Properties passwords = passwords(rolesFile);
        String script;
        try (InputStream in = DatabaseRoles.class.getResourceAsStream("/db/roles.sql")) {
            if (in == null) {
                throw new IllegalStateException("db/roles.sql missing from the launcher jar");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            st.execute(script);
            for (String service : SERVICES) {
                // ALTER ROLE takes no bind parameters; the passwords are ours (letters and digits)
                st.execute("ALTER ROLE shopflow_" + service + " PASSWORD '"
                        + passwords.getProperty(service).replace("'", "''") + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database roles: " + e.getMessage(), e);
        }
    }

    private static Properties passwords(Path rolesFile) throws IOException {
        Properties passwords = new Properties();
        if (Files.exists(rolesFile)) {
            try (Reader r = Files.newBufferedReader(rolesFile)) {
                passwords.load(r);
            }
        }
        boolean changed = false;
        SecureRandom random = new SecureRandom();
        for (String service : SERVICES) {
            if (passwords.getProperty(service, "").isEmpty()) {
                StringBuilder pw = new StringBuilder();
                for (int i = 0; i < 24; i++) {
                    pw.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                passwords.setProperty(service, pw.toString());
                changed = true;
            }
        }
        if (changed) {
            Files.createDirectories(rolesFile.toAbsolutePath().getParent());
            Path tmp = rolesFile.resolveSibling(rolesFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(tmp)) {
                passwords.store(w, "ShopFlow local database passwords, one per service role (shopflow_<service>)");
            }
            Files.move(tmp, rolesFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return passwords;
    }
}

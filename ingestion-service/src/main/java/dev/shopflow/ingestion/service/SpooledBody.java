package dev.shopflow.ingestion.service;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A request body copied to disk while its SHA-256 is computed and its size bounded, so a batch of
 * any size costs a fixed amount of heap. Also writes the gzip copy kept in {@code raw}.
 */
final class SpooledBody implements AutoCloseable {

    final Path file;
    final Path gzipFile;
    final long bytes;
    final String sha256;

    private SpooledBody(Path file, Path gzipFile, long bytes, String sha256) {
        this.file = file;
        this.gzipFile = gzipFile;
        this.bytes = bytes;
        this.sha256 = sha256;
    }

    static SpooledBody spool(InputStream body, long maxBytes) throws IOException {
        Path file = Files.createTempFile("shopflow-batch-", ".body");
        Path gzip = Files.createTempFile("shopflow-batch-", ".body.gz");
        try {
            MessageDigest digest = sha256();
            long total = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = new DigestInputStream(body, digest);
                    OutputStream plain = Files.newOutputStream(file);
                    OutputStream gz = fastGzip(Files.newOutputStream(gzip))) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new ProblemException(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                                "The batch body exceeds the limit of " + maxBytes + " bytes; split it into smaller batches"));
                    }
                    plain.write(buffer, 0, n);
                    gz.write(buffer, 0, n);
                }
            }
            return new SpooledBody(file, gzip, total, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(gzip);
            throw e;
        }
    }

    /** Level 1: the raw copy is for replay and audit, and compressing must not be the bottleneck of a load. */
    private static OutputStream fastGzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(gzipFile);
    }
}

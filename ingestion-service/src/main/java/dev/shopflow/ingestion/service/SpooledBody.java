package dev.shopflow.ingestion.service;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    /**
     * Compresses raw copies beside the request thread: while a body arrives the database is idle, a core
     * is free. A JDK pool of its own, not a ManagedExecutor on Quarkus's worker pool: each task blocks on
     * its request's chunks, so under a burst of uploads a bounded shared pool could queue the
     * compressors behind the very requests that wait for them.
     */
    private static final ExecutorService COMPRESSORS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-copy-gzip");
        t.setDaemon(true);
        return t;
    });
    private static final byte[] END = new byte[0];

    /**
     * Spools the body and computes its SHA-256: the idempotency key when the client sent none, and what a
     * reused key's body is compared with.
     */
    static SpooledBody spool(InputStream body, long maxBytes) throws IOException {
        Path file = Files.createTempFile("shopflow-batch-", ".body");
        Path gzip = Files.createTempFile("shopflow-batch-", ".body.gz");
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(32); // at most 2 MiB in flight
        // the hash is taken beside the gzip copy, off the request thread, which only writes the file
        MessageDigest sha = sha256();
        Future<Void> compressing = COMPRESSORS.submit(() -> {
            try (OutputStream gz = fastGzip(Files.newOutputStream(gzip))) {
                for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                    sha.update(chunk);
                    gz.write(chunk);
                }
            }
            return null;
        });
        try {
            long total = 0;
            try (InputStream in = body;
                    OutputStream plain = Files.newOutputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new ProblemException(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                                "The batch body exceeds the limit of " + maxBytes + " bytes; split it into smaller batches"));
                    }
                    plain.write(buffer, 0, n);
                    hand(chunks, compressing, Arrays.copyOf(buffer, n));
                }
            }
            hand(chunks, compressing, END);
            compressing.get();
            return new SpooledBody(file, gzip, total, HexFormat.of().formatHex(sha.digest()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cleanUp(file, gzip, compressing, new IOException("interrupted while keeping the raw copy", e));
        } catch (ExecutionException e) {
            throw cleanUp(file, gzip, compressing, new IOException("could not compress the raw copy", e.getCause()));
        } catch (IOException e) {
            throw cleanUp(file, gzip, compressing, e);
        } catch (RuntimeException e) {
            throw cleanUp(file, gzip, compressing, e);
        }
    }

    /** Passes a chunk to the compressor; gives up if the compressor has stopped (it failed). */
    private static void hand(BlockingQueue<byte[]> chunks, Future<Void> compressing, byte[] chunk)
            throws InterruptedException, ExecutionException, IOException {
        while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            if (compressing.isDone()) {
                compressing.get();
                throw new IOException("the raw copy compressor stopped");
            }
        }
    }

    private static <E extends Exception> E cleanUp(Path file, Path gzip, Future<Void> compressing, E failure)
            throws IOException {
        compressing.cancel(true);
        Files.deleteIfExists(file);
        Files.deleteIfExists(gzip);
        return failure;
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

    /** The body as UTF-8 text; bytes that are not UTF-8 fail the read with a CharacterCodingException. */
    Reader reader() throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(Files.newInputStream(file), decoder);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(gzipFile);
    }
}

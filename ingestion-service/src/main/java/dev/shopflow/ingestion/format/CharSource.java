package dev.shopflow.ingestion.format;

import java.io.IOException;
import java.io.Reader;

/**
 * A buffered character stream for the row readers: reading a char is an array access, not a
 * synchronized {@code Reader.read()}, which matters at a hundred million characters per batch. A
 * leading byte-order mark is dropped.
 */
final class CharSource {

    static final int EOF = -1;

    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int pos;
    private int len;
    private boolean started;

    CharSource(Reader in) {
        this.in = in;
    }

    int read() throws IOException {
        if (pos == len && !fill()) {
            return EOF;
        }
        return buffer[pos++];
    }

    int peek() throws IOException {
        if (pos == len && !fill()) {
            return EOF;
        }
        return buffer[pos];
    }

    /**
     * Appends the characters up to the next LF (dropping the LF and a CR before it) to {@code line}.
     *
     * @return false at the end of input with nothing read
     * @throws RecordTooLongException when the line exceeds {@code maxChars}
     */
    boolean readLine(StringBuilder line, int maxChars, int lineNumber) throws IOException {
        boolean any = false;
        while (true) {
            if (pos == len && !fill()) {
                break;
            }
            any = true;
            int start = pos;
            while (pos < len && buffer[pos] != '\n') {
                pos++;
            }
            line.append(buffer, start, pos - start);
            if (line.length() > maxChars) {
                throw new RecordTooLongException(lineNumber, maxChars);
            }
            if (pos < len) {
                pos++; // the LF
                break;
            }
        }
        int last = line.length() - 1;
        if (last >= 0 && line.charAt(last) == '\r') {
            line.setLength(last);
        }
        return any;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            pos = len = 0;
            return false;
        }
        pos = 0;
        len = n;
        if (!started) {
            started = true;
            if (buffer[0] == '\uFEFF') {
                pos = 1;
                return len > 1 || fill();
            }
        }
        return true;
    }
}

package dev.shopflow.common.api;

import dev.shopflow.common.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request whose path or query, once percent-decoded, is not UTF-8 (400 problem+json).
 * Without this the HTTP layer decodes such bytes leniently to U+FFFD, and a broken parameter would
 * silently match nothing instead of being reported.
 */
public class Utf8RequestTarget {

    @ServerRequestFilter(preMatching = true)
    public Response refuseTargetsThatAreNotUtf8(HttpServerRequest request) {
        if (isUtf8(request.uri())) {
            return null;
        }
        return Problem.of(Response.Status.BAD_REQUEST, "unreadable-target",
                "The request path or query is not valid UTF-8 once percent-decoded").toResponse();
    }

    /**
     * Whether the raw request target decodes to UTF-8: %XY escapes are bytes, other characters are the
     * request line's bytes (Netty reads it as ISO-8859-1). A malformed escape is left to the router.
     */
    public static boolean isUtf8(String rawTarget) {
        if (rawTarget == null || isAscii(rawTarget)) {
            return true;
        }
        ByteBuffer bytes = ByteBuffer.allocate(rawTarget.length());
        for (int i = 0; i < rawTarget.length(); i++) {
            char c = rawTarget.charAt(i);
            if (isEscape(rawTarget, i)) {
                bytes.put((byte) (hex(rawTarget.charAt(i + 1)) * 16 + hex(rawTarget.charAt(i + 2))));
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** No raw byte and no escape at or above 0x80: the common case, decided without allocating. */
    private static boolean isAscii(String rawTarget) {
        for (int i = 0; i < rawTarget.length(); i++) {
            char c = rawTarget.charAt(i);
            if (c >= 0x80 || isEscape(rawTarget, i) && hex(rawTarget.charAt(i + 1)) >= 8) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEscape(String rawTarget, int i) {
        return rawTarget.charAt(i) == '%' && i + 2 < rawTarget.length() && hex(rawTarget.charAt(i + 1)) >= 0
                && hex(rawTarget.charAt(i + 2)) >= 0;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}

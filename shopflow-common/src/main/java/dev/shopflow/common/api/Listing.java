package dev.shopflow.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A page of a newest-first list: {@code items}, and {@code next} (the same request for the following
 * page, by the {@code before} parameter: keyset paging, stable while new rows arrive) when the page is
 * full; absent on the last page.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Listing<T>(List<T> items, String next) {

    /** The {@code before} parameter: digits, the position of the last item of the previous page. */
    public static final String BEFORE = "\\d{1,18}";
    public static final String BEFORE_MESSAGE = "must be the position of an item (a whole number)";

    public static <T> Listing<T> of(List<T> items, int limit, UriInfo uri, ToLongFunction<T> position) {
        if (items.size() < limit || items.isEmpty()) {
            return new Listing<>(items, null);
        }
        java.net.URI next = uri.getRequestUriBuilder().replaceQueryParam("before", position.applyAsLong(items.get(items.size() - 1)))
                .build();
        return new Listing<>(items, next.getRawPath() + "?" + next.getRawQuery());
    }

    public static Long before(String text) {
        return text == null ? null : Long.valueOf(text);
    }
}

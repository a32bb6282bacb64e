package dev.eksaccess.emulator.eks.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pagination shared by every List operation: {@code maxResults} within 1–100, and an opaque
 * {@code nextToken} that names the last key returned, so a page stays correct when items are added or
 * removed between calls.
 */
public final class Pages {

    private Pages() {
    }

    /** One page of items and the token for the next, if any. */
    public record Page<T>(List<T> items, Optional<String> nextToken) {
    }

    /**
     * @param sorted   every item, in ascending order of {@code key}
     * @param maxItems the page size asked for, null for the default of 100
     * @param token    the token a previous page returned, null for the first page
     */
    public static <T> Page<T> of(List<T> sorted, Function<T, String> key, Integer maxItems, String token) {
        int size = maxItems == null ? 100 : maxItems;
        if (size < 1 || size > 100) {
            throw ApiError.invalidParameter("maxResults must be between 1 and 100");
        }
        List<T> rest = sorted;
        if (token != null) {
            String after = decode(token);
            rest = sorted.stream().filter(item -> key.apply(item).compareTo(after) > 0).toList();
        }
        List<T> items = rest.subList(0, Math.min(size, rest.size()));
        Optional<String> next = rest.size() > size
                ? Optional.of(encode(key.apply(items.getLast())))
                : Optional.empty();
        return new Page<>(items, next);
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParameter("The nextToken is not valid");
        }
    }
}

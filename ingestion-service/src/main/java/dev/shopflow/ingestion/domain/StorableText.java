package dev.shopflow.ingestion.domain;

/**
 * Text as PostgreSQL can hold it. A quarantined row's original line and its reasons' values are
 * kept for people to read; U+0000 (which neither text nor jsonb can hold) and lone surrogates (not
 * Unicode) become U+FFFD there. The exact bytes stay in the batch's raw copy.
 */
public final class StorableText {

    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {
    }

    /** @return the index of the first U+0000 or lone surrogate, or -1 when the text is storable as it is */
    public static int firstUnstorable(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The text with every U+0000 and lone surrogate replaced by U+FFFD (null stays null). */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnstorable(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, first);
        int n = text.length();
        for (int i = first; i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                out.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

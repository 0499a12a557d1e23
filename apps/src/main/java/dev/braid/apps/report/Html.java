package dev.braid.apps.report;

import java.util.Locale;
import org.apache.commons.text.StringEscapeUtils;

/**
 * A small HTML writer in which every text and attribute value is escaped, so a class or model name
 * such as {@code <b>&} shows as written; and the report's number formats.
 */
final class Html {

    private final StringBuilder out = new StringBuilder();

    /** Opens {@code tag} with attributes given as name, value pairs; values are escaped. */
    Html open(String tag, String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "attributes (" + attributes.length + ") must come in name, value pairs");
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ')
                    .append(attributes[i])
                    .append("=\"")
                    .append(escape(attributes[i + 1]))
                    .append('"');
        }
        out.append('>');
        return this;
    }

    /** Closes {@code tag}. */
    Html close(String tag) {
        out.append("</").append(tag).append(">\n");
        return this;
    }

    /** Appends escaped text. */
    Html text(String text) {
        out.append(escape(text));
        return this;
    }

    /** {@code <tag attributes>text</tag>}, the text escaped. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** Appends markup as is: only for constant markup written in this package. */
    Html markup(String markup) {
        out.append(markup);
        return this;
    }

    /** A figure holding a PNG data URI image with its caption. */
    Html figure(String dataUri, String caption) {
        return open("figure")
                .open("img", "src", dataUri, "alt", caption)
                .element("figcaption", caption)
                .close("figure");
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** Escapes {@code text} for HTML text and double-quoted attribute values. */
    static String escape(String text) {
        return StringEscapeUtils.escapeHtml4(text);
    }

    /** Three decimals, {@code "0.613"}; {@code "NaN"} and {@code "∞"} for non-finite values. */
    static String decimal(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "−∞";
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** An accuracy with three decimals and as a percentage: {@code "0.613 (61.3%)"}. */
    static String accuracy(double value) {
        if (!Double.isFinite(value)) {
            return decimal(value);
        }
        return decimal(value) + String.format(Locale.ROOT, " (%.1f%%)", value * 100);
    }
}

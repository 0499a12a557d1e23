package dev.braid.apps.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The suggested replies of the customer-service app, read from {@code replies.json}: one template
 * per intent and language, with {@code {product}} and {@code {urgency}} filled with the predicted
 * product and urgency, named in the reply's language.
 */
public final class ReplyTemplates {

    /** The languages replies are written in; a message with Chinese characters gets Chinese. */
    public static final List<String> LANGUAGES = List.of("en", "zh");

    private final Path file;
    private final JsonNode replies;
    private final JsonNode productNames;
    private final JsonNode urgencyNames;

    private ReplyTemplates(Path file, JsonNode root) {
        this.file = file;
        this.replies = section(root, "replies");
        this.productNames = section(root, "product_names");
        this.urgencyNames = section(root, "urgency_names");
    }

    /**
     * Reads a replies file.
     *
     * @throws IOException if it cannot be read or is not JSON
     * @throws IllegalArgumentException naming the file and the field if a section is missing
     */
    public static ReplyTemplates read(Path file) throws IOException {
        try {
            return new ReplyTemplates(file, new ObjectMapper().readTree(file.toFile()));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks that every class a model can predict has its template and names, so a missing one
     * fails at start-up rather than on a customer's request.
     *
     * @throws IllegalArgumentException naming the file and every missing entry
     */
    public void checkCovers(
            Collection<String> intents, Collection<String> products, Collection<String> urgencies) {
        List<String> missing = new ArrayList<>();
        for (String language : LANGUAGES) {
            intents.forEach(i -> need(replies, i, language, "replies", missing));
            products.forEach(p -> need(productNames, language, p, "product_names", missing));
            urgencies.forEach(u -> need(urgencyNames, language, u, "urgency_names", missing));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(file + ": no entry for " + missing);
        }
    }

    /** The reply for a ticket routed to {@code intent}, in {@code language} (en or zh). */
    public String reply(String intent, String product, String urgency, String language) {
        return replies.path(intent)
                .path(language)
                .asText()
                .replace("{product}", productNames.path(language).path(product).asText(product))
                .replace("{urgency}", urgencyNames.path(language).path(urgency).asText(urgency));
    }

    /** The language to answer a message in: zh if it has a CJK ideograph, else en. */
    public static String languageOf(String text) {
        if (text != null
                && text.codePoints()
                        .anyMatch(
                                c ->
                                        Character.UnicodeScript.of(c)
                                                == Character.UnicodeScript.HAN)) {
            return "zh";
        }
        return "en";
    }

    private JsonNode section(JsonNode root, String name) {
        JsonNode node = root.path(name);
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": no object '" + name + "'");
        }
        return node;
    }

    private static void need(
            JsonNode section, String outer, String inner, String name, List<String> missing) {
        if (!section.path(outer).path(inner).isTextual()) {
            missing.add(name + "." + outer + "." + inner);
        }
    }
}

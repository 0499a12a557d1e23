package dev.braid.apps.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference agent replies of {@code data/support/replies.jsonl} (written by {@code
 * tools/support/replies.py}), and the checks of the facts a generated reply must carry: the
 * product, the urgency's promised response time and the order number copied from the message.
 */
public final class ReferenceReplies {

    /** The file's name inside the dataset folder. */
    public static final String FILE_NAME = "replies.jsonl";

    /**
     * One ticket's reference.
     *
     * @param reply the reply, in the ticket's language
     * @param language en or zh
     * @param product the product class the reply names
     * @param urgency the urgency class whose response time it promises
     * @param intent the intent class it answers
     * @param order the order number copied from the message, or null when it has none
     */
    public record Reference(
            String reply,
            String language,
            String product,
            String urgency,
            String intent,
            String order) {}

    private static final Map<String, Map<String, String>> PRODUCT_NAMES =
            Map.of(
                    "en",
                    Map.of(
                            "headphones",
                            "headphones",
                            "phone",
                            "phone",
                            "computer",
                            "computer",
                            "camera",
                            "camera",
                            "printer",
                            "printer",
                            "tv",
                            "TV"),
                    "zh",
                    Map.of(
                            "headphones",
                            "耳机",
                            "phone",
                            "手机",
                            "computer",
                            "电脑",
                            "camera",
                            "相机",
                            "printer",
                            "打印机",
                            "tv",
                            "电视"));

    /** Per language and urgency, the phrases that say it: the references', then the templates'. */
    private static final Map<String, Map<String, List<String>>> URGENCY_PHRASES =
            Map.of(
                    "en",
                    Map.of(
                            "high", List.of("within 2 hours", "priority: high"),
                            "normal", List.of("within one business day", "priority: normal"),
                            "low", List.of("within 3 business days", "priority: low")),
                    "zh",
                    Map.of(
                            "high", List.of("2小时内", "优先级：高"),
                            "normal", List.of("1个工作日内", "优先级：普通"),
                            "low", List.of("3个工作日内", "优先级：低")));

    private static final Pattern ORDER = Pattern.compile("(?<!\\d)\\d{6}(?!\\d)");

    private ReferenceReplies() {}

    /**
     * Reads {@code dir/replies.jsonl}, by ticket id in file order.
     *
     * @throws IOException naming the file and line if it is missing or a line is malformed
     */
    public static Map<String, Reference> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        ObjectMapper json = new ObjectMapper();
        Map<String, Reference> out = new LinkedHashMap<>();
        int line = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            try {
                JsonNode row = json.readTree(text);
                JsonNode facts = row.get("facts");
                String reply = row.get("reply").asText();
                out.put(
                        row.get("id").asText(),
                        new Reference(
                                reply,
                                ReplyTemplates.languageOf(reply),
                                facts.get("product").asText(),
                                facts.get("urgency").asText(),
                                facts.get("intent").asText(),
                                facts.get("order").isNull() ? null : facts.get("order").asText()));
            } catch (IOException | RuntimeException e) {
                throw new IOException(
                        file + ":" + line + ": not a reply row: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Whether {@code reply} names {@code product} in {@code language} and no other product. */
    public static boolean productRight(String reply, String language, String product) {
        boolean right = false;
        for (Map.Entry<String, String> name : PRODUCT_NAMES.get(language).entrySet()) {
            boolean named = names(reply, name.getValue(), language);
            if (name.getKey().equals(product)) {
                right = named;
            } else if (named) {
                return false;
            }
        }
        return right;
    }

    /** Whether {@code reply} promises the response time of {@code urgency}, and no other. */
    public static boolean urgencyRight(String reply, String language, String urgency) {
        boolean right = false;
        for (Map.Entry<String, List<String>> phrases : URGENCY_PHRASES.get(language).entrySet()) {
            boolean said = phrases.getValue().stream().anyMatch(reply::contains);
            if (phrases.getKey().equals(urgency)) {
                right = said;
            } else if (said) {
                return false;
            }
        }
        return right;
    }

    /** Whether the only order number {@code reply} gives is {@code order}. */
    public static boolean orderRight(String reply, String order) {
        Matcher m = ORDER.matcher(reply);
        boolean found = false;
        while (m.find()) {
            if (!m.group().equals(order)) {
                return false;
            }
            found = true;
        }
        return found;
    }

    /** How a reply in {@code language} (en or zh) names {@code product}, or null if unknown. */
    public static String productName(String language, String product) {
        return PRODUCT_NAMES.getOrDefault(language, Map.of()).get(product);
    }

    /** The order number a customer's message gives (its first six-digit number), or null. */
    public static String orderIn(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = ORDER.matcher(message);
        return m.find() ? m.group() : null;
    }

    private static boolean names(String reply, String name, String language) {
        if (language.equals("zh")) {
            return reply.contains(name);
        }
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(reply).find();
    }
}

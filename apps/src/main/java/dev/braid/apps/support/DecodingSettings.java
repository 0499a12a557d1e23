package dev.braid.apps.support;

import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.generate.Strategy;
import java.util.Locale;
import java.util.Map;

/**
 * The decoding settings a caller of the reply API (or {@code braid generate}) may choose, within
 * limits: a request's value out of range or malformed is refused with an {@link
 * IllegalArgumentException} that names the field, which the server answers with 400.
 *
 * @param strategy greedy, sample or beam
 * @param temperature sampling temperature, in (0, 5]
 * @param topK keep the k most likely tokens, 0 (off) to 1000
 * @param topP keep the smallest set whose mass reaches p, in (0, 1]
 * @param maxTokens the longest reply in tokens, 1 to {@link #MAX_TOKENS}
 * @param seed seeds sampling: the same seed gives the same reply
 */
public record DecodingSettings(
        Strategy strategy, float temperature, int topK, float topP, int maxTokens, long seed) {

    /** The longest reply a request may ask for. */
    public static final int MAX_TOKENS = 128;

    /** Greedy, temperature 1, no top-k, top-p 1, 64 tokens, seed 7. */
    public static DecodingSettings defaults() {
        return new DecodingSettings(Strategy.GREEDY, 1f, 0, 1f, 64, 7);
    }

    public DecodingSettings {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy must be set: greedy, sample or beam");
        }
        if (!(temperature > 0 && temperature <= 5)) {
            throw new IllegalArgumentException(
                    "temperature (" + temperature + ") must be in (0, 5]");
        }
        if (topK < 0 || topK > 1000) {
            throw new IllegalArgumentException("topK (" + topK + ") must be 0 (off) to 1000");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP (" + topP + ") must be in (0, 1]");
        }
        if (maxTokens < 1 || maxTokens > MAX_TOKENS) {
            throw new IllegalArgumentException(
                    "maxTokens (" + maxTokens + ") must be 1 to " + MAX_TOKENS);
        }
    }

    /**
     * The settings a request gives, by field name ({@code strategy}, {@code temperature}, {@code
     * topK}, {@code topP}, {@code maxTokens}, {@code seed}); absent or blank ones keep their
     * default.
     *
     * @throws IllegalArgumentException naming the field if a value is malformed or out of range, or
     *     a field is unknown
     */
    public static DecodingSettings parse(Map<String, String> fields) {
        DecodingSettings d = defaults();
        for (String key : fields.keySet()) {
            if (!java.util.List.of("strategy", "temperature", "topK", "topP", "maxTokens", "seed")
                    .contains(key)) {
                throw new IllegalArgumentException(
                        "unknown decoding field '"
                                + key
                                + "': strategy, temperature, topK, topP, maxTokens, seed");
            }
        }
        String s = value(fields, "strategy");
        Strategy strategy = d.strategy();
        if (s != null) {
            try {
                strategy = Strategy.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "strategy ('" + s + "') must be greedy, sample or beam", e);
            }
        }
        return new DecodingSettings(
                strategy,
                number(fields, "temperature", d.temperature()),
                (int) whole(fields, "topK", d.topK()),
                number(fields, "topP", d.topP()),
                (int) whole(fields, "maxTokens", d.maxTokens()),
                whole(fields, "seed", d.seed()));
    }

    /** The generation configuration, stopping at {@code stopToken} (the tokenizer's [SEP]). */
    public GenerationConfig toConfig(int stopToken) {
        return GenerationConfig.builder()
                .strategy(strategy)
                .temperature(temperature)
                .topK(topK)
                .topP(topP)
                .maxNewTokens(maxTokens)
                .seed(seed)
                .stopTokens(stopToken)
                .build();
    }

    private static String value(Map<String, String> fields, String name) {
        String v = fields.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static float number(Map<String, String> fields, String name, float fallback) {
        String v = value(fields, name);
        if (v == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " ('" + v + "') is not a number", e);
        }
    }

    private static long whole(Map<String, String> fields, String name, long fallback) {
        String v = value(fields, name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " ('" + v + "') is not a whole number", e);
        }
    }
}

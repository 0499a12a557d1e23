package dev.braid.text.generate;

/**
 * Divides the logits by a temperature: below 1 sharpens the distribution towards the most likely
 * tokens, above 1 flattens it. The order of the tokens does not change.
 *
 * @param temperature greater than 0
 */
public record Temperature(float temperature) implements LogitsProcessor {

    public Temperature {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature (" + temperature + ") must be positive and finite");
        }
    }

    @Override
    public void process(int[] tokens, int generated, float[] logits) {
        for (int v = 0; v < logits.length; v++) {
            logits[v] /= temperature;
        }
    }
}

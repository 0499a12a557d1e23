package dev.braid.text.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each processor on hand-made logits, with the expected result worked out by hand. */
class LogitsProcessorTest {

    private static final float B = LogitsProcessor.BANNED;

    private static float[] logOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int v = 0; v < logits.length; v++) {
            logits[v] = (float) Math.log(probabilities[v]);
        }
        return logits;
    }

    private static boolean[] kept(float[] logits) {
        boolean[] kept = new boolean[logits.length];
        for (int v = 0; v < logits.length; v++) {
            kept[v] = logits[v] != B;
        }
        return kept;
    }

    /**
     * Probabilities 0.1, 0.5, 0.05, 0.2, 0.15: sorted, the running mass is 0.5 (id 1), 0.7 (id 3),
     * 0.85 (id 4), 0.95 (id 0), 1.0 (id 2).
     */
    @Test
    void topPKeepsTheSmallestSetReachingTheMass() {
        double[] p = {0.1, 0.5, 0.05, 0.2, 0.15};
        float[] logits = logOf(p);
        new TopP(0.8f).process(new int[0], 0, logits);
        assertArrayEquals(new boolean[] {false, true, false, true, true}, kept(logits));
        assertEquals((float) Math.log(0.2), logits[3], "kept logits are unchanged");

        logits = logOf(p);
        new TopP(0.69f).process(new int[0], 0, logits);
        assertArrayEquals(new boolean[] {false, true, false, true, false}, kept(logits));

        logits = logOf(p);
        new TopP(0.45f).process(new int[0], 0, logits);
        assertArrayEquals(new boolean[] {false, true, false, false, false}, kept(logits));

        logits = logOf(p);
        new TopP(1f).process(new int[0], 0, logits);
        assertArrayEquals(new boolean[] {true, true, true, true, true}, kept(logits));
    }

    @Test
    void topKKeepsTheKHighestAndTheLowerIdAmongEquals() {
        float[] logits = {1, 3, 2, 3};
        new TopK(2).process(new int[0], 0, logits);
        assertArrayEquals(new float[] {B, 3, B, 3}, logits);
        logits = new float[] {1, 3, 2, 3};
        new TopK(1).process(new int[0], 0, logits);
        assertArrayEquals(new float[] {B, 3, B, B}, logits);
    }

    /** Probabilities 0.5, 0.2, 0.15, 0.1, 0.05 and min-p 0.25: the bar is 0.125. */
    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        float[] logits = logOf(0.5, 0.2, 0.15, 0.1, 0.05);
        new MinP(0.25f).process(new int[0], 0, logits);
        assertArrayEquals(new boolean[] {true, true, true, false, false}, kept(logits));
    }

    @Test
    void temperatureDividesTheLogits() {
        float[] logits = {2, -4, 1};
        new Temperature(2).process(new int[0], 0, logits);
        assertArrayEquals(new float[] {1, -2, 0.5f}, logits);
    }

    /** Tokens 0 and 1 occurred: 2 / 2 = 1, -1 * 2 = -2; tokens 2 and 3 did not. */
    @Test
    void repetitionPenaltyPushesSeenTokensDownWhateverTheirSign() {
        float[] logits = {2, -1, 0.5f, 3};
        new RepetitionPenalty(2).process(new int[] {0, 1, 1}, 2, logits);
        assertArrayEquals(new float[] {1, -2, 0.5f, 3}, logits);
    }

    @Test
    void noRepeatNgramBansTheTokenThatWouldRepeatAnNgram() {
        // bigrams so far: 5 6, 6 7, 7 5; the sequence ends in 5, so 6 would repeat "5 6"
        float[] logits = {0, 0, 0, 0, 0, 0, 0, 0};
        new NoRepeatNgram(2).process(new int[] {5, 6, 7, 5}, 4, logits);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, B, 0}, logits);
        // trigrams: "1 2 3", "2 3 1", "3 1 2"; the sequence ends in "1 2", so 3 is banned
        logits = new float[] {0, 0, 0, 0, 0};
        new NoRepeatNgram(3).process(new int[] {1, 2, 3, 1, 2}, 5, logits);
        assertArrayEquals(new float[] {0, 0, 0, B, 0}, logits);
        // trigrams "1 2 3", "2 3 2", "3 2 3"; the end "2 3" began "2 3 2", so 2 is banned
        logits = new float[] {0, 0, 0, 0, 0};
        new NoRepeatNgram(3).process(new int[] {1, 2, 3, 2, 3}, 5, logits);
        assertArrayEquals(new float[] {0, 0, B, 0, 0}, logits);
        // trigrams "1 2 3", "2 3 4": none begins with the end "3 4", so nothing is banned
        logits = new float[] {0, 0, 0, 0, 0};
        new NoRepeatNgram(3).process(new int[] {1, 2, 3, 4}, 4, logits);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0}, logits);
    }

    @Test
    void minLengthBansStopTokensUntilEnoughAreGenerated() {
        float[] logits = {1, 1, 1, 1};
        new MinLength(2, new int[] {3}).process(new int[] {2, 0}, 1, logits);
        assertArrayEquals(new float[] {1, 1, 1, B}, logits);
        logits = new float[] {1, 1, 1, 1};
        new MinLength(2, new int[] {3}).process(new int[] {2, 0, 0}, 2, logits);
        assertArrayEquals(new float[] {1, 1, 1, 1}, logits);
    }

    @Test
    void theChainHasPenaltiesFirstAndWarpersOnlyWhenSampling() {
        GenerationConfig sample =
                GenerationConfig.builder()
                        .strategy(Strategy.SAMPLE)
                        .repetitionPenalty(1.2f)
                        .temperature(0.7f)
                        .topK(5)
                        .topP(0.9f)
                        .minP(0.05f)
                        .noRepeatNgramSize(3)
                        .minNewTokens(2)
                        .stopTokens(3)
                        .build();
        List<String> kinds =
                sample.processors().stream().map(p -> p.getClass().getSimpleName()).toList();
        assertEquals(
                List.of(
                        "RepetitionPenalty",
                        "NoRepeatNgram",
                        "MinLength",
                        "Temperature",
                        "TopK",
                        "TopP",
                        "MinP"),
                kinds);
        GenerationConfig greedy = sample.toBuilder().strategy(Strategy.GREEDY).build();
        assertEquals(3, greedy.processors().size(), "greedy has no use for warpers");
        assertTrue(GenerationConfig.greedy(5).processors().isEmpty());
    }

    @Test
    void badSettingsNameTheField() {
        assertMessage("temperature (0.0)", () -> GenerationConfig.builder().temperature(0).build());
        assertMessage("topP (1.5)", () -> GenerationConfig.builder().topP(1.5f).build());
        assertMessage("topK (-1)", () -> GenerationConfig.builder().topK(-1).build());
        assertMessage("minP (2.0)", () -> GenerationConfig.builder().minP(2).build());
        assertMessage(
                "repetitionPenalty (0.5)",
                () -> GenerationConfig.builder().repetitionPenalty(0.5f).build());
        assertMessage("maxNewTokens (0)", () -> GenerationConfig.builder().maxNewTokens(0).build());
        assertMessage(
                "minNewTokens (9)",
                () -> GenerationConfig.builder().maxNewTokens(4).minNewTokens(9).build());
        assertMessage("beamWidth (0)", () -> GenerationConfig.builder().beamWidth(0).build());
    }

    private static void assertMessage(
            String expected, org.junit.jupiter.api.function.Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

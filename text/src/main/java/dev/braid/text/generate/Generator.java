package dev.braid.text.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.TransformerDecoder;
import dev.braid.text.encoder.AttentionPattern;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates token sequences with a {@link TransformerDecoder}, batched and incrementally (one new
 * position per step through the decoder's key/value cache), as one {@link GenerationConfig} says.
 *
 * <pre>{@code
 * Generator generator = Generator.builder()
 *         .setDecoder(decoder)
 *         .setConfig(GenerationConfig.builder().strategy(Strategy.SAMPLE).topP(0.9f)
 *                 .stopTokens(special.sep()).maxNewTokens(48).build())
 *         .optTokenizer(tokenizer)
 *         .build();
 * List<Generated> replies = generator.generate(manager, Generator.startPrompts(batch, special.cls()),
 *         memory, memoryMask, (row, token) -> stream(row, token));
 * }</pre>
 *
 * <p>Each step the logits of every live sequence go through the configuration's chain of {@link
 * LogitsProcessor}s, then the strategy chooses. Sampling draws from one {@link SplittableRandom}
 * per sequence, split in row order from the seed, so the same seed, prompts and model give the same
 * tokens. A finished sequence stops being decoded (its row is fed padding no one attends to) and
 * its result is its tokens so far; {@link Generated#padded} makes the batch rectangular.
 *
 * <p>Prompts of different lengths are left-padded, so every row's next token is at the same column;
 * the decoder gives a left-padded row the positions it would have alone.
 */
public final class Generator {

    private final TransformerDecoder decoder;
    private final GenerationConfig config;
    private final Tokenizer tokenizer;

    private Generator(Builder builder) {
        this.decoder = builder.decoder;
        this.config = builder.config;
        this.tokenizer = builder.tokenizer;
    }

    /** A builder; the decoder and the configuration must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration. */
    public GenerationConfig config() {
        return config;
    }

    /** {@code batch} prompts of one start token each: an encoder-decoder's usual prompt. */
    public static List<int[]> startPrompts(int batch, int startToken) {
        List<int[]> prompts = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            prompts.add(new int[] {startToken});
        }
        return prompts;
    }

    /**
     * Continues each prompt with no memory (a decoder-only language model).
     *
     * @param manager the generation's arrays live in children of it, closed before returning
     * @param prompts at least one token each
     * @throws IllegalArgumentException if a prompt is empty or too long for the decoder
     */
    public List<Generated> generate(
            NDManager manager, List<int[]> prompts, TokenListener listener) {
        return generate(manager, prompts, null, null, listener);
    }

    /**
     * Continues each prompt, attending to the memory.
     *
     * @param memory {@code [B, S, D]}, one row per prompt, or null for none
     * @param memoryMask boolean {@code [B, S]}, or null with a null memory
     * @throws IllegalArgumentException if a prompt is empty or too long, or the memory does not
     *     have one row per prompt
     */
    public List<Generated> generate(
            NDManager manager,
            List<int[]> prompts,
            NDArray memory,
            NDArray memoryMask,
            TokenListener listener) {
        return generate(manager, prompts, memory, memoryMask, null, listener);
    }

    /**
     * Continues each prompt, attending to the memory and, for a decoder that copies ({@code
     * DecoderConfig.copyFromMemory}), copying the tokens the memory's positions carry.
     *
     * @param memoryIds int {@code [B, S]}, each memory position's token id, negative where it has
     *     none; or null
     */
    public List<Generated> generate(
            NDManager manager,
            List<int[]> prompts,
            NDArray memory,
            NDArray memoryMask,
            NDArray memoryIds,
            TokenListener listener) {
        checkPrompts(prompts, memory);
        if (config.strategy() == Strategy.BEAM) {
            return new BeamSearch(this, decoder, config)
                    .search(manager, prompts, memory, memoryMask, memoryIds, listener);
        }
        int batch = prompts.size();
        List<LogitsProcessor> chain = config.processors();
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom[] random = new SplittableRandom[batch];
        for (int b = 0; b < batch; b++) {
            random[b] = root.split();
        }
        List<List<Integer>> generated = new ArrayList<>();
        int[][] sequences = new int[batch][];
        double[] scores = new double[batch];
        Generated[] results = new Generated[batch];
        for (int b = 0; b < batch; b++) {
            generated.add(new ArrayList<>());
            sequences[b] = prompts.get(b).clone();
        }
        try (DecodingSession session =
                new DecodingSession(decoder, manager, batch, 1, memory, memoryMask, memoryIds)) {
            float[][] logits = session.step(leftPadded(prompts, 1), realOf(prompts, 1));
            int limit = Math.min(config.maxNewTokens(), session.room() + 1);
            int[] chosen = new int[batch];
            boolean[] live = new boolean[batch];
            for (int made = 0; ; made++) {
                for (int b = 0; b < batch; b++) {
                    if (results[b] != null) {
                        live[b] = false;
                        continue;
                    }
                    float[] row = logits[b];
                    for (LogitsProcessor processor : chain) {
                        processor.process(sequences[b], made, row);
                    }
                    int token =
                            config.strategy() == Strategy.SAMPLE
                                    ? sample(row, random[b])
                                    : Ranking.argmax(row);
                    scores[b] += Ranking.logProbabilities(row)[token];
                    if (config.isStopToken(token)) {
                        results[b] =
                                finish(
                                        b,
                                        generated.get(b),
                                        FinishReason.STOP_TOKEN,
                                        scores[b],
                                        listener);
                        live[b] = false;
                        continue;
                    }
                    generated.get(b).add(token);
                    sequences[b] = append(sequences[b], token);
                    listener.onToken(b, token);
                    chosen[b] = token;
                    live[b] = true;
                    Generated stopped = stopString(generated.get(b), scores[b]);
                    if (stopped != null) {
                        results[b] = stopped;
                        listener.onFinish(b, stopped);
                        live[b] = false;
                    } else if (made + 1 >= limit) {
                        results[b] =
                                finish(
                                        b,
                                        generated.get(b),
                                        FinishReason.MAX_LENGTH,
                                        scores[b],
                                        listener);
                        live[b] = false;
                    }
                }
                if (Arrays.stream(results).allMatch(r -> r != null)) {
                    return List.of(results);
                }
                logits = session.next(chosen, live);
            }
        }
    }

    private static int[] append(int[] sequence, int token) {
        int[] longer = Arrays.copyOf(sequence, sequence.length + 1);
        longer[sequence.length] = token;
        return longer;
    }

    /** A token drawn from the softmax of the processed logits. */
    private static int sample(float[] logits, SplittableRandom random) {
        double[] probabilities = Ranking.probabilities(logits);
        double u = random.nextDouble();
        double mass = 0;
        int last = 0;
        for (int v = 0; v < probabilities.length; v++) {
            if (probabilities[v] > 0) {
                mass += probabilities[v];
                last = v;
                if (u < mass) {
                    return v;
                }
            }
        }
        return last; // rounding left u above the total mass
    }

    Generated finish(
            int row,
            List<Integer> tokens,
            FinishReason reason,
            double score,
            TokenListener listener) {
        int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
        Generated result = new Generated(ids, decode(ids), reason, score);
        listener.onFinish(row, result);
        return result;
    }

    /** The finished sequence if its text now contains a stop string, else null. */
    Generated stopString(List<Integer> tokens, double score) {
        if (config.stopStrings().isEmpty()) {
            return null;
        }
        int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
        String text = tokenizer.decode(ids);
        int cut = -1;
        for (String stop : config.stopStrings()) {
            int at = text.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        return cut < 0
                ? null
                : new Generated(ids, text.substring(0, cut), FinishReason.STOP_STRING, score);
    }

    String decode(int[] ids) {
        return tokenizer == null ? "" : tokenizer.decode(ids);
    }

    /** Prompts left-padded to the longest, each row repeated {@code copies} times. */
    static int[][] leftPadded(List<int[]> prompts, int copies) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int[][] ids = new int[prompts.size() * copies][longest];
        for (int b = 0; b < prompts.size(); b++) {
            int[] prompt = prompts.get(b);
            for (int c = 0; c < copies; c++) {
                System.arraycopy(
                        prompt, 0, ids[b * copies + c], longest - prompt.length, prompt.length);
            }
        }
        return ids;
    }

    static boolean[][] realOf(List<int[]> prompts, int copies) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        boolean[][] real = new boolean[prompts.size() * copies][longest];
        for (int b = 0; b < prompts.size(); b++) {
            for (int c = 0; c < copies; c++) {
                Arrays.fill(real[b * copies + c], longest - prompts.get(b).length, longest, true);
            }
        }
        return real;
    }

    private void checkPrompts(List<int[]> prompts, NDArray memory) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("generate needs at least one prompt");
        }
        int vocabulary = decoder.config().vocabularySize();
        for (int b = 0; b < prompts.size(); b++) {
            int[] prompt = prompts.get(b);
            if (prompt.length == 0) {
                throw new IllegalArgumentException(
                        "prompt " + b + " is empty; start it with the start token");
            }
            for (int token : prompt) {
                if (token < 0 || token >= vocabulary) {
                    throw new IllegalArgumentException(
                            "prompt "
                                    + b
                                    + " has token "
                                    + token
                                    + ", outside [0, "
                                    + vocabulary
                                    + ")");
                }
            }
        }
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        if (longest >= decoder.config().maxLength()) {
            throw new IllegalArgumentException(
                    "the longest prompt ("
                            + longest
                            + " tokens) leaves no room under the decoder's maxLength ("
                            + decoder.config().maxLength()
                            + ")");
        }
        if (decoder.config().attention() == AttentionPattern.PREFIX) {
            int prefix = decoder.config().prefixLength();
            for (int[] prompt : prompts) {
                if (prompt.length != longest || prompt.length < prefix) {
                    throw new IllegalArgumentException(
                            "a PREFIX decoder needs prompts of one length, at least its"
                                    + " prefixLength ("
                                    + prefix
                                    + "), so that the prefix is the prompt in every row");
                }
            }
        }
        if (memory != null && memory.getShape().get(0) != prompts.size()) {
            throw new IllegalArgumentException(
                    "memory has "
                            + memory.getShape().get(0)
                            + " rows for "
                            + prompts.size()
                            + " prompts");
        }
        if (memory != null && decoder.config().crossAttention() == CrossAttention.NONE) {
            throw new IllegalArgumentException(
                    "a memory was given, but the decoder's crossAttention is NONE");
        }
    }

    /** Builds a {@link Generator}. */
    public static final class Builder {

        private TransformerDecoder decoder;
        private GenerationConfig config;
        private Tokenizer tokenizer;

        private Builder() {}

        /** The decoder to generate with, initialised (trained or loaded); required. */
        public Builder setDecoder(TransformerDecoder decoder) {
            this.decoder = decoder;
            return this;
        }

        /** How tokens are chosen; required. */
        public Builder setConfig(GenerationConfig config) {
            this.config = config;
            return this;
        }

        /** Decodes the results to text; required for stop strings. */
        public Builder optTokenizer(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the decoder or configuration is missing, stop strings
         *     have no tokenizer, or a stop token is outside the vocabulary
         */
        public Generator build() {
            if (decoder == null || config == null) {
                throw new IllegalArgumentException(
                        "setDecoder and setConfig are required, found " + decoder + ", " + config);
            }
            if (!config.stopStrings().isEmpty() && tokenizer == null) {
                throw new IllegalArgumentException(
                        "stopStrings " + config.stopStrings() + " need optTokenizer(...)");
            }
            int vocabulary = decoder.config().vocabularySize();
            for (int stop : config.stopTokens()) {
                if (stop >= vocabulary) {
                    throw new IllegalArgumentException(
                            "stop token ("
                                    + stop
                                    + ") is outside the vocabulary [0, "
                                    + vocabulary
                                    + ")");
                }
            }
            return new Generator(this);
        }
    }
}

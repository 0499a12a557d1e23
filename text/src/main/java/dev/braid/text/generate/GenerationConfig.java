package dev.braid.text.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything that decides how a {@link Generator} chooses tokens. Off is the neutral value of each
 * knob (temperature 1, topK 0, topP 1, minP 0, repetitionPenalty 1, noRepeatNgramSize 0).
 *
 * <pre>{@code
 * GenerationConfig config = GenerationConfig.builder()
 *         .strategy(Strategy.SAMPLE).temperature(0.8f).topP(0.9f).seed(7)
 *         .maxNewTokens(64).stopTokens(special.sep())
 *         .build();
 * }</pre>
 *
 * @param strategy greedy, sampling or beam search
 * @param maxNewTokens the most tokens to generate per sequence, at least 1
 * @param minNewTokens the fewest, before which stop tokens are banned
 * @param temperature sampling only: divides the logits, greater than 0
 * @param topK sampling only: keep the k most likely tokens, 0 for all
 * @param topP sampling only: keep the smallest set reaching this mass, in (0, 1]
 * @param minP sampling only: drop tokens below minP times the best one's probability, in [0, 1]
 * @param repetitionPenalty CTRL's penalty on tokens already present, at least 1
 * @param noRepeatNgramSize ban repeating any n-gram of this size, 0 for none
 * @param beamWidth beam search only: beams per sequence, at least 1
 * @param lengthPenalty beam search only: a finished beam scores {@code logP / length^lengthPenalty}
 * @param earlyStopping beam search only: stop a sequence as soon as {@code beamWidth} beams have
 *     finished, rather than when no live beam can still beat them
 * @param stopTokens ids that end a sequence (usually the tokenizer's {@code [SEP]})
 * @param stopStrings texts that end a sequence once its decoded text contains one; need a tokenizer
 * @param seed the sampling seed: the same seed, prompts and model give the same tokens
 */
public record GenerationConfig(
        Strategy strategy,
        int maxNewTokens,
        int minNewTokens,
        float temperature,
        int topK,
        float topP,
        float minP,
        float repetitionPenalty,
        int noRepeatNgramSize,
        int beamWidth,
        float lengthPenalty,
        boolean earlyStopping,
        int[] stopTokens,
        List<String> stopStrings,
        long seed) {

    public GenerationConfig {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy must be set");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException(
                    "maxNewTokens (" + maxNewTokens + ") must be at least 1");
        }
        if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
            throw new IllegalArgumentException(
                    "minNewTokens ("
                            + minNewTokens
                            + ") must be in [0, maxNewTokens ("
                            + maxNewTokens
                            + ")]");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK (" + topK + ") must be 0 (off) or more");
        }
        if (noRepeatNgramSize < 0) {
            throw new IllegalArgumentException(
                    "noRepeatNgramSize (" + noRepeatNgramSize + ") must be 0 (off) or more");
        }
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beamWidth (" + beamWidth + ") must be at least 1");
        }
        if (!Float.isFinite(lengthPenalty)) {
            throw new IllegalArgumentException(
                    "lengthPenalty (" + lengthPenalty + ") must be finite");
        }
        stopTokens = stopTokens.clone();
        for (int stop : stopTokens) {
            if (stop < 0) {
                throw new IllegalArgumentException(
                        "stop token (" + stop + ") must not be negative");
            }
        }
        stopStrings = List.copyOf(stopStrings);
        for (String stop : stopStrings) {
            if (stop.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
        // the processors check their own ranges and name their fields
        new Temperature(temperature);
        new TopP(topP);
        new MinP(minP);
        new RepetitionPenalty(repetitionPenalty);
    }

    /** Greedy decoding of at most {@code maxNewTokens}, stopping at {@code stopTokens}. */
    public static GenerationConfig greedy(int maxNewTokens, int... stopTokens) {
        return builder().maxNewTokens(maxNewTokens).stopTokens(stopTokens).build();
    }

    /** A builder: greedy, 32 new tokens, every knob off, no stop token, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int[] stopTokens() {
        return stopTokens.clone();
    }

    /** Returns whether {@code token} ends a sequence. */
    public boolean isStopToken(int token) {
        for (int stop : stopTokens) {
            if (stop == token) {
                return true;
            }
        }
        return false;
    }

    /**
     * The chain of processors this configuration asks for, in Hugging Face's order: the penalties
     * and bans first, then (sampling only) the warpers that reshape the distribution.
     */
    public List<LogitsProcessor> processors() {
        List<LogitsProcessor> chain = new ArrayList<>();
        if (repetitionPenalty != 1f) {
            chain.add(new RepetitionPenalty(repetitionPenalty));
        }
        if (noRepeatNgramSize > 0) {
            chain.add(new NoRepeatNgram(noRepeatNgramSize));
        }
        if (minNewTokens > 0 && stopTokens.length > 0) {
            chain.add(new MinLength(minNewTokens, stopTokens));
        }
        if (strategy == Strategy.SAMPLE) {
            if (temperature != 1f) {
                chain.add(new Temperature(temperature));
            }
            if (topK > 0) {
                chain.add(new TopK(topK));
            }
            if (topP < 1f) {
                chain.add(new TopP(topP));
            }
            if (minP > 0f) {
                chain.add(new MinP(minP));
            }
        }
        return chain;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return builder()
                .strategy(strategy)
                .maxNewTokens(maxNewTokens)
                .minNewTokens(minNewTokens)
                .temperature(temperature)
                .topK(topK)
                .topP(topP)
                .minP(minP)
                .repetitionPenalty(repetitionPenalty)
                .noRepeatNgramSize(noRepeatNgramSize)
                .beamWidth(beamWidth)
                .lengthPenalty(lengthPenalty)
                .earlyStopping(earlyStopping)
                .stopTokens(stopTokens)
                .stopStrings(stopStrings)
                .seed(seed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GenerationConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "GenerationConfig[strategy="
                + strategy
                + ", maxNewTokens="
                + maxNewTokens
                + ", minNewTokens="
                + minNewTokens
                + ", temperature="
                + temperature
                + ", topK="
                + topK
                + ", topP="
                + topP
                + ", minP="
                + minP
                + ", repetitionPenalty="
                + repetitionPenalty
                + ", noRepeatNgramSize="
                + noRepeatNgramSize
                + ", beamWidth="
                + beamWidth
                + ", lengthPenalty="
                + lengthPenalty
                + ", earlyStopping="
                + earlyStopping
                + ", stopTokens="
                + Arrays.toString(stopTokens)
                + ", stopStrings="
                + stopStrings
                + ", seed="
                + seed
                + "]";
    }

    /** Builds a {@link GenerationConfig}; {@link #build()} checks every field. */
    public static final class Builder {

        private Strategy strategy = Strategy.GREEDY;
        private int maxNewTokens = 32;
        private int minNewTokens = 0;
        private float temperature = 1f;
        private int topK = 0;
        private float topP = 1f;
        private float minP = 0f;
        private float repetitionPenalty = 1f;
        private int noRepeatNgramSize = 0;
        private int beamWidth = 4;
        private float lengthPenalty = 1f;
        private boolean earlyStopping = true;
        private int[] stopTokens = {};
        private List<String> stopStrings = List.of();
        private long seed = 42;

        private Builder() {}

        /** Greedy, sampling or beam search. */
        public Builder strategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** The most tokens to generate per sequence. */
        public Builder maxNewTokens(int maxNewTokens) {
            this.maxNewTokens = maxNewTokens;
            return this;
        }

        /** The fewest tokens to generate before a stop token may end the sequence. */
        public Builder minNewTokens(int minNewTokens) {
            this.minNewTokens = minNewTokens;
            return this;
        }

        /** Sampling temperature, greater than 0. */
        public Builder temperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Sampling from the k most likely tokens only; 0 for all. */
        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        /** Nucleus sampling mass; 1 for all tokens. */
        public Builder topP(float topP) {
            this.topP = topP;
            return this;
        }

        /** Min-p threshold relative to the best token; 0 for none. */
        public Builder minP(float minP) {
            this.minP = minP;
            return this;
        }

        /** CTRL's repetition penalty; 1 for none. */
        public Builder repetitionPenalty(float repetitionPenalty) {
            this.repetitionPenalty = repetitionPenalty;
            return this;
        }

        /** Ban repeated n-grams of this size; 0 for none. */
        public Builder noRepeatNgramSize(int noRepeatNgramSize) {
            this.noRepeatNgramSize = noRepeatNgramSize;
            return this;
        }

        /** Beams per sequence for beam search. */
        public Builder beamWidth(int beamWidth) {
            this.beamWidth = beamWidth;
            return this;
        }

        /** Beam search's length normalisation exponent. */
        public Builder lengthPenalty(float lengthPenalty) {
            this.lengthPenalty = lengthPenalty;
            return this;
        }

        /** Whether beam search stops a sequence once {@code beamWidth} beams have finished. */
        public Builder earlyStopping(boolean earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /** Ids that end a sequence. */
        public Builder stopTokens(int... stopTokens) {
            this.stopTokens = stopTokens.clone();
            return this;
        }

        /** Texts that end a sequence; the generator needs a tokenizer for them. */
        public Builder stopStrings(List<String> stopStrings) {
            this.stopStrings = List.copyOf(stopStrings);
            return this;
        }

        /** The sampling seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first field out of range and its value
         */
        public GenerationConfig build() {
            return new GenerationConfig(
                    strategy,
                    maxNewTokens,
                    minNewTokens,
                    temperature,
                    topK,
                    topP,
                    minP,
                    repetitionPenalty,
                    noRepeatNgramSize,
                    beamWidth,
                    lengthPenalty,
                    earlyStopping,
                    stopTokens,
                    stopStrings,
                    seed);
        }
    }
}

package dev.braid.text.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.decoder.TransformerDecoder;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.generate.Generator;
import dev.braid.text.generate.TokenListener;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

/**
 * Prints milliseconds per generated token with the decoder's key/value cache and without it (every
 * step a full forward over the sequence so far), at 16, 64 and 256 new tokens; a measurement, not a
 * test. The decoder is GPT-2-shaped at D=128, 4 heads, 4 layers, F=512, V=1000, untrained (the cost
 * of a step does not depend on the weights), batch 1, greedy, no stop token.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -q -pl text compile exec:java -Dexec.mainClass=dev.braid.text.bench.DecoderBenchmark
 * </pre>
 *
 * With the cache, a step projects one position and attends over t keys, so the cost per token grows
 * slowly with t; without it, step t recomputes all t positions, so the cost per token grows
 * linearly and the whole sequence quadratically. Each figure is the best of five samples of at
 * least 256 generated tokens each (16 sequences of 16, 4 of 64, 1 of 256; fewer samples with a
 * fourth argument), since the machine may be shared.
 *
 * <p>With arguments {@code reply S V [runs]}, the decoder has the shape of {@code braid replies}'s:
 * D=64, 4 heads, 2 layers, F=128, V tokens, cross-attention in every layer over a memory of S
 * positions (random, as a fused ticket's would be) whose first 64 carry token ids to copy ({@code
 * copyFromMemory}), as the text's do:
 *
 * <pre>
 * mvn -q -pl text compile exec:java -Dexec.mainClass=dev.braid.text.bench.DecoderBenchmark \
 *     -Dexec.args="reply 113 1713"
 * </pre>
 */
public final class DecoderBenchmark {

    private static final int[] LENGTHS = {16, 64, 256};
    private static final int DEFAULT_RUNS = 5;

    private DecoderBenchmark() {}

    /** Runs the measurement and prints one line per length. */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        System.out.printf(
                "Braid decoder benchmark: %d cores, Java %s, engine %s, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                Engine.getInstance().getEngineName(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Engine.getInstance().setRandomSeed(1);
        boolean reply = args.length >= 3 && args[0].equals("reply");
        int runs = args.length >= 4 ? Integer.parseInt(args[3]) : DEFAULT_RUNS;
        int memoryLength = reply ? Integer.parseInt(args[1]) : 0;
        DecoderConfig config =
                reply
                        ? DecoderConfig.gpt2(Integer.parseInt(args[2])).toBuilder()
                                .width(64)
                                .heads(4)
                                .layers(2)
                                .feedForwardWidth(128)
                                .crossAttention(CrossAttention.EVERY_LAYER)
                                .copyFromMemory(true)
                                .maxLength(LENGTHS[LENGTHS.length - 1] + 1)
                                .build()
                        : DecoderConfig.gpt2(1000).toBuilder()
                                .width(128)
                                .heads(4)
                                .layers(4)
                                .feedForwardWidth(512)
                                .maxLength(LENGTHS[LENGTHS.length - 1] + 1)
                                .build();
        System.out.println(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerDecoder decoder = new TransformerDecoder(config);
            NDList memory = new NDList();
            if (reply) {
                Shape positions = new Shape(1, memoryLength);
                decoder.initialize(
                        manager,
                        DataType.FLOAT32,
                        new Shape(1, 4),
                        new Shape(1, 4),
                        new Shape(1, memoryLength, config.width()),
                        positions);
                long[] ids = new long[memoryLength];
                for (int s = 0; s < memoryLength; s++) {
                    ids[s] = s < 64 ? 5 + (s * 37) % (config.vocabularySize() - 5) : -1;
                }
                memory.add(manager.randomNormal(new Shape(1, memoryLength, config.width())));
                memory.add(manager.ones(positions, DataType.BOOLEAN));
                memory.add(manager.create(ids, positions));
            } else {
                decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            }
            cached(decoder, manager, 8, memory); // warm-up
            uncached(decoder, manager, 8, memory);
            System.out.println("new tokens   ms/token with KV cache   ms/token without   ratio");
            for (int length : LENGTHS) {
                double with = Double.MAX_VALUE;
                double without = Double.MAX_VALUE;
                int[] withTokens = null;
                int[] withoutTokens = null;
                int repeats = Math.max(1, 256 / length); // at least 256 tokens a sample
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    for (int r = 0; r < repeats; r++) {
                        withTokens = cached(decoder, manager, length, memory);
                    }
                    with = Math.min(with, (System.nanoTime() - start) / 1e6 / length / repeats);
                    start = System.nanoTime();
                    for (int r = 0; r < repeats; r++) {
                        withoutTokens = uncached(decoder, manager, length, memory);
                    }
                    without =
                            Math.min(without, (System.nanoTime() - start) / 1e6 / length / repeats);
                }
                if (!Arrays.equals(withTokens, withoutTokens)) {
                    throw new IllegalStateException(
                            "the cached and the recomputed decoding chose different tokens");
                }
                System.out.printf(
                        "%10d   %22.3f   %16.3f   %5.1fx%n", length, with, without, without / with);
            }
        }
    }

    /** Greedy decoding through the cache; {@code memory} is empty, or memory, mask and ids. */
    private static int[] cached(
            TransformerDecoder decoder, NDManager manager, int length, NDList memory) {
        Generator generator =
                Generator.builder()
                        .setDecoder(decoder)
                        .setConfig(GenerationConfig.greedy(length))
                        .build();
        List<int[]> prompt = List.of(new int[] {2});
        List<Generated> out =
                memory.isEmpty()
                        ? generator.generate(manager, prompt, TokenListener.NONE)
                        : generator.generate(
                                manager,
                                prompt,
                                memory.get(0),
                                memory.get(1),
                                memory.get(2),
                                TokenListener.NONE);
        return out.get(0).tokens();
    }

    /** Greedy decoding by a full forward over the whole sequence at every step. */
    private static int[] uncached(
            TransformerDecoder decoder, NDManager manager, int length, NDList memory) {
        ParameterStore store = new ParameterStore(manager, false);
        long[] sequence = new long[length + 1];
        sequence[0] = 2;
        for (int t = 1; t <= length; t++) {
            try (NDManager step = manager.newSubManager()) {
                Shape shape = new Shape(1, t);
                boolean[] real = new boolean[t];
                Arrays.fill(real, true);
                NDList input =
                        new NDList(
                                step.create(Arrays.copyOf(sequence, t), shape),
                                step.create(real, shape));
                input.addAll(memory);
                NDArray logits = decoder.forward(store, input, false).singletonOrThrow();
                sequence[t] = logits.get(0, t - 1).argMax().getLong();
            }
        }
        return Arrays.stream(sequence, 1, length + 1).mapToInt(Math::toIntExact).toArray();
    }
}

package dev.braid.text.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.braid.text.decoder.TransformerDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search: each sequence keeps its {@code beamWidth} best partial continuations (by the sum of
 * their tokens' log-probabilities after the processors), decoded together as consecutive rows of
 * one cache, which is reordered to follow the surviving beams every step. A beam that chooses a
 * stop token becomes a finished hypothesis scored {@code logP / (tokens + 1)^lengthPenalty}, the
 * stop token counted. A sequence is done when {@code beamWidth} hypotheses have finished and,
 * without early stopping, the best live beam can no longer beat them; at the length limit, the live
 * beams are finished as they are.
 */
final class BeamSearch {

    private final Generator generator;
    private final TransformerDecoder decoder;
    private final GenerationConfig config;
    private final int width;

    BeamSearch(Generator generator, TransformerDecoder decoder, GenerationConfig config) {
        this.generator = generator;
        this.decoder = decoder;
        this.config = config;
        this.width = config.beamWidth();
    }

    /** A finished beam. */
    private record Hypothesis(int[] tokens, double score, FinishReason reason) {}

    /** A candidate continuation: beam {@code beam}'s sequence plus {@code token}. */
    private record Candidate(int beam, int token, double logP) {}

    List<Generated> search(
            NDManager manager,
            List<int[]> prompts,
            NDArray memory,
            NDArray memoryMask,
            NDArray memoryIds,
            TokenListener listener) {
        int batch = prompts.size();
        int rows = batch * width;
        List<LogitsProcessor> chain = config.processors();
        int[][] sequences = new int[rows][]; // prompt + generated, per beam row
        int[] promptLength = new int[rows];
        double[] beamLogP = new double[rows];
        for (int b = 0; b < batch; b++) {
            for (int w = 0; w < width; w++) {
                sequences[b * width + w] = prompts.get(b).clone();
                promptLength[b * width + w] = prompts.get(b).length;
                // only the first beam starts live, so the first step does not pick one token W
                // times
                beamLogP[b * width + w] = w == 0 ? 0 : Double.NEGATIVE_INFINITY;
            }
        }
        List<List<Hypothesis>> finished = new ArrayList<>();
        boolean[] done = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            finished.add(new ArrayList<>());
        }
        try (DecodingSession session =
                new DecodingSession(
                        decoder, manager, batch, width, memory, memoryMask, memoryIds)) {
            float[][] logits =
                    session.step(
                            Generator.leftPadded(prompts, width), Generator.realOf(prompts, width));
            int limit = Math.min(config.maxNewTokens(), session.room() + 1);
            for (int made = 0; made < limit; made++) {
                int[] origin = new int[rows];
                int[] chosen = new int[rows];
                boolean[] live = new boolean[rows];
                int[][] nextSequences = new int[rows][];
                double[] nextLogP = new double[rows];
                for (int b = 0; b < batch; b++) {
                    int first = b * width;
                    if (done[b]) {
                        for (int w = 0; w < width; w++) {
                            origin[first + w] = first + w;
                            nextSequences[first + w] = sequences[first + w];
                            nextLogP[first + w] = beamLogP[first + w];
                        }
                        continue;
                    }
                    List<Candidate> candidates = new ArrayList<>();
                    for (int w = 0; w < width; w++) {
                        int row = first + w;
                        if (beamLogP[row] == Double.NEGATIVE_INFINITY) {
                            continue;
                        }
                        float[] processed = logits[row];
                        for (LogitsProcessor processor : chain) {
                            processor.process(sequences[row], made, processed);
                        }
                        double[] logP = Ranking.logProbabilities(processed);
                        for (int token : topTokens(logP, 2 * width)) {
                            candidates.add(new Candidate(w, token, beamLogP[row] + logP[token]));
                        }
                    }
                    candidates.sort(
                            Comparator.comparingDouble((Candidate c) -> -c.logP())
                                    .thenComparingInt(Candidate::beam)
                                    .thenComparingInt(Candidate::token));
                    int kept = 0;
                    for (int rank = 0; rank < candidates.size() && kept < width; rank++) {
                        Candidate c = candidates.get(rank);
                        if (c.logP() == Double.NEGATIVE_INFINITY) {
                            break;
                        }
                        int from = first + c.beam();
                        if (config.isStopToken(c.token())) {
                            if (rank < width) { // a stop ranked below the beams' own width is not
                                // kept
                                int[] tokens = generatedPart(sequences[from], promptLength[from]);
                                finished.get(b)
                                        .add(
                                                new Hypothesis(
                                                        tokens,
                                                        normalised(c.logP(), tokens.length + 1),
                                                        FinishReason.STOP_TOKEN));
                            }
                            continue;
                        }
                        int row = first + kept++;
                        origin[row] = from;
                        chosen[row] = c.token();
                        live[row] = true;
                        nextSequences[row] = append(sequences[from], c.token());
                        nextLogP[row] = c.logP();
                    }
                    for (int row = first + kept; row < first + width; row++) {
                        origin[row] = first; // no candidate left: a dead beam
                        nextSequences[row] = sequences[first];
                        nextLogP[row] = Double.NEGATIVE_INFINITY;
                    }
                    done[b] = isDone(finished.get(b), nextLogP, first, made + 1);
                    if (done[b]) {
                        Arrays.fill(live, first, first + width, false);
                    }
                }
                sequences = nextSequences;
                beamLogP = nextLogP;
                boolean allDone = true;
                for (boolean d : done) {
                    allDone &= d;
                }
                if (allDone || made + 1 >= limit) {
                    break;
                }
                session.cache().reorder(origin);
                logits = session.next(chosen, live);
            }
        }
        List<Generated> results = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            List<Hypothesis> hypotheses = finished.get(b);
            if (!done[b]) {
                for (int w = 0; w < width; w++) {
                    int row = b * width + w;
                    if (beamLogP[row] > Double.NEGATIVE_INFINITY) {
                        int[] tokens = generatedPart(sequences[row], promptLength[row]);
                        hypotheses.add(
                                new Hypothesis(
                                        tokens,
                                        normalised(beamLogP[row], tokens.length),
                                        FinishReason.MAX_LENGTH));
                    }
                }
            }
            Hypothesis best =
                    hypotheses.stream()
                            .max(Comparator.comparingDouble(Hypothesis::score))
                            .orElseThrow();
            for (int token : best.tokens()) {
                listener.onToken(b, token);
            }
            Generated result = result(best);
            listener.onFinish(b, result);
            results.add(result);
        }
        return results;
    }

    private Generated result(Hypothesis best) {
        List<Integer> tokens = Arrays.stream(best.tokens()).boxed().toList();
        Generated stopped = generator.stopString(tokens, best.score());
        return stopped != null
                ? stopped
                : new Generated(
                        best.tokens(),
                        generator.decode(best.tokens()),
                        best.reason(),
                        best.score());
    }

    /**
     * Whether no live beam of this sequence can still enter the best {@code width} hypotheses.
     * Without early stopping, the best live beam's score at the current length stands for its best
     * future, Hugging Face's heuristic.
     */
    private boolean isDone(List<Hypothesis> finished, double[] logP, int first, int length) {
        if (finished.size() < width) {
            return Arrays.stream(logP, first, first + width)
                    .allMatch(p -> p == Double.NEGATIVE_INFINITY);
        }
        if (config.earlyStopping()) {
            return true;
        }
        double worstKept =
                finished.stream()
                        .map(Hypothesis::score)
                        .sorted(Comparator.reverseOrder())
                        .skip(width - 1)
                        .findFirst()
                        .orElseThrow();
        double bestLive = Arrays.stream(logP, first, first + width).max().orElseThrow();
        return worstKept >= normalised(bestLive, length);
    }

    private double normalised(double logP, int length) {
        return logP / Math.pow(Math.max(1, length), config.lengthPenalty());
    }

    private static int[] topTokens(double[] logP, int count) {
        Integer[] ids = new Integer[logP.length];
        for (int v = 0; v < ids.length; v++) {
            ids[v] = v;
        }
        Arrays.sort(ids, Comparator.comparingDouble((Integer v) -> -logP[v]));
        int n = Math.min(count, ids.length);
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = ids[i];
        }
        return top;
    }

    private static int[] generatedPart(int[] sequence, int promptLength) {
        return Arrays.copyOfRange(sequence, promptLength, sequence.length);
    }

    private static int[] append(int[] sequence, int token) {
        int[] longer = Arrays.copyOf(sequence, sequence.length + 1);
        longer[sequence.length] = token;
        return longer;
    }
}

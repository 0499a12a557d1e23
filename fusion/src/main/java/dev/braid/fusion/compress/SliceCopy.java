package dev.braid.fusion.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Copies a model's weights into a narrower model of the same structure (same parameter names, some
 * dimensions smaller), keeping in each narrowed group the units of largest weight.
 *
 * <p>A group is a set of dimensions that must keep the same units: every dimension of one size
 * inside one scope, a scope being the image encoder (its stem and stages are tied by the residual
 * additions, and a channel's conv filter, batch-norm entries and the next layers' inputs go
 * together), the audio encoder (its front end's channels; the projection's inputs follow them, each
 * kept channel's mels, see {@link #flattenedUnits}) or one feed-forward block (its hidden units:
 * the rows of {@code in}, the columns of {@code out}). A unit's importance is the sum, over the
 * group's weight tensors, of its slice's share of the tensor's squared norm, so that a large tensor
 * does not outvote a small one.
 *
 * <p>An attention with fewer heads keeps whole heads, chosen by {@link HeadPruning}: their rows of
 * the query, key and value projections and their columns of the output projection.
 */
final class SliceCopy {

    private SliceCopy() {}

    /**
     * Fills {@code small}'s parameters from {@code big}'s.
     *
     * @throws IllegalArgumentException if the two do not have the same parameters, or a dimension
     *     narrows outside the image encoder and the feed-forward blocks
     */
    static void copy(Block big, Block small) {
        List<Pair<String, Parameter>> from = big.getParameters().stream().toList();
        List<Pair<String, Parameter>> to = small.getParameters().stream().toList();
        if (from.size() != to.size()) {
            throw new IllegalArgumentException(
                    "the pruned model has "
                            + to.size()
                            + " parameters, the original "
                            + from.size()
                            + ": pruning changed the model's structure (a shortcut appears or"
                            + " disappears when two channel counts become equal); choose another"
                            + " fraction");
        }
        Map<String, int[]> heads = HeadPruning.keptUnits(big, small);
        Map<String, double[]> importance = new HashMap<>();
        for (int p = 0; p < from.size(); p++) {
            accumulate(from.get(p), to.get(p), importance, heads);
        }
        Map<String, int[]> kept = new HashMap<>();
        for (int p = 0; p < from.size(); p++) {
            NDArray source = from.get(p).getValue().getArray();
            NDArray target = to.get(p).getValue().getArray();
            long[] big1 = source.getShape().getShape();
            long[] small1 = target.getShape().getShape();
            int[][] keep = new int[big1.length][];
            String name = from.get(p).getKey();
            for (int d = 0; d < big1.length; d++) {
                int m = (int) small1[d];
                int[] head = big1[d] == m ? null : HeadPruning.units(name, d, (int) big1[d], heads);
                if (big1[d] == m) {
                    keep[d] = IntStream.range(0, m).toArray();
                } else if (head != null) {
                    keep[d] = head;
                } else if (flattened(name, d)) {
                    keep[d] = flattenedUnits(name, (int) big1[d], m, kept);
                } else {
                    keep[d] =
                            kept.computeIfAbsent(
                                    group(name, big1[d]), g -> top(importance.get(g), m));
                }
            }
            target.set(FloatBuffer.wrap(slice(source.toFloatArray(), big1, keep)));
        }
    }

    /** Adds a weight tensor's per-unit shares to the groups of its narrowed dimensions. */
    private static void accumulate(
            Pair<String, Parameter> from,
            Pair<String, Parameter> to,
            Map<String, double[]> out,
            Map<String, int[]> heads) {
        String name = from.getKey();
        if (!name.equals(to.getKey())) {
            throw new IllegalArgumentException(
                    "parameter " + to.getKey() + " stands where " + name + " was");
        }
        long[] big = from.getValue().getArray().getShape().getShape();
        long[] small = to.getValue().getArray().getShape().getShape();
        float[] w = null;
        for (int d = 0; d < big.length; d++) {
            if (big[d] == small[d] || HeadPruning.units(name, d, (int) big[d], heads) != null) {
                continue; // unchanged, or an attention's heads (HeadPruning)
            }
            if (scope(name) == null) {
                throw new IllegalArgumentException(
                        "parameter " + name + " narrows, but it is in no pruned group");
            }
            if (flattened(name, d)) {
                continue; // follows the channels it reads (flattenedUnits)
            }
            int size = (int) big[d];
            double[] sums = out.computeIfAbsent(group(name, size), g -> new double[size]);
            if (!Int8Weights.isWeightMatrix(from.getValue())
                    || from.getValue().getType() != Parameter.Type.WEIGHT) {
                continue; // biases and norms follow their units; they do not judge them
            }
            w = w == null ? from.getValue().getArray().toFloatArray() : w;
            double[] unit = new double[size];
            double total = 1e-30;
            long inner = 1;
            for (int e = d + 1; e < big.length; e++) {
                inner *= big[e];
            }
            for (int i = 0; i < w.length; i++) {
                double sq = (double) w[i] * w[i];
                unit[(int) ((i / inner) % size)] += sq;
                total += sq;
            }
            for (int u = 0; u < size; u++) {
                sums[u] += unit[u] / total;
            }
        }
    }

    /**
     * Whether dimension {@code d} of {@code name} is the audio encoder's projection input: its
     * front end's channels × mels flattened channel-major (2-D), or its channels (1-D).
     */
    private static boolean flattened(String name, int d) {
        return d == 1 && name.contains("audioEncoder") && name.endsWith("projection_weight");
    }

    /**
     * The kept inputs of the audio projection: for every kept channel of its front end (a group of
     * its scope of size C, C dividing the {@code n} inputs), its {@code n / C} consecutive inputs.
     */
    private static int[] flattenedUnits(String name, int n, int m, Map<String, int[]> kept) {
        String prefix = scope(name) + "#";
        for (Map.Entry<String, int[]> group : kept.entrySet()) {
            if (!group.getKey().startsWith(prefix)) {
                continue;
            }
            int channels = Integer.parseInt(group.getKey().substring(prefix.length()));
            int per = channels > 0 && n % channels == 0 ? n / channels : 0;
            if (per > 0 && group.getValue().length * per == m) {
                return Arrays.stream(group.getValue())
                        .flatMap(c -> IntStream.range(c * per, (c + 1) * per))
                        .toArray();
            }
        }
        throw new IllegalArgumentException(
                "parameter "
                        + name
                        + " narrows from "
                        + n
                        + " to "
                        + m
                        + " inputs, but no"
                        + " narrowed channels of its encoder explain it");
    }

    /** The scope of a parameter that may narrow, or null. */
    static String scope(String name) {
        int image = name.indexOf("imageEncoder");
        if (image >= 0) {
            return name.substring(0, image + "imageEncoder".length());
        }
        int audio = name.indexOf("audioEncoder");
        if (audio >= 0) {
            return name.substring(0, audio + "audioEncoder".length());
        }
        int feedForward = name.indexOf("feedForward_");
        return feedForward >= 0 ? name.substring(0, feedForward + "feedForward".length()) : null;
    }

    private static String group(String name, long size) {
        return scope(name) + "#" + size;
    }

    /** The {@code m} units of largest importance, in their original order. */
    private static int[] top(double[] importance, int m) {
        return IntStream.range(0, importance.length)
                .boxed()
                .sorted((a, b) -> Double.compare(importance[b], importance[a]))
                .limit(m)
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
    }

    /** The sub-tensor of {@code values} (row-major, {@code shape}) at the indices {@code keep}. */
    static float[] slice(float[] values, long[] shape, int[][] keep) {
        int[] outShape = Arrays.stream(keep).mapToInt(k -> k.length).toArray();
        int size = Arrays.stream(outShape).reduce(1, (a, b) -> a * b);
        float[] out = new float[size];
        int[] index = new int[shape.length];
        for (int o = 0; o < size; o++) {
            int rest = o;
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d] = rest % outShape[d];
                rest /= outShape[d];
            }
            long source = 0;
            for (int d = 0; d < shape.length; d++) {
                source = source * shape[d] + keep[d][index[d]];
            }
            out[o] = values[(int) source];
        }
        return out;
    }
}

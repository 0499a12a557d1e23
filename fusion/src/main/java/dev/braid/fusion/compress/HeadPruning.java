package dev.braid.fusion.compress;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.braid.text.transformer.MultiHeadAttention;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which heads of each attention a head-pruned model keeps, and where their rows and columns are.
 *
 * <p>A head's importance is the squared L2 norm of its columns of the output projection {@code W_O
 * (D × A)}: the head's output {@code o_h} reaches the residual stream only as {@code W_O[:, h] ·
 * o_h}, so a head whose columns are small moves the layer's output little whatever it attends to,
 * and one whose columns are zero not at all (then removing it leaves the output exactly as it was).
 * The heads of largest importance are kept, in their order; with them their rows of the query
 * projection, of the keys and of the values ({@code A} rows each) and their columns of {@code W_O}.
 * Each attention chooses its own heads.
 */
final class HeadPruning {

    private HeadPruning() {}

    /**
     * For every attention of {@code big} whose counterpart in {@code small} has fewer heads, by the
     * prefix of its parameters' names, the kept units of its inner width A (the kept heads' {@code
     * Dh} units each, in order).
     */
    static Map<String, int[]> keptUnits(Block big, Block small) {
        Map<String, int[]> out = new HashMap<>();
        walk(big, small, "", out);
        return out;
    }

    private static void walk(Block big, Block small, String path, Map<String, int[]> out) {
        if (big instanceof MultiHeadAttention a && small instanceof MultiHeadAttention b) {
            if (a.heads() != b.heads()) {
                int headWidth = a.attentionWidth() / a.heads();
                if (b.attentionWidth() != b.heads() * headWidth) {
                    throw new IllegalArgumentException(
                            "attention "
                                    + path
                                    + " keeps "
                                    + b.heads()
                                    + " heads "
                                    + b.attentionWidth() / b.heads()
                                    + " wide, but pruning keeps each head's width "
                                    + headWidth);
                }
                int[] heads = top(importance(a), b.heads());
                out.put(
                        path,
                        Arrays.stream(heads)
                                .flatMap(h -> IntStream.range(h * headWidth, (h + 1) * headWidth))
                                .toArray());
            }
            return;
        }
        List<Pair<String, Block>> from = big.getChildren().stream().toList();
        List<Pair<String, Block>> to = small.getChildren().stream().toList();
        for (int i = 0; i < Math.min(from.size(), to.size()); i++) {
            walk(
                    from.get(i).getValue(),
                    to.get(i).getValue(),
                    path + from.get(i).getKey() + "_",
                    out);
        }
    }

    /** Each head's squared L2 norm of its columns of the output projection (D × A). */
    static double[] importance(MultiHeadAttention attention) {
        Parameter output = null;
        for (Pair<String, Parameter> p : attention.getParameters()) {
            if (p.getKey().endsWith("output_weight")) {
                output = p.getValue();
            }
        }
        if (output == null) {
            throw new IllegalStateException("an attention without an output projection");
        }
        float[] w = output.getArray().toFloatArray();
        int inner = attention.attentionWidth();
        int headWidth = inner / attention.heads();
        double[] norms = new double[attention.heads()];
        for (int i = 0; i < w.length; i++) {
            norms[(i % inner) / headWidth] += (double) w[i] * w[i];
        }
        return norms;
    }

    /** The {@code m} heads of largest importance, in their original order (ties: the first). */
    static int[] top(double[] importance, int m) {
        return IntStream.range(0, importance.length)
                .boxed()
                .sorted((a, b) -> Double.compare(importance[b], importance[a]))
                .limit(m)
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
    }

    /**
     * The kept indices of dimension {@code d} of parameter {@code name}, if it is an attention's
     * inner dimension narrowed by pruning heads, else null: the outputs of the query projection,
     * those of the key-and-value projection (keys then values, A each) and the inputs of the output
     * projection.
     */
    static int[] units(String name, int d, int size, Map<String, int[]> kept) {
        for (Map.Entry<String, int[]> attention : kept.entrySet()) {
            if (!name.startsWith(attention.getKey())) {
                continue;
            }
            String own = name.substring(attention.getKey().length());
            String bare = own.length() > 2 ? own.substring(2) : own; // DJL's order prefix
            int[] units = attention.getValue();
            if (d == 0 && bare.startsWith("query_")) {
                return units;
            }
            if (d == 0 && bare.startsWith("keyValue_")) {
                int inner = size / 2;
                return IntStream.concat(
                                Arrays.stream(units), Arrays.stream(units).map(u -> u + inner))
                        .toArray();
            }
            if (d == 1 && bare.equals("output_weight")) {
                return units;
            }
        }
        return null;
    }
}

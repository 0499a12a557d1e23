package dev.braid.fusion.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.text.transformer.FeedForward;
import dev.braid.text.transformer.MultiHeadAttention;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Fills a student's weights from its teacher before distillation, so that it starts from what the
 * teacher learned instead of from noise: the student must have the teacher's structure with fewer
 * layers in some stacks ({@link StudentConfig#shallower}) and narrower dimensions ({@link
 * StudentConfig#narrower}), in any combination.
 *
 * <p><b>Layers.</b> Where a stack of {@code n} layers (children named {@code layer0}, {@code
 * layer1}…, {@code temporal0}…, {@code selfTEXT0}…) became {@code m}, the student's layer {@code i}
 * takes the teacher's layer {@code floor(i × n / m)}: every other layer, from the first, when half
 * are kept (as DistilBERT was made from BERT). Everything else is matched by name.
 *
 * <p><b>Widths.</b> Where a dimension narrowed, the student takes the teacher's first units, the
 * same ones in every tensor, so that the units kept in one layer are the ones the next layer reads
 * (uniform "weight selection", Xu et al. 2023). Two kinds of dimension are made of parts and are
 * cut part by part: a key-and-value projection's outputs (keys, then values) and a gated
 * feed-forward block's inner units (values, then gates); and an attention's inner dimensions keep
 * the first units of every head, so that each of the student's heads is a slice of the teacher's
 * head of the same number (the heads are as many). The audio encoder's flattened channels × mels
 * are channel-major, so its first units are its first channels, whole.
 *
 * <p>A student of the teacher's exact shape gets an exact copy.
 */
public final class TeacherInit {

    private static final Pattern NUMBERED = Pattern.compile("(.*\\D)(\\d+)");

    private TeacherInit() {}

    /**
     * Copies {@code teacher}'s weights into {@code student}, both initialised.
     *
     * @throws IllegalArgumentException naming the first block or parameter the student has and the
     *     teacher has not, or one that is wider in the student than in the teacher
     */
    public static void copy(Block teacher, Block student) {
        copy(teacher, student, "", 1, 1);
    }

    /**
     * Copies {@code teacher} into {@code student} as {@link #copy(Block, Block)} does, except the
     * fusion when the two fuse differently ({@link FusionKind}): then only the encoders and the
     * heads are copied, and the student's fusion keeps its random initialisation.
     *
     * @throws IllegalArgumentException as {@link #copy(Block, Block)}
     */
    public static void copy(FusionModel teacher, FusionModel student) {
        if (teacher.config().fusion().kind() == student.config().fusion().kind()) {
            copy((Block) teacher, student);
            return;
        }
        Map<String, Block> theirs = new LinkedHashMap<>();
        teacher.getChildren().forEach(c -> theirs.put(c.getKey(), c.getValue()));
        for (Pair<String, Block> child : student.getChildren()) {
            if (child.getValue() == student.fusion()) {
                continue;
            }
            Block from = theirs.get(child.getKey());
            if (from == null) {
                throw new IllegalArgumentException("the teacher has no block " + child.getKey());
            }
            copy(from, child.getValue(), child.getKey() + "_", 1, 1);
        }
    }

    /**
     * @param heads the heads of the attention {@code student} belongs to (1 outside attention)
     * @param parts how many equal parts the first dimension of {@code student}'s own parameters
     *     holds side by side (2 for keys and values, and for a gated block's values and gates)
     */
    private static void copy(Block teacher, Block student, String path, int heads, int parts) {
        Map<String, Parameter> theirs = new LinkedHashMap<>();
        teacher.getDirectParameters().forEach(p -> theirs.put(p.getKey(), p.getValue()));
        for (Pair<String, Parameter> own : student.getDirectParameters()) {
            Parameter from = theirs.get(own.getKey());
            if (from == null) {
                throw new IllegalArgumentException(
                        "the teacher has no parameter " + path + own.getKey());
            }
            copyParameter(path, own.getKey(), from, own.getValue(), heads, parts);
        }
        int innerHeads =
                student instanceof MultiHeadAttention attention ? attention.heads() : heads;
        boolean gated = student instanceof FeedForward && gated(teacher);
        Map<String, List<Pair<String, Block>>> stacks = stacks(teacher);
        Map<String, List<Pair<String, Block>>> ownStacks = stacks(student);
        for (Map.Entry<String, List<Pair<String, Block>>> stack : ownStacks.entrySet()) {
            List<Pair<String, Block>> from = stacks.get(stack.getKey());
            List<Pair<String, Block>> to = stack.getValue();
            if (from == null || from.size() < to.size()) {
                throw new IllegalArgumentException(
                        "the student's "
                                + path
                                + stack.getKey()
                                + " has "
                                + to.size()
                                + " blocks, the teacher's "
                                + (from == null ? 0 : from.size()));
            }
            for (int i = 0; i < to.size(); i++) {
                Pair<String, Block> source = from.get(i * from.size() / to.size());
                Pair<String, Block> target = to.get(i);
                String bare = target.getKey().substring(2);
                boolean twoParts =
                        student instanceof MultiHeadAttention && bare.equals("keyValue")
                                || gated && bare.equals("in");
                copy(
                        source.getValue(),
                        target.getValue(),
                        path + target.getKey() + "_",
                        innerHeads,
                        twoParts ? 2 : 1);
            }
        }
    }

    /** Whether a feed-forward block's inner projection holds values and gates (2F for F units). */
    private static boolean gated(Block feedForward) {
        long inner = 0;
        long read = 0;
        for (Pair<String, Parameter> p : feedForward.getParameters()) {
            if (p.getKey().endsWith("in_weight")) {
                inner = p.getValue().getArray().getShape().get(0);
            } else if (p.getKey().endsWith("out_weight")) {
                read = p.getValue().getArray().getShape().get(1);
            }
        }
        return inner == 2 * read;
    }

    /**
     * A block's children grouped into stacks: by name without DJL's two-digit order prefix and
     * without a trailing number ({@code 02layer0} and {@code 03layer1} are the stack {@code
     * layer}); children of one name without a number (a sequence's {@code 01ResidualBlock}, {@code
     * 02ResidualBlock}) form a stack in their order.
     */
    private static Map<String, List<Pair<String, Block>>> stacks(Block block) {
        Map<String, List<Pair<String, Block>>> out = new LinkedHashMap<>();
        for (Pair<String, Block> child : block.getChildren()) {
            String name = child.getKey();
            String bare =
                    name.length() > 2
                                    && Character.isDigit(name.charAt(0))
                                    && Character.isDigit(name.charAt(1))
                            ? name.substring(2)
                            : name;
            Matcher numbered = NUMBERED.matcher(bare);
            String stack = numbered.matches() ? numbered.group(1) : bare;
            out.computeIfAbsent(stack, s -> new ArrayList<>()).add(child);
        }
        return out;
    }

    /**
     * Copies one parameter, keeping in each narrowed dimension the units {@link #units} chooses.
     */
    private static void copyParameter(
            String path, String name, Parameter from, Parameter to, int heads, int parts) {
        NDArray source = from.getArray();
        NDArray target = to.getArray();
        long[] big = source.getShape().getShape();
        long[] small = target.getShape().getShape();
        if (big.length != small.length) {
            throw new IllegalArgumentException(
                    "parameter "
                            + path
                            + name
                            + " is "
                            + target.getShape()
                            + " in the student, "
                            + source.getShape()
                            + " in the teacher");
        }
        String layer = path.isEmpty() ? "" : path.substring(0, path.length() - 1);
        int[][] keep = new int[big.length][];
        for (int d = 0; d < big.length; d++) {
            if (small[d] > big[d]) {
                throw new IllegalArgumentException(
                        "parameter "
                                + path
                                + name
                                + " is wider in the student ("
                                + target.getShape()
                                + ") than in the teacher ("
                                + source.getShape()
                                + ")");
            }
            keep[d] =
                    units(
                            (int) big[d],
                            (int) small[d],
                            d == 0 ? parts : 1,
                            inner(layer, d) ? heads : 1);
        }
        target.set(FloatBuffer.wrap(SliceCopy.slice(source.toFloatArray(), big, keep)));
    }

    /**
     * Of {@code n} units made of {@code parts} equal parts of {@code heads} equal heads each, the
     * first {@code m / (parts × heads)} of every head of every part.
     */
    static int[] units(int n, int m, int parts, int heads) {
        int groups = parts * heads;
        if (n == m || n % groups != 0 || m % groups != 0) {
            return IntStream.range(0, m).toArray();
        }
        int from = n / groups;
        int to = m / groups;
        return IntStream.range(0, m).map(i -> (i / to) * from + i % to).toArray();
    }

    /**
     * Whether dimension {@code dim} of a parameter of {@code layer}, a projection inside an
     * attention, runs over the attention's heads: the outputs of the queries, keys and values, the
     * inputs of the output projection.
     */
    private static boolean inner(String layer, int dim) {
        return dim == 0 && (layer.endsWith("query") || layer.endsWith("keyValue"))
                || dim == 1 && layer.endsWith("output");
    }
}

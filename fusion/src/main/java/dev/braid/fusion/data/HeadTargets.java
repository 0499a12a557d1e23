package dev.braid.fusion.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.text.tokenize.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One head's targets for a batch of B samples. A sample whose row has no label for the head has
 * {@code present[b] == false} and a zero value there; the head's loss must skip it (mask with
 * {@code present}).
 *
 * <p>{@link #toNDList} gives {@code NDList(values, present)}: values int64 {@code [B]} (class
 * indices), float32 {@code [B, K]} (multi-hot), float32 {@code [B]} (regression) or int64 {@code
 * [B, L]} (a generation head's token ids, -1 past a text's end); present boolean {@code [B]}; a
 * plug-in kind's {@link Rows} give float32 {@code [B, W]}.
 */
public interface HeadTargets {

    /** The head's kind, which says which record this is. */
    HeadKind kind();

    /** Per sample: whether its row labels this head. Do not modify. */
    boolean[] present();

    /** The batch size B. */
    default int size() {
        return present().length;
    }

    /** {@code NDList(values, present)} in {@code manager}; shapes in the interface doc. */
    NDList toNDList(NDManager manager);

    /** Sample {@code b}'s target as numbers: its class index, multi-hot row, value or row. */
    float[] row(int b);

    /**
     * Class indices for a CLASSIFICATION head.
     *
     * @param classIndex {@code [B]}: the index in {@link HeadSpec#classes()}; 0 if absent
     * @param present {@code [B]}
     */
    record Classes(long[] classIndex, boolean[] present) implements HeadTargets {
        /** Checks the lengths agree. */
        public Classes {
            checkLength(classIndex.length, present);
        }

        @Override
        public HeadKind kind() {
            return HeadKind.CLASSIFICATION;
        }

        @Override
        public NDList toNDList(NDManager manager) {
            return new NDList(manager.create(classIndex), manager.create(present));
        }

        @Override
        public float[] row(int b) {
            return new float[] {classIndex[b]};
        }
    }

    /**
     * Multi-hot vectors for a MULTI_LABEL head.
     *
     * @param classes the number of classes K
     * @param multiHot {@code [B, K]} row-major: 1 where the row has the class; all 0 if absent
     * @param present {@code [B]}
     */
    record MultiHot(int classes, float[] multiHot, boolean[] present) implements HeadTargets {
        /** Checks the lengths agree. */
        public MultiHot {
            if (classes < 1) {
                throw new IllegalArgumentException("classes (" + classes + ") must be positive");
            }
            Objects.requireNonNull(present, "present");
            checkLength(multiHot.length, present.length * classes);
        }

        @Override
        public HeadKind kind() {
            return HeadKind.MULTI_LABEL;
        }

        @Override
        public NDList toNDList(NDManager manager) {
            return new NDList(
                    manager.create(multiHot, new Shape(present.length, classes)), // (B, K)
                    manager.create(present));
        }

        @Override
        public float[] row(int b) {
            return Arrays.copyOfRange(multiHot, b * classes, (b + 1) * classes);
        }
    }

    /**
     * Real values for a REGRESSION head.
     *
     * @param values {@code [B]}; 0 if absent
     * @param present {@code [B]}
     */
    record Values(float[] values, boolean[] present) implements HeadTargets {
        /** Checks the lengths agree. */
        public Values {
            checkLength(values.length, present);
        }

        @Override
        public HeadKind kind() {
            return HeadKind.REGRESSION;
        }

        @Override
        public NDList toNDList(NDManager manager) {
            return new NDList(manager.create(values), manager.create(present));
        }

        @Override
        public float[] row(int b) {
            return new float[] {values[b]};
        }
    }

    /**
     * W numbers per sample for a head of a plug-in kind.
     *
     * @param kind the head's kind
     * @param width the numbers per sample W
     * @param values {@code [B, W]} row-major; all 0 if absent
     * @param present {@code [B]}
     */
    record Rows(HeadKind kind, int width, float[] values, boolean[] present)
            implements HeadTargets {
        /** Checks the lengths agree. */
        public Rows {
            Objects.requireNonNull(kind, "kind");
            if (width < 1) {
                throw new IllegalArgumentException("width (" + width + ") must be positive");
            }
            Objects.requireNonNull(present, "present");
            checkLength(values.length, present.length * width);
        }

        @Override
        public NDList toNDList(NDManager manager) {
            return new NDList(
                    manager.create(values, new Shape(present.length, width)), // (B, W)
                    manager.create(present));
        }

        @Override
        public float[] row(int b) {
            return Arrays.copyOfRange(values, b * width, (b + 1) * width);
        }
    }

    /**
     * Texts for a GENERATION head: each labelled sample's text and its token ids in the run's
     * tokenizer (no start or end token; teacher forcing adds them).
     *
     * @param tokens per sample its token ids; empty if absent
     * @param texts per sample its text, the reference a generated one is scored against; null if
     *     absent
     * @param present {@code [B]}
     * @param special the tokenizer's start, end and padding tokens, for teacher forcing
     */
    record Texts(int[][] tokens, String[] texts, boolean[] present, SpecialTokens special)
            implements HeadTargets {
        /** Checks the lengths agree. */
        public Texts {
            checkLength(tokens.length, present);
            checkLength(texts.length, present);
            Objects.requireNonNull(special, "special");
        }

        @Override
        public HeadKind kind() {
            return HeadKind.GENERATION;
        }

        /** The token ids of the present samples, in batch order. */
        public List<int[]> presentTokens() {
            List<int[]> out = new ArrayList<>();
            for (int b = 0; b < present.length; b++) {
                if (present[b]) {
                    out.add(tokens[b]);
                }
            }
            return out;
        }

        /** Token ids int64 {@code [B, L]}, right-padded with -1, L the longest; and present. */
        @Override
        public NDList toNDList(NDManager manager) {
            int length = 1;
            for (int[] row : tokens) {
                length = Math.max(length, row.length);
            }
            long[] ids = new long[tokens.length * length];
            Arrays.fill(ids, -1);
            for (int b = 0; b < tokens.length; b++) {
                for (int t = 0; t < tokens[b].length; t++) {
                    ids[b * length + t] = tokens[b][t];
                }
            }
            return new NDList(
                    manager.create(ids, new Shape(tokens.length, length)), // (B, L)
                    manager.create(present));
        }

        @Override
        public float[] row(int b) {
            float[] out = new float[tokens[b].length];
            for (int t = 0; t < out.length; t++) {
                out[t] = tokens[b][t];
            }
            return out;
        }
    }

    private static void checkLength(int values, boolean[] present) {
        Objects.requireNonNull(present, "present");
        checkLength(values, present.length);
    }

    private static void checkLength(int values, int expected) {
        if (values != expected) {
            throw new IllegalArgumentException(
                    "values (" + values + ") must match the batch size (" + expected + ")");
        }
    }
}

package dev.braid.text.decoder;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.text.tokenize.SpecialTokens;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes teacher-forced batches: the decoder reads {@code [start, y1 .. yn]} and must predict {@code
 * [y1 .. yn, end]}, each position from the ones before it (the causal mask sees to that), so one
 * forward scores every position of every sequence. With Braid's tokenizers the start token is
 * {@code [CLS]} and the end token {@code [SEP]}, as {@link #texts} uses them.
 */
public final class TeacherForcing {

    private TeacherForcing() {}

    /**
     * Teacher-forced batch of token sequences, right-padded to the longest.
     *
     * @param sequences the target tokens of each row, without start or end token
     * @param maxLength the longest row T; longer sequences lose their tail (the end token stays)
     * @param special start = {@code cls()}, end = {@code sep()}, padding = {@code pad()}
     * @throws IllegalArgumentException if there are no sequences or maxLength is below 1
     */
    public static DecoderBatch batch(
            NDManager manager, List<int[]> sequences, int maxLength, SpecialTokens special) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength (" + maxLength + ") must be positive");
        }
        int length = 0;
        for (int[] sequence : sequences) {
            length = Math.max(length, Math.min(sequence.length + 1, maxLength));
        }
        int rows = sequences.size();
        long[] inputs = new long[rows * length];
        long[] targets = new long[rows * length];
        boolean[] mask = new boolean[rows * length];
        Arrays.fill(inputs, special.pad());
        Arrays.fill(targets, special.pad());
        for (int b = 0; b < rows; b++) {
            int[] sequence = sequences.get(b);
            int kept = Math.min(sequence.length, length - 1);
            int at = b * length;
            inputs[at] = special.cls();
            for (int t = 0; t < kept; t++) {
                inputs[at + 1 + t] = sequence[t];
                targets[at + t] = sequence[t];
            }
            targets[at + kept] = special.sep();
            Arrays.fill(mask, at, at + kept + 1, true);
        }
        Shape shape = new Shape(rows, length);
        return new DecoderBatch(
                manager.create(inputs, shape),
                manager.create(mask, shape),
                manager.create(targets, shape));
    }

    /**
     * A causal-language-model batch of plain texts: each text tokenized and taught to the decoder
     * token by token, the pre-training of a decoder-only model.
     *
     * @throws IllegalArgumentException if a text is null
     */
    public static DecoderBatch texts(
            NDManager manager, Tokenizer tokenizer, List<String> texts, int maxLength) {
        List<int[]> sequences = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new IllegalArgumentException("text " + i + " of the batch is null");
            }
            sequences.add(tokenizer.encode(text, Math.max(0, maxLength - 1)));
        }
        return batch(manager, sequences, maxLength, tokenizer.specialTokens());
    }
}

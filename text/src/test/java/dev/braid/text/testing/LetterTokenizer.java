package dev.braid.text.testing;

import dev.braid.text.tokenize.SpecialTokens;
import dev.braid.text.tokenize.Tokenizer;
import java.nio.file.Path;

/** Test tokenizer: ids 5..30 are the letters a..z, ids 0..4 Braid's special tokens. */
public final class LetterTokenizer implements Tokenizer {

    @Override
    public int[] encode(String text, int maxTokens) {
        return text.chars().limit(maxTokens).map(c -> c - 'a' + 5).toArray();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            if (id >= 5) {
                text.append((char) ('a' + id - 5));
            }
        }
        return text.toString();
    }

    @Override
    public int vocabularySize() {
        return 31;
    }

    @Override
    public SpecialTokens specialTokens() {
        return SpecialTokens.standard();
    }

    @Override
    public void save(Path file) {
        throw new UnsupportedOperationException("a test tokenizer");
    }
}

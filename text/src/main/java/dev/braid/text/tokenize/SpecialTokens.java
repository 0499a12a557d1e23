package dev.braid.text.tokenize;

/**
 * The ids of the five special tokens every Braid tokenizer has.
 *
 * @param pad fills positions after the end of a sequence
 * @param unknown stands for text the vocabulary cannot express
 * @param cls opens every encoded sequence; its output is the {@code [CLS]} pooled vector
 * @param sep closes every encoded sequence
 * @param mask replaces tokens the masked-language model must predict
 */
public record SpecialTokens(int pad, int unknown, int cls, int sep, int mask) {

    /** The names of the special tokens, in id order for tokenizers trained by Braid. */
    public static final String[] NAMES = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

    /** The ids Braid's own tokenizers use: {@code [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4}. */
    public static SpecialTokens standard() {
        return new SpecialTokens(0, 1, 2, 3, 4);
    }

    /** Returns whether {@code id} is one of the special tokens. */
    public boolean contains(long id) {
        return id == pad || id == unknown || id == cls || id == sep || id == mask;
    }
}

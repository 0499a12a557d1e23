package dev.braid.fusion.data;

/**
 * A frozen pretrained text model run as part of feature extraction: one text becomes a sequence of
 * vectors {@code [T, H]} (T tokens of the model's own tokenizer, H its width), which a small
 * trainable adapter then projects to the fusion width. The model never trains, so its vectors for a
 * text are the same bits every time: they go through the {@link FeatureCache} like log-mels, and an
 * epoch after the first does not run the model again.
 *
 * <p>Implementations live in modules of their own (ONNX Runtime in {@code braid-onnx}) and are
 * found through a {@link TextFeaturesProvider}; a saved model records the {@link #spec()} they are
 * rebuilt from. Thread-safe.
 */
public interface TextFeatures extends AutoCloseable {

    /** The width H of every vector. */
    int width();

    /**
     * The vectors of one text, {@code [T][H]} with {@code T >= 1}.
     *
     * @param text the message
     * @param maxLength the most tokens a model reads, its own special tokens included (features
     *     combining several models may give their tokens one after another)
     */
    float[][] vectors(String text, int maxLength);

    /**
     * What shapes the vectors besides the text (model names, the SHA-256 of their files, how they
     * are combined): part of every cache key, so another model misses.
     */
    String cacheKey();

    /** How to rebuild this, recorded in a saved model. */
    TextFeaturesSpec spec();

    /** Frees the model's native resources. */
    @Override
    void close();
}

package dev.braid.fusion;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Adds a modality to Braid from outside its sources: how a sample's raw value is read, how a batch
 * of them becomes arrays, and which encoder turns those into tokens. Register it with {@link
 * ModalityPlugins#register}, or list the class in {@code
 * META-INF/services/dev.braid.fusion.ModalityPlugin} of its jar; then the manifest reader, the
 * batch loader, the training loop, the predictor and saved model directories handle the modality
 * like the built-in ones. A saved model records the plug-in's class name, and loading it without
 * the plug-in is an error naming that class.
 *
 * <p>A manifest row gives the modality as the field {@link Modality#field()} (any JSON value); a
 * prediction gives it as raw bytes under that name.
 *
 * <p>Features are not cached between runs unless the plug-in opts in by overriding {@link
 * #cacheInput} (the bytes one value's features depend on), {@link #encode} and {@link #decode},
 * and, if anything besides those bytes shapes the features, {@link #cacheSettings}. Then rows read
 * from a manifest go through the run's feature cache like images and audio do; a request's bytes
 * never do.
 *
 * @param <F> one sample's features
 */
public interface ModalityPlugin<F> {

    /** The modality this plug-in adds ({@link Modality#custom}). */
    Modality modality();

    /**
     * One sample's features from its manifest field.
     *
     * @param value the row's field, any JSON but null
     * @param datasetDir the dataset's folder, to resolve relative file paths against
     * @throws IOException or IllegalArgumentException saying what is wrong with the value; Braid
     *     adds the manifest line and the modality
     */
    F fromManifest(JsonNode value, Path datasetDir) throws IOException;

    /**
     * One sample's features from a request's raw bytes.
     *
     * @throws IOException or IllegalArgumentException saying why the bytes cannot be read; the
     *     predictor reports it as an {@code UnreadableInputException} of this modality
     */
    F fromBytes(byte[] input) throws IOException;

    /**
     * The two arrays the encoder takes for a batch, in {@code manager}: the values (any shape,
     * batch first) and a boolean mask, {@code [B]} or {@code [B, T]}, false wherever a sample is
     * absent (modality dropout hides a sample by clearing its mask).
     *
     * @param features per sample, its features, or null where the sample lacks the modality
     */
    NDList batch(List<F> features, NDManager manager);

    /** The two shapes {@link #batch} gives for a batch of one, to initialise the encoder. */
    Shape[] inputShapes();

    /**
     * A new encoder: from {@link #batch}'s arrays to {@code NDList(tokens [B, T, width], mask [B,
     * T])}, the mask false for absent samples and padding.
     */
    Block encoder(int width);

    /**
     * The bytes the features of one manifest value depend on, which key them in the feature cache:
     * the contents of the file the value names, say, or the value's own JSON; so an edited file
     * misses. Null (the default) keeps this value's features out of the cache.
     *
     * @param value the row's field, as {@link #fromManifest} gets it
     * @param datasetDir the dataset's folder
     * @throws IOException if a file the value names cannot be read; Braid adds the manifest line
     *     and the modality
     */
    default byte[] cacheInput(JsonNode value, Path datasetDir) throws IOException {
        return null;
    }

    /**
     * Everything besides {@link #cacheInput} that shapes the features (the plug-in's settings, a
     * version to change when {@link #fromManifest} computes differently); part of the cache key
     * with the plug-in's class name. Empty by default.
     */
    default String cacheSettings() {
        return "";
    }

    /**
     * One sample's features as bytes, to store in the feature cache; {@link #decode} reads them
     * back. Needed when {@link #cacheInput} gives bytes.
     */
    default byte[] encode(F features) {
        throw new UnsupportedOperationException(
                getClass().getName() + " gives a cacheInput but does not override encode");
    }

    /**
     * The features {@link #encode} turned into {@code bytes}.
     *
     * @throws IOException if the bytes are not such features (a damaged cache entry, which is
     *     recomputed)
     */
    default F decode(byte[] bytes) throws IOException {
        throw new UnsupportedOperationException(
                getClass().getName() + " gives a cacheInput but does not override decode");
    }
}

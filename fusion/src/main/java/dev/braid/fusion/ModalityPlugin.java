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
 * prediction gives it as raw bytes under that name. Features are not cached between runs.
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
}

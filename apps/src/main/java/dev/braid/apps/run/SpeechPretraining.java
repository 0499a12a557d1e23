package dev.braid.apps.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.audio.encoder.SpectrogramEncoder;
import dev.braid.audio.pretrain.SavedAudioEncoder;
import dev.braid.files.AtomicFile;
import dev.braid.fusion.Modality;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Speech pre-training: an audio-only model learns which words each clip of a speech corpus says (a
 * multi-label head), through the same training run, loop and optimiser as every Braid model; its
 * spectrogram encoder is then kept, as a {@link SavedAudioEncoder}, for {@code
 * model.pretrainedAudio}. The fusion block and the head are pre-training scaffolding and are
 * dropped.
 *
 * <p>Bag-of-words targets rather than a transcript: what a ticket router needs from a voice note is
 * which request words were said, not in which order, and a multi-label head is already a Braid head
 * kind.
 */
public final class SpeechPretraining {

    /** The file beside the encoder recording how it was made. */
    public static final String RECORD = "pretraining.json";

    /**
     * What pre-training leaves behind.
     *
     * @param encoderDir the saved encoder
     * @param epochLosses the mean training loss of every epoch
     * @param run the training run (its test split: held-out clips of the corpus)
     */
    public record Result(Path encoderDir, List<Double> epochLosses, TrainingRun.Result run) {}

    private final RunConfig config;

    /**
     * @param config a run whose model reads audio only; its data is the speech corpus
     * @throws IllegalArgumentException if the model reads anything but audio
     */
    public SpeechPretraining(RunConfig config) {
        if (!config.model().modalities().equals(List.of(Modality.AUDIO))) {
            throw new IllegalArgumentException(
                    "model.modalities ("
                            + config.model().modalities()
                            + ") must be [AUDIO] for speech pre-training");
        }
        this.config = config;
    }

    /** Trains, then saves the encoder and {@value #RECORD} into {@code encoderDir}. */
    public Result run(Path encoderDir, List<TrainingListener> listeners) throws IOException {
        EpochLosses losses = new EpochLosses();
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(losses);
        TrainingRun.Result result = new TrainingRun(config).run(all);
        ModelDirectory saved = ModelDirectory.read(result.modelDir());
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = saved.loadModel(result.modelDir(), manager);
            new SavedAudioEncoder(
                            (SpectrogramEncoder) model.encoder(Modality.AUDIO),
                            saved.features().logMel(),
                            saved.features().audioMaxFrames())
                    .save(encoderDir);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode record = json.createObjectNode();
        record.set("trainLossByEpoch", json.valueToTree(losses.means()));
        record.set("testMetrics", json.valueToTree(result.test().metrics()));
        record.put("seconds", result.seconds());
        record.set("run", json.valueToTree(config));
        record.set("provenance", json.valueToTree(result.training().provenance()));
        AtomicFile.write(encoderDir.resolve(RECORD), json.writeValueAsBytes(record));
        return new Result(encoderDir, losses.means(), result);
    }
}

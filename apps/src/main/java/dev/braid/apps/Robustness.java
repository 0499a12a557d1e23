package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import dev.braid.apps.report.RobustnessTable;
import dev.braid.audio.augment.AdditiveNoise;
import dev.braid.audio.augment.WaveformAugmentation;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureCache;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Evaluator;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.image.Augmentation;
import dev.braid.vision.image.ImageAugmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a trained model holds up when its inputs get worse: test accuracy with a modality missing,
 * with Gaussian pixel noise of growing strength, and with white noise added to the audio at falling
 * signal-to-noise ratios. Noise is seeded per sample, so the table is reproducible.
 */
final class Robustness {

    static final double[] PIXEL_NOISE = {0.1, 0.25, 0.5};
    static final double[] SNR_DB = {10, 0, -5};

    private Robustness() {}

    static RobustnessTable measure(Path modelDir, Dataset dataset) throws IOException {
        ModelDirectory description = ModelDirectory.read(modelDir);
        Tokenizer tokenizer = description.tokenizer(modelDir);
        List<RobustnessTable.Row> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = description.loadModel(modelDir, manager);
            FeatureExtractor clean = FeatureExtractor.of(tokenizer, description.features());
            rows.add(
                    new RobustnessTable.Row(
                            "all modalities",
                            accuracy(model, manager, description, dataset, clean, Set.of())));
            for (Modality m : model.config().modalities()) {
                rows.add(
                        new RobustnessTable.Row(
                                m.name().toLowerCase() + " missing",
                                accuracy(model, manager, description, dataset, clean, Set.of(m))));
            }
            if (model.config().modalities().contains(Modality.IMAGE)) {
                for (double std : PIXEL_NOISE) {
                    FeatureExtractor noisy =
                            new FeatureExtractor(
                                    tokenizer,
                                    description.features(),
                                    ImageAugmentation.of(new Augmentation.GaussianNoise(std)),
                                    List.of(),
                                    FeatureCache.none());
                    rows.add(
                            new RobustnessTable.Row(
                                    "image noise σ=" + std,
                                    accuracy(
                                            model,
                                            manager,
                                            description,
                                            dataset,
                                            noisy,
                                            Set.of())));
                }
            }
            if (model.config().modalities().contains(Modality.AUDIO)) {
                for (double snr : SNR_DB) {
                    List<WaveformAugmentation> noise = List.of(AdditiveNoise.atSnr(snr));
                    FeatureExtractor noisy =
                            new FeatureExtractor(
                                    tokenizer,
                                    description.features(),
                                    ImageAugmentation.none(),
                                    noise,
                                    FeatureCache.none());
                    rows.add(
                            new RobustnessTable.Row(
                                    String.format("audio SNR %+.0f dB", snr),
                                    accuracy(
                                            model,
                                            manager,
                                            description,
                                            dataset,
                                            noisy,
                                            Set.of())));
                }
            }
        }
        return new RobustnessTable(rows);
    }

    private static double accuracy(
            FusionModel model,
            NDManager manager,
            ModelDirectory description,
            Dataset dataset,
            FeatureExtractor extractor,
            Set<Modality> hidden) {
        return Evaluator.evaluate(
                        model,
                        manager,
                        dataset.entries(Split.TEST),
                        extractor,
                        description.schema(),
                        hidden)
                .metric("label/accuracy");
    }
}

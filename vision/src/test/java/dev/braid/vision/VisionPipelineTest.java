package dev.braid.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.tensor.MaskedMean;
import dev.braid.vision.encoder.CnnImageEncoder;
import dev.braid.vision.encoder.ImageEncoderConfig;
import dev.braid.vision.image.ImageBatcher;
import dev.braid.vision.image.ImagePreprocessing;
import dev.braid.vision.image.ImagePreprocessor;
import dev.braid.vision.image.ImageSource;
import dev.braid.vision.image.SyntheticImages;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JPEG bytes to pooled vectors, the way fusion will use the module. */
class VisionPipelineTest {

    @Test
    void jpegsBecomeTokensAndPooledVectors() {
        Engine.getInstance().setRandomSeed(3);
        ImagePreprocessing preprocessing = ImagePreprocessing.imagenet(32);
        ImageEncoderConfig config =
                ImageEncoderConfig.small().withWidth(16); // 32 px / 16 = a 2 x 2 grid
        List<ImageSource> jpegs =
                List.of(
                        ImageSource.of("a.jpg", SyntheticImages.jpeg(64, 48, 1)),
                        ImageSource.of("b.jpg", SyntheticImages.jpeg(48, 64, 2)));
        try (NDManager model = NDManager.newBaseManager()) {
            CnnImageEncoder encoder = new CnnImageEncoder(config);
            encoder.initialize(model, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            try (NDManager batch = model.newSubManager()) {
                NDArray images =
                        ImageBatcher.sequential(ImagePreprocessor.of(preprocessing))
                                .batch(batch, jpegs, 0);
                NDList out =
                        encoder.forward(
                                new ParameterStore(batch, false), new NDList(images), false);
                assertEquals(new Shape(2, 4, 16), out.get(0).getShape());
                assertEquals(new Shape(2, 16), MaskedMean.of(out).getShape());
            }
        }
    }
}

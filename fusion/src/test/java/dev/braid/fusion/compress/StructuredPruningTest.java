package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.testing.TinyRun;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructuredPruningTest {

    @TempDir static Path dir;
    static TinyRun run;

    @BeforeAll
    static void data() throws IOException {
        run = TinyRun.create(dir, 8, 4, 4);
    }

    private static Map<Modality, NDList> inputs(ModelConfig config, NDManager m) {
        try (BatchLoader loader = run.loader(Split.TEST, 4, 1)) {
            Batch batch = loader.epoch(0, 0).next();
            Map<Modality, NDList> in = new TreeMap<>();
            for (Modality mod : config.modalities()) {
                in.put(mod, batch.input(mod, m));
            }
            return in;
        }
    }

    private static Shape shape(FusionModel model, String suffix) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().getShape();
            }
        }
        throw new AssertionError("no parameter " + suffix);
    }

    @Test
    void halvesChannelsAndFeedForwardUnitsAndTheSmallerModelRuns() {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig config = run.modelConfig(FusionKind.GATED);
            FusionModel model = TinyRun.model(config, m, 5);
            FusionModel small = new StructuredPruning(0.5).apply(model, run.settings, m);
            // the tiny encoders: stem 8, stages [8, 16]; text feed-forward 64; fusion 4 x 32
            assertEquals(4, small.config().image().stemChannels());
            assertEquals(List.of(4, 8), small.config().image().stageChannels());
            assertEquals(new Shape(4, 1, 3, 3), shape(small, "imageEncoder_01stemConv_weight"));
            assertEquals(
                    new Shape(8, 4, 1, 1),
                    shape(small, "02ResidualBlock_05shortcut_01Conv2d_weight"));
            assertEquals(new Shape(16, 8, 1, 1), shape(small, "imageEncoder_04projection_weight"));
            assertEquals(new Shape(32, 32), shape(small, "layer0_05feedForward_01in_weight"));
            // the audio front end: 8 -> 4 channels; the projection reads 4 channels x 4 mels
            assertEquals(new Shape(4, 4, 3, 3), shape(small, "audioEncoder_02conv1_weight"));
            assertEquals(new Shape(32, 16), shape(small, "audioEncoder_03projection_weight"));
            assertEquals(new Shape(32, 64), shape(small, "selfTEXT0_05feedForward_03out_weight"));
            Map<String, NDArray> out =
                    small.predict(new ParameterStore(m, false), inputs(config, m), false);
            assertEquals(new Shape(4, 4), out.get("label").getShape());
            assertEquals(
                    small.getOutputShapes(
                                    new Shape[] {
                                        new Shape(4, 16), new Shape(4, 16), new Shape(4, 1, 16, 16),
                                        new Shape(4), new Shape(4, 16, 40), new Shape(4)
                                    })[0],
                    out.get("label").getShape());
        }
    }

    @Test
    void removingUnitsThatDoNothingLeavesTheAnswersAsTheyWere() {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig full = run.modelConfig(FusionKind.GATED);
            // no image encoder: only feed-forward units and audio channels are pruned
            ModelConfig config =
                    new ModelConfig(full.text(), null, full.audio(), full.fusion(), full.heads());
            FusionModel model = TinyRun.model(config, m, 5);
            // every odd hidden unit of every feed-forward block: no input, no bias, no output;
            // every odd channel of the audio front end: no filter, no bias, read by nobody
            for (Pair<String, Parameter> p : model.getParameters()) {
                String name = p.getKey();
                NDArray a = p.getValue().getArray();
                if (name.contains("audioEncoder_0") && name.matches(".*conv\\d_(weight|bias)")) {
                    // (C_out, C_in, 3, 3) and (C_out): odd output channels and odd input channels
                    float[] v = a.toFloatArray();
                    long[] s = a.getShape().getShape();
                    long perOut = v.length / s[0];
                    long perIn = s.length > 1 ? perOut / s[1] : perOut;
                    boolean first = name.contains("conv0");
                    for (int i = 0; i < v.length; i++) {
                        long out = i / perOut;
                        long in = s.length > 1 ? (i % perOut) / perIn : 0;
                        if (out % 2 == 1 || (!first && in % 2 == 1)) {
                            v[i] = 0;
                        }
                    }
                    a.set(FloatBuffer.wrap(v));
                }
                if (name.contains("feedForward_01in") || name.contains("feedForward_03out_w")) {
                    boolean rows = name.contains("_01in");
                    float[] v = a.toFloatArray();
                    long[] s = a.getShape().getShape();
                    long inner = s.length == 2 ? s[1] : 1;
                    for (int i = 0; i < v.length; i++) {
                        long unit = rows ? i / inner : i % inner;
                        if (unit % 2 == 1) {
                            v[i] = 0;
                        }
                    }
                    a.set(FloatBuffer.wrap(v));
                }
            }
            Map<Modality, NDList> in = inputs(config, m);
            float[] before =
                    model.predict(new ParameterStore(m, false), in, false)
                            .get("label")
                            .toFloatArray();
            // heads kept: HeadPruningTest removes heads that do nothing
            FusionModel small = new StructuredPruning(0.5, 0).apply(model, run.settings, m);
            assertEquals(64, small.config().fusion().hiddenWidth());
            assertEquals(config.audio().channels() / 2, small.config().audio().channels());
            float[] after =
                    small.predict(new ParameterStore(m, false), in, false)
                            .get("label")
                            .toFloatArray();
            assertArrayEquals(before, after, 1e-5f);
        }
    }

    @Test
    void sliceTakesTheKeptIndicesOfEachDimension() {
        float[] values = {0, 1, 2, 10, 11, 12, 20, 21, 22}; // [3, 3], value = 10 row + column
        float[] out = SliceCopy.slice(values, new long[] {3, 3}, new int[][] {{0, 2}, {1, 2}});
        assertArrayEquals(new float[] {1, 2, 21, 22}, out);
    }
}

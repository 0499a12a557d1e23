package dev.braid.fusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.vision.encoder.ImageEncoderConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FusionModelTest {

    static ModelConfig tinyConfig(FusionKind kind) {
        return new ModelConfig(
                TextEncoderConfig.tiny(40).toBuilder().maxLength(8).build(),
                ImageEncoderConfig.tiny(),
                AudioEncoderConfig.tiny(),
                new FusionConfig(kind, 16, 2, 1, 4, 0f),
                List.of(
                        new HeadSpec("label", HeadKind.CLASSIFICATION, List.of("a", "b", "c")),
                        new HeadSpec("tags", HeadKind.MULTI_LABEL, List.of("x", "y")),
                        new HeadSpec("score", HeadKind.REGRESSION, List.of())));
    }

    static Map<Modality, NDList> inputs(NDManager m, int batch) {
        Map<Modality, NDList> in = new TreeMap<>();
        long[] ids = new long[batch * 6];
        boolean[] mask = new boolean[batch * 6];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 5 + i % 30;
            mask[i] = i % 6 < 4;
        }
        in.put(
                Modality.TEXT,
                new NDList(
                        m.create(ids, new Shape(batch, 6)), m.create(mask, new Shape(batch, 6))));
        boolean[] present = new boolean[batch];
        java.util.Arrays.fill(present, true);
        present[0] = false;
        in.put(
                Modality.IMAGE,
                new NDList(m.randomUniform(0, 1, new Shape(batch, 1, 16, 16)), m.create(present)));
        int[] lengths = new int[batch];
        java.util.Arrays.fill(lengths, 20);
        lengths[batch - 1] = 0;
        in.put(
                Modality.AUDIO,
                new NDList(m.randomNormal(new Shape(batch, 16, 24)), m.create(lengths)));
        return in;
    }

    static FusionModel initialised(ModelConfig config, NDManager m, int batch) {
        FusionModel model = new FusionModel(config);
        Map<Modality, NDList> in = inputs(m, batch);
        List<Shape> shapes = new java.util.ArrayList<>();
        for (Modality mod : config.modalities()) {
            in.get(mod).forEach(a -> shapes.add(a.getShape()));
        }
        model.initialize(m, DataType.FLOAT32, shapes.toArray(new Shape[0]));
        return model;
    }

    @Test
    void triModalModelGivesOneLogitArrayPerHead() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig config = tinyConfig(FusionKind.PAIRWISE);
            FusionModel model = initialised(config, m, 3);
            Map<String, NDArray> out =
                    model.predict(new ParameterStore(m, false), inputs(m, 3), false);
            assertEquals(List.of("label", "tags", "score"), List.copyOf(out.keySet()));
            assertEquals(new Shape(3, 3), out.get("label").getShape());
            assertEquals(new Shape(3, 2), out.get("tags").getShape());
            assertEquals(new Shape(3, 1), out.get("score").getShape());
            for (NDArray a : out.values()) {
                assertTrue(a.isNaN().none().getBoolean());
            }
        }
    }

    @Test
    void unimodalBaselineReadsOnlyItsModality() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig audioOnly = tinyConfig(FusionKind.PAIRWISE).only(Modality.AUDIO);
            assertEquals(List.of(Modality.AUDIO), audioOnly.modalities());
            FusionModel model = initialised(audioOnly, m, 2);
            Map<String, NDArray> out =
                    model.predict(new ParameterStore(m, false), inputs(m, 2), false);
            assertEquals(new Shape(2, 3), out.get("label").getShape());
            Map<Modality, NDList> noAudio = inputs(m, 2);
            noAudio.remove(Modality.AUDIO);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> model.predict(new ParameterStore(m, false), noAudio, false));
            assertTrue(e.getMessage().contains("AUDIO"), e.getMessage());
        }
    }

    @Test
    void parametersRoundTrip() throws Exception {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig config = tinyConfig(FusionKind.LATENT);
            FusionModel a = initialised(config, m, 2);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));
            Engine.getInstance().setRandomSeed(4);
            FusionModel b = initialised(config, m, 2);
            b.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            Map<Modality, NDList> in = inputs(m, 2);
            NDArray la = a.predict(new ParameterStore(m, false), in, false).get("label");
            NDArray lb = b.predict(new ParameterStore(m, false), in, false).get("label");
            assertTrue(la.allClose(lb, 0, 0, false));
        }
    }

    @Test
    void configValidationNamesTheProblem() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new HeadSpec("label", HeadKind.CLASSIFICATION, List.of("only")));
        assertTrue(e.getMessage().contains("has 1 classes"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ModelConfig(null, null, null, FusionConfig.defaults(), List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new FusionConfig(FusionKind.PAIRWISE, 30, 4, 1, 8, 0));
    }
}

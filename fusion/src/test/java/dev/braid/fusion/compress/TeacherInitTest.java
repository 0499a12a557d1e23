package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.testing.TinyRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Students with fewer layers and narrower widths, and their start from the teacher's weights. */
class TeacherInitTest {

    @TempDir static Path dir;
    static TinyRun run;

    @BeforeAll
    static void data() throws IOException {
        run = TinyRun.create(dir, 8, 4, 4);
    }

    /** The tiny model with 4 text layers, 2 fusion self-attention layers, 2 temporal blocks. */
    private static ModelConfig deep() {
        ModelConfig tiny = run.modelConfig(FusionKind.GATED);
        AudioEncoderConfig a = tiny.audio();
        FusionConfig f = tiny.fusion();
        return new ModelConfig(
                tiny.text().toBuilder().layers(4).build(),
                tiny.image(),
                new AudioEncoderConfig(
                        a.mels(),
                        a.channels(),
                        a.convLayers(),
                        a.width(),
                        2,
                        a.temporalKernel(),
                        a.frontEnd()),
                new FusionConfig(f.kind(), f.width(), f.heads(), 2, f.latents(), f.dropout()),
                tiny.heads());
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

    private static float[] answers(FusionModel model, Map<Modality, NDList> in, NDManager m) {
        return model.predict(new ParameterStore(m, false), in, false).get("label").toFloatArray();
    }

    private static NDArray parameter(FusionModel model, String suffix) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter " + suffix);
    }

    /** How many parameters' names match {@code regex}. */
    private static long count(FusionModel model, String regex) {
        return model.getParameters().stream().filter(p -> p.getKey().matches(regex)).count();
    }

    @Test
    void aHalfDepthStudentHasHalfTheLayersAndRuns() {
        ModelConfig student = StudentConfig.shallower(deep(), 0.5);
        assertEquals(2, student.text().layers());
        assertEquals(1, student.fusion().layers());
        assertEquals(1, student.audio().temporalBlocks());
        assertEquals(deep().fusion().width(), student.fusion().width());
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel model = TinyRun.model(student, m, 3);
            // one attention norm per Transformer layer: 2 in the text encoder; 1 self-attention
            // layer per modality in the fusion (3 modalities)
            assertEquals(2, count(model, ".*textEncoder_\\d\\dlayer\\d_01attentionNorm_scale"));
            assertEquals(3, count(model, ".*fusion_\\d\\dself[A-Z]+\\d_01attentionNorm_scale"));
            assertEquals(1, count(model, ".*temporal\\d_02conv_weight"));
            Map<Modality, NDList> in = inputs(student, m);
            Map<String, NDArray> out = model.predict(new ParameterStore(m, false), in, false);
            assertEquals(new Shape(4, 4), out.get("label").getShape());
        }
        // the text encoder keeps at least one layer; the fusion and the audio may keep none
        ModelConfig shallowest = StudentConfig.shallower(deep(), 0.2);
        assertEquals(1, shallowest.text().layers());
        assertEquals(0, shallowest.fusion().layers());
        assertEquals(0, shallowest.audio().temporalBlocks());
        assertThrows(IllegalArgumentException.class, () -> StudentConfig.shallower(deep(), 0));
    }

    @Test
    void aStudentOfTheTeachersShapeStartsAsAnExactCopy() {
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel teacher = TinyRun.model(deep(), m, 5);
            FusionModel student = TinyRun.model(deep(), m, 6);
            Map<Modality, NDList> in = inputs(deep(), m);
            float[] before = answers(teacher, in, m);
            TeacherInit.copy(teacher, student);
            assertArrayEquals(before, answers(student, in, m), 0f);
        }
    }

    @Test
    void aShallowerStudentTakesEveryOtherLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel teacher = TinyRun.model(deep(), m, 5);
            FusionModel student = TinyRun.model(StudentConfig.shallower(deep(), 0.5), m, 6);
            TeacherInit.copy(teacher, student);
            String query = "_02attention_01query_weight";
            // text layers 0, 1 of the student are the teacher's 0 and 2 (after them, the final
            // norm: its name's order prefix differs, the name matches it)
            assertArrayEquals(
                    parameter(teacher, "_02layer0" + query).toFloatArray(),
                    parameter(student, "_02layer0" + query).toFloatArray());
            assertArrayEquals(
                    parameter(teacher, "_04layer2" + query).toFloatArray(),
                    parameter(student, "_03layer1" + query).toFloatArray());
            assertArrayEquals(
                    parameter(teacher, "textEncoder_06finalNorm_scale").toFloatArray(),
                    parameter(student, "textEncoder_04finalNorm_scale").toFloatArray());
            assertArrayEquals(
                    parameter(teacher, "selfAUDIO0" + query).toFloatArray(),
                    parameter(student, "selfAUDIO0" + query).toFloatArray());
            assertArrayEquals(
                    parameter(teacher, "temporal0_02conv_weight").toFloatArray(),
                    parameter(student, "temporal0_02conv_weight").toFloatArray());
        }
    }

    @Test
    void unitsKeepTheFirstOfEveryPartAndHead() {
        // 8 units = 2 heads of 4, keep 4: the first 2 of each head
        assertArrayEquals(new int[] {0, 1, 4, 5}, TeacherInit.units(8, 4, 1, 2));
        // keys then values (2 parts), 2 heads of 4 each: 16 units -> 8
        assertArrayEquals(new int[] {0, 1, 4, 5, 8, 9, 12, 13}, TeacherInit.units(16, 8, 2, 2));
        // keys then values of a one-head attention: 8 units -> 4
        assertArrayEquals(new int[] {0, 1, 4, 5}, TeacherInit.units(8, 4, 2, 1));
        // no parts or heads: the first m
        assertArrayEquals(new int[] {0, 1, 2}, TeacherInit.units(7, 3, 1, 1));
    }

    @Test
    void aNarrowerStudentTakesTheTeachersSlices() {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig config = deep();
            FusionModel teacher = TinyRun.model(config, m, 5);
            ModelConfig narrow = StudentConfig.narrower(config, 0.5);
            FusionModel student = TinyRun.model(narrow, m, 6);
            TeacherInit.copy(teacher, student);
            // the text encoder: width 32 -> 16, 2 heads of 16 -> 2 heads of 8
            NDArray big = parameter(teacher, "_02layer0_02attention_02keyValue_weight"); // (64, 32)
            NDArray small = parameter(student, "_02layer0_02attention_02keyValue_weight");
            assertEquals(new Shape(32, 16), small.getShape());
            float[] b = big.toFloatArray();
            float[] s = small.toFloatArray();
            int[] rows = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23};
            for (int r = 0; r < 32; r++) {
                // rows 0-15 are keys (2 heads of 8, from the teacher's heads of 16), 16-31 values
                int from = (r / 16) * 32 + rows[r % 16];
                for (int c = 0; c < 16; c++) {
                    assertEquals(b[from * 32 + c], s[r * 16 + c], 0f, "row " + r + " col " + c);
                }
            }
            Map<Modality, NDList> in = inputs(narrow, m);
            assertEquals(
                    new Shape(4, 4),
                    student.predict(new ParameterStore(m, false), in, false)
                            .get("label")
                            .getShape());
            // a different fusion: the encoders are copied, the fusion is not
            ModelConfig latent = narrow.withFusion(narrow.fusion().withKind(FusionKind.LATENT));
            FusionModel other = TinyRun.model(latent, m, 7);
            TeacherInit.copy(teacher, other);
            assertArrayEquals(
                    s, parameter(other, "_02layer0_02attention_02keyValue_weight").toFloatArray());
        }
    }

    @Test
    void aStudentDeeperOrWiderThanItsTeacherIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel teacher = TinyRun.model(StudentConfig.shallower(deep(), 0.5), m, 5);
            FusionModel student = TinyRun.model(deep(), m, 6);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> TeacherInit.copy(teacher, student));
            assertTrue(e.getMessage().contains("layer"), e.getMessage());
        }
    }
}

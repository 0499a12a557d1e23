package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.fusion.train.FusionTrainer;
import dev.braid.fusion.train.StepEvent;
import dev.braid.fusion.train.TrainConfig;
import dev.braid.fusion.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherTargetsTest {

    @TempDir static Path dir;
    static TinyRun run;

    @BeforeAll
    static void data() throws IOException {
        run = TinyRun.create(dir.resolve("data"), 32, 8, 8);
    }

    /** Text and audio only: no batch norm, whose training statistics would differ. */
    private static ModelConfig config() {
        ModelConfig full = run.modelConfig(FusionKind.GATED);
        return new ModelConfig(full.text(), null, full.audio(), full.fusion(), full.heads());
    }

    @Test
    void aStudentThatIsTheTeacherHasNothingToLearnFromIt() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                BatchLoader train = run.loader(Split.TRAIN, 16, 1);
                BatchLoader val = run.loader(Split.VAL, 8, 1)) {
            FusionModel teacher = TinyRun.model(config(), m, 9);
            FusionModel student = TinyRun.model(config(), m, 9); // the same weights
            List<Double> losses = new ArrayList<>();
            TrainingListener record =
                    new TrainingListener() {
                        @Override
                        public void onStep(StepEvent event) {
                            losses.add((double) event.loss());
                        }
                    };
            TrainConfig training =
                    TrainConfig.builder().epochs(1).batchSize(16).modalityDropout(0).build();
            new FusionTrainer(training)
                    .withLoss(new TeacherTargets(teacher, student.config(), 2f, 1f))
                    .fit(student, m, train, val, run.schema, dir.resolve("same"), List.of(record));
            assertEquals(0, losses.get(0), 1e-6); // α = 1: the soft term only, and it is 0
            assertTrue(losses.get(1) > 0, "after one step the student differs");
        }
    }

    @Test
    void refusesAStudentWhoseHeadsAreNotTheTeachers() {
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel teacher = TinyRun.model(config(), m, 9);
            ModelConfig c = config();
            ModelConfig other =
                    new ModelConfig(
                            c.text(),
                            null,
                            c.audio(),
                            c.fusion(),
                            List.of(
                                    new HeadSpec(
                                            "label",
                                            HeadKind.CLASSIFICATION,
                                            List.of("a", "b", "c"))));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new TeacherTargets(teacher, other, 2f, 0.5f));
            assertEquals(
                    "the student's head 'label' (classification, 3 classes) does not fit the"
                            + " teacher's heads [label (4)]",
                    e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new TeacherTargets(teacher, c, 0f, 0.5f),
                    "temperature (0.0) must be positive");
        }
    }
}

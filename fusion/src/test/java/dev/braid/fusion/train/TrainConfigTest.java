package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.Modality;
import dev.braid.fusion.train.EarlyStopping.Goal;
import dev.braid.fusion.train.EarlyStopping.Metric;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    @Test
    void theDefaultsAreTheOnesBraidAlwaysTrainedWith() {
        TrainConfig defaults = TrainConfig.defaults();
        assertEquals(
                new TrainConfig(
                        20,
                        32,
                        1,
                        2e-3f,
                        0.1f,
                        0.01f,
                        1f,
                        0.1f,
                        0f,
                        new Metric("label/accuracy", Goal.MAXIMIZE),
                        0,
                        Set.of(),
                        -1,
                        42,
                        0,
                        0f),
                defaults);
        assertEquals(defaults, TrainConfig.builder().build());
    }

    @Test
    void aCopyDiffersOnlyInTheFieldsSet() {
        TrainConfig config =
                TrainConfig.builder()
                        .epochs(4)
                        .batchSize(16)
                        .accumulation(2)
                        .learningRate(3e-3f)
                        .warmupFraction(0.2f)
                        .weightDecay(0.05f)
                        .clipNorm(0.5f)
                        .modalityDropout(0.3f)
                        .labelSmoothing(0.1f)
                        .earlyStoppingMetric("loss")
                        .patience(2)
                        .frozenEncoders(Set.of(Modality.TEXT))
                        .unfreezeEpoch(1)
                        .seed(7)
                        .maxSteps(100)
                        .contrastiveWeight(0.5f)
                        .build();
        assertEquals(config, config.toBuilder().build());
        TrainConfig reseeded = config.toBuilder().seed(8).build();
        assertEquals(8, reseeded.seed());
        assertEquals(config, reseeded.toBuilder().seed(7).build());
        assertEquals(32, config.samplesPerStep());
        assertEquals(new Metric("loss", Goal.MINIMIZE), config.earlyStoppingMetric());
    }

    @Test
    void jsonWritesTheMetricAsItsNameAndReadsItBackWithItsGoal() throws Exception {
        ObjectMapper json = new ObjectMapper();
        TrainConfig config = TrainConfig.builder().earlyStoppingMetric("loss").build();
        ObjectNode tree = json.valueToTree(config);
        assertEquals("loss", tree.get("earlyStoppingMetric").textValue());
        assertEquals(config, json.treeToValue(tree, TrainConfig.class));
        tree.put("earlyStoppingMetric", "label/macro_f1");
        assertEquals(
                new Metric("label/macro_f1", Goal.MAXIMIZE),
                json.treeToValue(tree, TrainConfig.class).earlyStoppingMetric());
    }

    @Test
    void anInvalidFieldIsNamedWithItsValue() {
        assertMessage("epochs (0) must be positive", TrainConfig.builder().epochs(0));
        assertMessage("batchSize (-1) must be positive", TrainConfig.builder().batchSize(-1));
        assertMessage("learningRate (0.0) must be positive", TrainConfig.builder().learningRate(0));
        assertMessage(
                "warmupFraction (1.0) must be in [0, 1)", TrainConfig.builder().warmupFraction(1));
        assertMessage(
                "modalityDropout (-0.1) must be in [0, 1)",
                TrainConfig.builder().modalityDropout(-0.1f));
        assertMessage("patience (-1)", TrainConfig.builder().patience(-1));
        assertMessage(
                "contrastiveWeight (NaN) must be >= 0",
                TrainConfig.builder().contrastiveWeight(Float.NaN));
        assertMessage("frozenEncoders (null)", TrainConfig.builder().frozenEncoders(null));
        assertMessage(
                "earlyStoppingMetric must be set",
                TrainConfig.builder().earlyStoppingMetric((Metric) null));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TrainConfig.builder().earlyStoppingMetric("label/acuracy"));
        assertTrue(e.getMessage().contains("metric 'label/acuracy'"), e.getMessage());
    }

    private static void assertMessage(String expected, TrainConfig.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

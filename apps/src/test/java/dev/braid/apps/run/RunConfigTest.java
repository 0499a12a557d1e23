package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.train.EarlyStopping.Goal;
import dev.braid.fusion.train.EarlyStopping.Metric;
import dev.braid.fusion.train.TrainConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigTest {

    @Test
    void aRunThatGivesEveryFeatureSettingUsesThemAndDerivesNothing() {
        RunConfig given =
                withFeatures(
                        RunConfig.defaults(),
                        RunConfig.FeatureSpec.of(
                                dev.braid.fusion.data.FeatureSettings.defaults(), 2000, true));
        TrainingRun run = new TrainingRun(given);
        assertEquals(dev.braid.fusion.data.FeatureSettings.defaults(), run.featureSettings());
        assertEquals(List.of(), run.derivedFeatures());
    }

    @Test
    void byDefaultEveryDerivableFeatureSettingIsLeftOut() {
        assertEquals(
                List.of(
                        "features.textMaxLength",
                        "features.vocabularySize",
                        "features.imageSize",
                        "features.imageChannels",
                        "features.audioMaxSeconds",
                        "features.audioMaxFrames"),
                RunConfig.defaults().features().leftOut());
    }

    @Test
    void theShippedConfigurationsGiveEveryFeatureSettingSoTheirNumbersDoNotMove() throws Exception {
        for (String name : dev.braid.apps.ReadyConfigs.NAMES) {
            assertEquals(
                    List.of(),
                    dev.braid.apps.ReadyConfigs.load(name, List.of()).features().leftOut(),
                    name);
        }
    }

    @Test
    void aBadFeatureSettingIsNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RunConfig.parse("features: {imageChannels: 2}", List.of(), "f.yaml"));
        assertTrue(e.getMessage().contains("features.imageChannels (2) must be 1"), e.getMessage());
    }

    /** {@code config} with its features replaced. */
    static RunConfig withFeatures(RunConfig config, RunConfig.FeatureSpec features) {
        return new RunConfig(
                config.name(),
                config.data(),
                features,
                config.augment(),
                config.model(),
                config.training(),
                config.output());
    }

    @Test
    void aTrainingSectionThatWritesSomeFieldsKeepsTheDefaultsOfTheRest() throws Exception {
        RunConfig config =
                RunConfig.parse(
                        "training:\n  epochs: 3\n  earlyStoppingMetric: loss\n",
                        List.of("training.seed=7"),
                        "partial.yaml");
        assertEquals(
                TrainConfig.builder()
                        .epochs(3)
                        .earlyStoppingMetric(new Metric("loss", Goal.MINIMIZE))
                        .seed(7)
                        .build(),
                config.training());
        assertEquals(TrainConfig.defaults(), RunConfig.parse("", List.of(), "empty").training());
    }

    @Test
    void theMetricsGoalComesWithItsName() throws Exception {
        RunConfig config =
                RunConfig.parse(
                        "training: {earlyStoppingMetric: price/mae}\n", List.of(), "regression");
        assertEquals(
                new Metric("price/mae", Goal.MINIMIZE), config.training().earlyStoppingMetric());
        config =
                RunConfig.parse(
                        "", List.of("training.earlyStoppingMetric=label/macro_f1"), "override");
        assertEquals(Goal.MAXIMIZE, config.training().earlyStoppingMetric().goal());
    }

    @Test
    void aMetricBraidDoesNotEvaluateIsNamedWithTheFile() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RunConfig.parse(
                                        "training:\n  earlyStoppingMetric: label/acuracy\n",
                                        List.of(),
                                        "typo.yaml"));
        assertTrue(e.getMessage().startsWith("typo.yaml: metric 'label/acuracy'"), e.getMessage());
    }
}

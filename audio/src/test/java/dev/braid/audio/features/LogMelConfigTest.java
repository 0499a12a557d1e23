package dev.braid.audio.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogMelConfigTest {

    @Test
    void theDefaultsAre16kHzWith25msWindowsEvery10ms() {
        LogMelConfig expected =
                new LogMelConfig(
                        16_000,
                        400,
                        160,
                        Window.HANN,
                        64,
                        0,
                        8000,
                        MelScale.SLANEY,
                        MelNorm.SLANEY,
                        1e-10,
                        FeatureNormalization.NONE);
        assertEquals(expected, LogMelConfig.defaults());
        assertEquals(expected, LogMelConfig.builder().build());
        assertEquals(expected, LogMelConfig.forSampleRate(16_000));
    }

    @Test
    void windowHopAndTopFrequencyFollowTheSampleRateUnlessSet() {
        // 25 ms of 22050 Hz is 551.25 samples, to the nearest even 552; 10 ms is 220.5, so 221.
        LogMelConfig config = LogMelConfig.builder().sampleRate(22_050).nMels(80).build();
        assertEquals(552, config.nFft());
        assertEquals(221, config.hop());
        assertEquals(11_025, config.fMax());
        assertEquals(80, config.nMels());
        assertEquals(config, LogMelConfig.forSampleRate(22_050).toBuilder().nMels(80).build());

        LogMelConfig set =
                LogMelConfig.builder().nFft(512).hop(256).fMax(7000).sampleRate(22_050).build();
        assertEquals(512, set.nFft());
        assertEquals(256, set.hop());
        assertEquals(7000, set.fMax());
    }

    @Test
    void aCopyKeepsEveryFieldButTheOnesSet() {
        LogMelConfig config =
                LogMelConfig.builder()
                        .sampleRate(8000)
                        .window(Window.HAMMING)
                        .nMels(12)
                        .fMin(100)
                        .melScale(MelScale.HTK)
                        .melNorm(MelNorm.NONE)
                        .floor(1e-6)
                        .normalization(FeatureNormalization.PER_UTTERANCE)
                        .build();
        assertEquals(config, config.toBuilder().build());
        LogMelConfig wider = config.toBuilder().nMels(24).build();
        assertEquals(24, wider.nMels());
        assertEquals(config, wider.toBuilder().nMels(12).build());
        // The copy keeps the 8 kHz window and top frequency even at another rate.
        assertEquals(200, config.toBuilder().sampleRate(16_000).build().nFft());
    }
}

package dev.braid.audio.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.audio.signal.Waveform;
import org.junit.jupiter.api.Test;

/**
 * Log-mel values against torchaudio. The constants were printed by {@code
 * src/test/resources/logmel_reference.py} (torchaudio {@code MelSpectrogram}, float64, centred
 * frames with zero padding, then {@code ln(max(1e-10, x))}); Python is not needed to run this test.
 */
class LogMelReferenceTest {

    // SLANEY_SLANEY_HANN: (16, 11)
    private static final double[][] SLANEY_SLANEY_HANN = {
        {
            -0.780755,
            -5.797882,
            -21.231649,
            -21.233787,
            -21.229506,
            -21.234328,
            -21.230805,
            -21.231649,
            -21.233787,
            -5.792249,
            -0.780756
        },
        {
            1.705463, 2.397498, 2.397377, 2.397377, 2.397377, 2.397377, 2.397377, 2.397377,
            2.397377, 2.397575, 1.711249
        },
        {
            1.486168, 2.314949, 2.316521, 2.316521, 2.316520, 2.316522, 2.316520, 2.316521,
            2.316521, 2.314946, 1.493129
        },
        {
            -2.620796,
            -7.208214,
            -17.319139,
            -17.319284,
            -17.318841,
            -17.319413,
            -17.318931,
            -17.319139,
            -17.319284,
            -7.416296,
            -2.620798
        },
        {
            -5.361737,
            -8.908929,
            -15.588457,
            -15.588376,
            -15.588401,
            -15.588442,
            -15.588351,
            -15.588457,
            -15.588376,
            -9.631246,
            -5.361680
        },
        {
            -5.070123,
            -9.108045,
            -12.688529,
            -12.688517,
            -12.688532,
            -12.688520,
            -12.688524,
            -12.688529,
            -12.688517,
            -9.762915,
            -5.070456
        },
        {
            -1.054508, -0.443981, -0.444312, -0.444312, -0.444312, -0.444312, -0.444312, -0.444312,
            -0.444312, -0.444105, -1.041767
        },
        {
            0.212555, 1.016755, 1.017953, 1.017953, 1.017953, 1.017953, 1.017953, 1.017953,
            1.017953, 1.016864, 0.227491
        },
        {
            -3.076833, -5.503693, -5.664273, -5.664273, -5.664273, -5.664273, -5.664273, -5.664273,
            -5.664273, -5.518291, -3.075387
        },
        {
            -5.399640,
            -9.863533,
            -15.854091,
            -15.854115,
            -15.854085,
            -15.854109,
            -15.854100,
            -15.854091,
            -15.854115,
            -10.322422,
            -5.399624
        },
        {
            -2.910171, -2.150399, -2.149627, -2.149627, -2.149627, -2.149627, -2.149627, -2.149627,
            -2.149627, -2.150281, -2.837005
        },
        {
            -2.585844, -1.849988, -1.849251, -1.849251, -1.849251, -1.849251, -1.849251, -1.849251,
            -1.849251, -1.849530, -2.514884
        },
        {
            -6.595542,
            -11.274262,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -11.294909,
            -6.595544
        },
        {
            -8.005722,
            -12.755415,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -12.649313,
            -8.005723
        },
        {
            -9.087853,
            -13.868647,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -13.701273,
            -9.087854
        },
        {
            -10.092556,
            -14.920064,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -23.025851,
            -14.663490,
            -10.092558
        },
    };
    // HTK_NONE_HAMMING: (12, 7)
    private static final double[][] HTK_NONE_HAMMING = {
        {5.706780, 4.557169, 4.556606, 4.555708, 4.554697, 4.553822, 5.679290},
        {7.885253, 8.722038, 8.722084, 8.722158, 8.722243, 8.722316, 8.409239},
        {5.443109, 5.628840, 5.628591, 5.628187, 5.627728, 5.627328, 5.724920},
        {0.871102, -3.015599, -3.126641, -3.335736, -3.640680, -4.010892, 0.621863},
        {5.109566, 5.815092, 5.815099, 5.815114, 5.815137, 5.815170, 5.574023},
        {6.422203, 7.164019, 7.164034, 7.164062, 7.164102, 7.164151, 6.906619},
        {2.298521, -4.516722, -4.660482, -4.946568, -5.416037, -6.150878, 2.005811},
        {3.350872, 4.058010, 4.057995, 4.057978, 4.057966, 4.057967, 3.834237},
        {4.577657, 5.311003, 5.311003, 5.311009, 5.311025, 5.311048, 5.078142},
        {0.422158, -5.236236, -5.386012, -5.687206, -6.194093, -7.046097, 0.160180},
        {-1.014530, -5.374255, -5.524741, -5.827740, -6.339229, -7.206968, -1.212199},
        {-1.992169, -5.447257, -5.598175, -5.902271, -6.416573, -7.294092, -2.083966},
    };

    /** The script's signal: three sinusoids at 16 kHz, 1600 samples. */
    private static Waveform signal() {
        float[] x = new float[1600];
        for (int n = 0; n < x.length; n++) {
            double t = n / 16000.0;
            x[n] =
                    (float)
                            (0.5 * Math.sin(2 * Math.PI * 440 * t)
                                    + 0.25 * Math.sin(2 * Math.PI * 1500 * t + 0.3)
                                    + 0.1 * Math.cos(2 * Math.PI * 3000 * t));
        }
        return new Waveform(x, 16_000);
    }

    /**
     * Values within 1e-6 of their frame's strongest band (in power) must match to 5e-4 in log;
     * fainter ones (spectral leakage at float64 precision, beyond float32's reach) need only stay
     * that faint.
     */
    private static void assertMatches(double[][] expected, Features actual) {
        assertEquals(expected.length, actual.rows());
        assertEquals(expected[0].length, actual.frames());
        for (int t = 0; t < expected[0].length; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : expected) {
                max = Math.max(max, row[t]);
            }
            for (int m = 0; m < expected.length; m++) {
                double want = expected[m][t];
                float got = actual.values()[m][t];
                if (want > max + Math.log(1e-6)) {
                    assertEquals(want, got, 5e-4, "mel " + m + ", frame " + t);
                } else {
                    assertTrue(
                            got < max + Math.log(1e-5), "mel " + m + ", frame " + t + ": " + got);
                }
            }
        }
    }

    @Test
    void slaneyScaleSlaneyNormHannMatchesTorchaudio() {
        LogMelConfig config = LogMelConfig.builder().nMels(16).build();
        assertMatches(SLANEY_SLANEY_HANN, new LogMelExtractor(config).extract(signal()));
    }

    @Test
    void htkScaleNoNormHammingMatchesTorchaudio() {
        LogMelConfig config =
                LogMelConfig.builder()
                        .nFft(512)
                        .hop(256)
                        .window(Window.HAMMING)
                        .nMels(12)
                        .fMin(100)
                        .fMax(7000)
                        .melScale(MelScale.HTK)
                        .melNorm(MelNorm.NONE)
                        .build();
        assertMatches(HTK_NONE_HAMMING, new LogMelExtractor(config).extract(signal()));
    }
}

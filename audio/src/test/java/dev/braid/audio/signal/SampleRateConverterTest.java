package dev.braid.audio.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.braid.audio.TestAudio;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampleRateConverterTest {

    /** |DFT| of x at frequency f (Hz), by direct summation. */
    private static double dft(float[] x, double hz, int rate) {
        double re = 0;
        double im = 0;
        for (int n = 0; n < x.length; n++) {
            double phase = 2 * Math.PI * hz * n / rate;
            re += x[n] * Math.cos(phase);
            im -= x[n] * Math.sin(phase);
        }
        return Math.hypot(re, im);
    }

    @ParameterizedTest(name = "{0} Hz -> {1} Hz keeps {2} Hz")
    @CsvSource({
        "44100, 16000, 1000",
        "8000, 16000, 1250",
        "48000, 16000, 3000",
        "22050, 16000, 440"
    })
    void keepsASinesFrequencyAndAmplitude(int from, int to, double hz) {
        int length = from / 2;
        Waveform in = new Waveform(TestAudio.sine(hz, from, length, 0.5), from);

        Waveform out = SampleRateConverter.convert(in, to);

        assertEquals(to, out.sampleRate());
        assertEquals(Math.round(length * (double) to / from), out.length());
        double best = -1;
        double bestHz = -1;
        for (double f = hz - 200; f <= hz + 200; f += 10) {
            double m = dft(out.samples(), f, to);
            if (m > best) {
                best = m;
                bestHz = f;
            }
        }
        assertEquals(hz, bestHz, 1e-9, "spectral peak after resampling");
        // Amplitude of the middle part (away from the filter's edges) stays 0.5.
        float peak = 0;
        for (int n = out.length() / 4; n < 3 * out.length() / 4; n++) {
            peak = Math.max(peak, Math.abs(out.samples()[n]));
        }
        assertEquals(0.5, peak, 0.02);
    }

    @org.junit.jupiter.api.Test
    void sameRateIsReturnedAsIsAndExtremeRatiosAreRefused() {
        Waveform w = new Waveform(new float[10], 16_000);
        assertSame(w, SampleRateConverter.convert(w, 16_000));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                SampleRateConverter.convert(
                                        new Waveform(new float[10], 1_000_000), 1000));
        assertEquals(true, e.getMessage().contains("1000000 Hz"), e.getMessage());
    }
}

/**
 * Audio signals: WAV decoding ({@link dev.braid.audio.signal.WavReader}, {@link
 * dev.braid.audio.signal.AudioLoader}), resampling and the FFT.
 *
 * <p>Every TarsosDSP type used by Braid stays inside this package, so the DSP library can be
 * swapped without touching features or the encoder.
 */
package dev.braid.audio.signal;

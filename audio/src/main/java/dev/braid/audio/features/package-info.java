/**
 * Spectral features: {@link dev.braid.audio.features.Stft}, the {@link
 * dev.braid.audio.features.MelFilterbank} (HTK and Slaney scales), {@link
 * dev.braid.audio.features.LogMelExtractor}, {@link dev.braid.audio.features.Mfcc}, per-utterance
 * normalisation and crop/pad with the true frame count ({@link dev.braid.audio.features.Features}).
 *
 * <p>Plain Java on float arrays; nothing here touches DJL or TarsosDSP types directly.
 */
package dev.braid.audio.features;

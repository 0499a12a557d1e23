/**
 * Seeded training augmentations: on waveforms ({@link dev.braid.audio.augment.AdditiveNoise},
 * {@link dev.braid.audio.augment.RandomGain}, {@link dev.braid.audio.augment.TimeShift}) and on
 * features ({@link dev.braid.audio.augment.SpecAugment}). Each takes a {@link
 * java.util.random.RandomGenerator}, so one seed split per component reproduces a run.
 */
package dev.braid.audio.augment;

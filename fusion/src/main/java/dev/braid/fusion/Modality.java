package dev.braid.fusion;

/**
 * The kinds of input Braid fuses. Maps keyed by modality are {@code EnumMap}s, iterated in this
 * order, so that every component sees the modalities in the same order.
 */
public enum Modality {
    TEXT,
    IMAGE,
    AUDIO
}

package dev.braid.fusion.data;

/** How the rows of one split are ordered in an epoch. */
public enum Order {
    /** Manifest order, every epoch (evaluation). */
    SEQUENTIAL,
    /** A new permutation each epoch, a pure function of (seed, epoch) (training). */
    SHUFFLED
}

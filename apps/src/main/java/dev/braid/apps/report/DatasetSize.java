package dev.braid.apps.report;

/**
 * How many samples one dataset split holds.
 *
 * @param name the split or dataset name, such as {@code "train"}
 * @param samples how many samples it holds, at least 0
 */
public record DatasetSize(String name, long samples) {

    /**
     * @throws IllegalArgumentException if the name is blank or samples is negative
     */
    public DatasetSize {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name (" + name + ") must not be blank");
        }
        if (samples < 0) {
            throw new IllegalArgumentException("samples (" + samples + ") must be at least 0");
        }
    }
}

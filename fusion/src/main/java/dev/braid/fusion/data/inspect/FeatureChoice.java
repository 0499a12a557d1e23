package dev.braid.fusion.data.inspect;

/**
 * One feature setting derived from a training split, and why.
 *
 * @param field the run configuration's field, {@code features.imageSize}
 * @param value the value chosen
 * @param reason what in the data led to it
 */
public record FeatureChoice(String field, String value, String reason) {

    @Override
    public String toString() {
        return field + " = " + value + "  (" + reason + ")";
    }
}

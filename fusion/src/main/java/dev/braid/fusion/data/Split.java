package dev.braid.fusion.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which part of a dataset a row belongs to, written {@code "train"}, {@code "val"}, {@code "test"}.
 */
public enum Split {
    TRAIN,
    VAL,
    TEST;

    /** The value written in the manifest, e.g. {@code "train"}. */
    public String manifestValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The split written as {@code value}, or empty if it is not one of the allowed values. */
    public static Optional<Split> fromManifest(String value) {
        return Arrays.stream(values()).filter(s -> s.manifestValue().equals(value)).findFirst();
    }

    /** The allowed manifest values, for error messages: {@code "train", "val", "test"}. */
    public static String allowedValues() {
        return "\"train\", \"val\", \"test\"";
    }
}

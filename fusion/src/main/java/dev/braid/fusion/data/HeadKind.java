package dev.braid.fusion.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a task head predicts, and so which targets, loss, metrics and answer it gets: the three
 * built in ({@link #CLASSIFICATION}, {@link #MULTI_LABEL}, {@link #REGRESSION}), whose kind a
 * manifest's label says by its JSON type, and any a {@link HeadKindPlugin} adds, which a run
 * declares for a head by name. Its {@link #name()} (upper case) is how configurations and saved
 * models write it.
 *
 * <p>Kinds are ordered: the built-in ones first, in the order above, then plug-in ones by name.
 */
public final class HeadKind implements Comparable<HeadKind> {

    /** One class out of K; targets are class indices. */
    public static final HeadKind CLASSIFICATION = new HeadKind("CLASSIFICATION", 0);

    /** Any subset of K classes; targets are multi-hot vectors. */
    public static final HeadKind MULTI_LABEL = new HeadKind("MULTI_LABEL", 1);

    /** One real number; targets are floats. */
    public static final HeadKind REGRESSION = new HeadKind("REGRESSION", 2);

    private static final List<HeadKind> BUILT_IN = List.of(CLASSIFICATION, MULTI_LABEL, REGRESSION);
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private final String name;
    private final int rank;

    private HeadKind(String name, int rank) {
        this.name = name;
        this.rank = rank;
    }

    /**
     * The kind a plug-in adds, named {@code name} (letters, digits and {@code _}, starting with a
     * letter; any case).
     *
     * @throws IllegalArgumentException if the name is malformed or a built-in one's
     */
    public static HeadKind custom(String name) {
        String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
        if (!NAME.matcher(upper).matches()) {
            throw new IllegalArgumentException(
                    "head kind name '"
                            + name
                            + "' must be a letter followed by up to 31 letters, digits or _");
        }
        for (HeadKind k : BUILT_IN) {
            if (k.name.equals(upper)) {
                throw new IllegalArgumentException("'" + name + "' is a built-in head kind");
            }
        }
        return new HeadKind(upper, BUILT_IN.size());
    }

    /**
     * The built-in or registered kind called {@code name}, in any case.
     *
     * @throws IllegalArgumentException naming the known kinds if there is none
     */
    @JsonCreator
    public static HeadKind valueOf(String name) {
        String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
        for (HeadKind k : values()) {
            if (k.name.equals(upper)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown head kind '"
                        + name
                        + "'; known: "
                        + values()
                        + " (a plug-in head kind must be registered: HeadKindPlugins.register, or"
                        + " its jar on the class path with META-INF/services/"
                        + HeadKindPlugin.class.getName()
                        + ")");
    }

    /** The built-in kinds, then the registered plug-in ones, in order. */
    public static List<HeadKind> values() {
        List<HeadKind> all = new ArrayList<>(BUILT_IN);
        all.addAll(HeadKindPlugins.kinds());
        return all;
    }

    /** Whether this is one of Braid's own three. */
    public boolean builtIn() {
        return rank < BUILT_IN.size();
    }

    /** The upper-case name, as configurations write it. */
    @JsonValue
    public String name() {
        return name;
    }

    @Override
    public int compareTo(HeadKind other) {
        return rank != other.rank ? Integer.compare(rank, other.rank) : name.compareTo(other.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeadKind k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.braid.fusion;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A name from a set that plug-ins extend ({@link Modality}, {@code HeadKind}): Braid's own names
 * first, in their order, then plug-in names alphabetically; equal when the names are. Written in
 * upper case, read in any case.
 *
 * @param <T> the set's own type
 */
public abstract class OpenName<T extends OpenName<T>> implements Comparable<T> {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private final String name;
    private final int rank;
    private final boolean builtIn;

    /** Braid's own name number {@code rank} of the set. */
    protected OpenName(String name, int rank) {
        this(name, rank, true);
    }

    /** A plug-in's name, checked by {@link #pluginName}; ranked after all of Braid's own. */
    protected OpenName(String name) {
        this(name, Integer.MAX_VALUE, false);
    }

    private OpenName(String name, int rank, boolean builtIn) {
        this.name = name;
        this.rank = rank;
        this.builtIn = builtIn;
    }

    /**
     * {@code name} in upper case, checked: a letter and up to 31 letters, digits or {@code _}, not
     * one of {@code builtIn}.
     *
     * @param what what the name names, for messages ("modality", "head kind")
     * @throws IllegalArgumentException if it is malformed or taken
     */
    protected static String pluginName(
            String name, String what, List<? extends OpenName<?>> builtIn) {
        String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
        if (!NAME.matcher(upper).matches()) {
            throw new IllegalArgumentException(
                    what
                            + " name '"
                            + name
                            + "' must be a letter followed by up to 31 letters, digits or _");
        }
        for (OpenName<?> own : builtIn) {
            if (own.name.equals(upper)) {
                throw new IllegalArgumentException("'" + name + "' is a built-in " + what);
            }
        }
        return upper;
    }

    /**
     * The one of {@code known} called {@code name}, in any case.
     *
     * @param registration how a plug-in adds one, for the message
     * @throws IllegalArgumentException naming the known ones if there is none
     */
    protected static <T extends OpenName<T>> T find(
            String name, List<T> known, String what, String registration) {
        String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
        for (T t : known) {
            if (t.name().equals(upper)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown " + what + " '" + name + "'; known: " + known + " (" + registration + ")");
    }

    /** Whether this is one of Braid's own names. */
    public boolean builtIn() {
        return builtIn;
    }

    /** The upper-case name, as configurations write it. */
    @JsonValue
    public String name() {
        return name;
    }

    @Override
    public int compareTo(T other) {
        OpenName<T> o = other;
        return rank != o.rank ? Integer.compare(rank, o.rank) : name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((OpenName<?>) o).name.equals(name);
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

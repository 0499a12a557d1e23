package dev.braid.fusion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A kind of input Braid fuses: the three built in ({@link #TEXT}, {@link #IMAGE}, {@link #AUDIO})
 * and any a {@link ModalityPlugin} adds. Its {@link #name()} (upper case) is how configurations
 * write it; {@link #field()} (lower case) is its field in a manifest row and its part in a request.
 *
 * <p>Modalities are ordered: the built-in ones first, in the order above, then plug-in ones by
 * name. Braid keeps maps and sets of modalities in that order ({@code TreeMap}, {@code TreeSet}),
 * so every component sees them the same way.
 */
public final class Modality implements Comparable<Modality> {

    public static final Modality TEXT = new Modality("TEXT", 0);
    public static final Modality IMAGE = new Modality("IMAGE", 1);
    public static final Modality AUDIO = new Modality("AUDIO", 2);

    private static final List<Modality> BUILT_IN = List.of(TEXT, IMAGE, AUDIO);
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private final String name;
    private final int rank;

    private Modality(String name, int rank) {
        this.name = name;
        this.rank = rank;
    }

    /**
     * The modality a plug-in adds, named {@code name} (letters, digits and {@code _}, starting with
     * a letter; any case).
     *
     * @throws IllegalArgumentException if the name is malformed or a built-in one's
     */
    public static Modality custom(String name) {
        String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
        if (!NAME.matcher(upper).matches()) {
            throw new IllegalArgumentException(
                    "modality name '"
                            + name
                            + "' must be a letter followed by up to 31 letters, digits or _");
        }
        for (Modality m : BUILT_IN) {
            if (m.name.equals(upper)) {
                throw new IllegalArgumentException("'" + name + "' is a built-in modality");
            }
        }
        return new Modality(upper, BUILT_IN.size());
    }

    /**
     * The built-in or registered modality called {@code name}, in any case.
     *
     * @throws IllegalArgumentException naming the known modalities if there is none
     */
    @JsonCreator
    public static Modality valueOf(String name) {
        String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
        for (Modality m : values()) {
            if (m.name.equals(upper)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown modality '"
                        + name
                        + "'; known: "
                        + values()
                        + " (a plug-in modality must be registered: ModalityPlugins.register, or"
                        + " its jar on the class path with META-INF/services/"
                        + ModalityPlugin.class.getName()
                        + ")");
    }

    /** The built-in modalities, then the registered plug-in ones, in order. */
    public static List<Modality> values() {
        List<Modality> all = new ArrayList<>(BUILT_IN);
        all.addAll(ModalityPlugins.modalities());
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

    /** The lower-case name: the manifest field and the request part. */
    public String field() {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public int compareTo(Modality other) {
        return rank != other.rank ? Integer.compare(rank, other.rank) : name.compareTo(other.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Modality m && m.name.equals(name);
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

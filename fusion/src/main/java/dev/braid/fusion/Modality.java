package dev.braid.fusion;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A kind of input Braid fuses: the three built in ({@link #TEXT}, {@link #IMAGE}, {@link #AUDIO})
 * and any a {@link ModalityPlugin} adds. Its {@link #name()} (upper case) is how configurations
 * write it; {@link #field()} (lower case) is its field in a manifest row and its part in a request.
 *
 * <p>Modalities are ordered: the built-in ones first, in the order above, then plug-in ones by
 * name. Braid keeps maps and sets of modalities in that order ({@code TreeMap}, {@code TreeSet}),
 * so every component sees them the same way.
 */
public final class Modality extends OpenName<Modality> {

    public static final Modality TEXT = new Modality("TEXT", 0);
    public static final Modality IMAGE = new Modality("IMAGE", 1);
    public static final Modality AUDIO = new Modality("AUDIO", 2);

    private static final List<Modality> BUILT_IN = List.of(TEXT, IMAGE, AUDIO);

    private Modality(String name, int rank) {
        super(name, rank);
    }

    private Modality(String name) {
        super(name);
    }

    /**
     * The modality a plug-in adds, named {@code name} (letters, digits and {@code _}, starting with
     * a letter; any case).
     *
     * @throws IllegalArgumentException if the name is malformed or a built-in one's
     */
    public static Modality custom(String name) {
        return new Modality(pluginName(name, "modality", BUILT_IN));
    }

    /**
     * The built-in or registered modality called {@code name}, in any case.
     *
     * @throws IllegalArgumentException naming the known modalities if there is none
     */
    @JsonCreator
    public static Modality valueOf(String name) {
        return find(
                name,
                values(),
                "modality",
                "a plug-in modality must be registered: ModalityPlugins.register, or its jar on the"
                        + " class path with META-INF/services/"
                        + ModalityPlugin.class.getName());
    }

    /** The built-in modalities, then the registered plug-in ones, in order. */
    public static List<Modality> values() {
        List<Modality> all = new ArrayList<>(BUILT_IN);
        all.addAll(ModalityPlugins.modalities());
        return all;
    }

    /** The lower-case name: the manifest field and the request part. */
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }
}

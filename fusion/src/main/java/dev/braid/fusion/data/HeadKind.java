package dev.braid.fusion.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.braid.fusion.OpenName;
import java.util.ArrayList;
import java.util.List;

/**
 * What a task head predicts, and so which targets, loss, metrics and answer it gets: the three
 * built in that a manifest's label says by its JSON type ({@link #CLASSIFICATION}, {@link
 * #MULTI_LABEL}, {@link #REGRESSION}); {@link #GENERATION}, built in too, which a run declares for
 * a head by name; and any a {@link HeadKindPlugin} adds, which a run declares the same way. Its
 * {@link #name()} (upper case) is how configurations and saved models write it.
 *
 * <p>Kinds are ordered: the built-in ones first, in the order above, then plug-in ones by name.
 */
public final class HeadKind extends OpenName<HeadKind> {

    /** One class out of K; targets are class indices. */
    public static final HeadKind CLASSIFICATION = new HeadKind("CLASSIFICATION", 0);

    /** Any subset of K classes; targets are multi-hot vectors. */
    public static final HeadKind MULTI_LABEL = new HeadKind("MULTI_LABEL", 1);

    /** One real number; targets are floats. */
    public static final HeadKind REGRESSION = new HeadKind("REGRESSION", 2);

    /**
     * A text to write, e.g. a reply to a ticket: the label is the text (a JSON string), the head a
     * Transformer decoder reading every modality's encoder tokens ({@code ReplyHead}), its targets
     * the text's token ids in the run's tokenizer. It has no classes; a run declares it, since a
     * string label otherwise names a class.
     */
    public static final HeadKind GENERATION = new HeadKind("GENERATION", 3);

    private static final List<HeadKind> BUILT_IN =
            List.of(CLASSIFICATION, MULTI_LABEL, REGRESSION, GENERATION);

    private HeadKind(String name, int rank) {
        super(name, rank);
    }

    private HeadKind(String name) {
        super(name);
    }

    /**
     * The kind a plug-in adds, named {@code name} (letters, digits and {@code _}, starting with a
     * letter; any case).
     *
     * @throws IllegalArgumentException if the name is malformed or a built-in one's
     */
    public static HeadKind custom(String name) {
        return new HeadKind(pluginName(name, "head kind", BUILT_IN));
    }

    /**
     * The built-in or registered kind called {@code name}, in any case.
     *
     * @throws IllegalArgumentException naming the known kinds if there is none
     */
    @JsonCreator
    public static HeadKind valueOf(String name) {
        return find(
                name,
                values(),
                "head kind",
                "a plug-in head kind must be registered: HeadKindPlugins.register, or its jar on"
                        + " the class path with META-INF/services/"
                        + HeadKindPlugin.class.getName());
    }

    /** The built-in kinds, then the registered plug-in ones, in order. */
    public static List<HeadKind> values() {
        List<HeadKind> all = new ArrayList<>(BUILT_IN);
        all.addAll(HeadKindPlugins.kinds());
        return all;
    }
}

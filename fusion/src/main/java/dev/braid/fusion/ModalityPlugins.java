package dev.braid.fusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registered {@link ModalityPlugin}s: those on the class path ({@link ServiceLoader}, found on
 * first use) and those registered from code. Thread-safe.
 */
public final class ModalityPlugins {

    private static final Map<String, ModalityPlugin<?>> BY_NAME = new TreeMap<>();
    private static boolean discovered;

    private ModalityPlugins() {}

    /**
     * Registers {@code plugin}; registering the same class again does nothing.
     *
     * @throws IllegalArgumentException if another plug-in already adds a modality of that name
     */
    public static synchronized void register(ModalityPlugin<?> plugin) {
        discover();
        add(plugin);
    }

    /**
     * The plug-in adding {@code modality}.
     *
     * @throws IllegalArgumentException naming the modality if none is registered
     */
    public static synchronized ModalityPlugin<?> of(Modality modality) {
        discover();
        ModalityPlugin<?> plugin = BY_NAME.get(modality.name());
        if (plugin == null) {
            throw new IllegalArgumentException(
                    "no plug-in is registered for the modality " + modality);
        }
        return plugin;
    }

    /**
     * The plug-in of the class named {@code className} adding {@code modality}, as a saved model
     * recorded it.
     *
     * @throws IllegalArgumentException naming the class if it is not registered
     */
    public static synchronized ModalityPlugin<?> of(Modality modality, String className) {
        discover();
        ModalityPlugin<?> plugin = BY_NAME.get(modality.name());
        if (plugin == null || !plugin.getClass().getName().equals(className)) {
            throw new IllegalArgumentException(
                    "the modality "
                            + modality
                            + " needs the plug-in "
                            + className
                            + ", which is not registered (put its jar on the class path, or call"
                            + " ModalityPlugins.register)");
        }
        return plugin;
    }

    /** The plug-in modalities, in order. */
    static synchronized List<Modality> modalities() {
        discover();
        List<Modality> out = new ArrayList<>();
        BY_NAME.values().forEach(p -> out.add(p.modality()));
        out.sort(null);
        return out;
    }

    private static void discover() {
        if (!discovered) {
            discovered = true;
            for (ModalityPlugin<?> plugin : ServiceLoader.load(ModalityPlugin.class)) {
                add(plugin);
            }
        }
    }

    private static void add(ModalityPlugin<?> plugin) {
        Modality modality = plugin.modality();
        if (modality.builtIn()) {
            throw new IllegalArgumentException(
                    plugin.getClass().getName() + " adds the built-in modality " + modality);
        }
        ModalityPlugin<?> known = BY_NAME.get(modality.name());
        if (known != null && known.getClass() != plugin.getClass()) {
            throw new IllegalArgumentException(
                    "the modality "
                            + modality
                            + " is added by "
                            + known.getClass().getName()
                            + " already; "
                            + plugin.getClass().getName()
                            + " cannot add it too");
        }
        BY_NAME.putIfAbsent(modality.name(), plugin);
    }
}

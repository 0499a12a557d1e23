package dev.braid.fusion.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registered {@link HeadKindPlugin}s: those on the class path ({@link ServiceLoader}, found on
 * first use) and those registered from code. Thread-safe.
 */
public final class HeadKindPlugins {

    private static final Map<String, HeadKindPlugin> BY_NAME = new TreeMap<>();
    private static boolean discovered;

    private HeadKindPlugins() {}

    /**
     * Registers {@code plugin}; registering the same class again does nothing.
     *
     * @throws IllegalArgumentException if another plug-in already adds a head kind of that name
     */
    public static synchronized void register(HeadKindPlugin plugin) {
        discover();
        add(plugin);
    }

    /**
     * The plug-in adding {@code kind}.
     *
     * @throws IllegalArgumentException naming the kind if none is registered (built-in kinds have
     *     none)
     */
    public static synchronized HeadKindPlugin of(HeadKind kind) {
        discover();
        HeadKindPlugin plugin = BY_NAME.get(kind.name());
        if (plugin == null) {
            throw new IllegalArgumentException(
                    "no plug-in is registered for the head kind " + kind);
        }
        return plugin;
    }

    /**
     * The plug-in of the class named {@code className} adding the kind named {@code kind}, as a
     * saved model recorded it.
     *
     * @throws IllegalArgumentException naming the class if it is not registered
     */
    public static synchronized HeadKindPlugin of(String kind, String className) {
        discover();
        HeadKindPlugin plugin = BY_NAME.get(kind);
        if (plugin == null || !plugin.getClass().getName().equals(className)) {
            throw new IllegalArgumentException(
                    "the head kind "
                            + kind
                            + " needs the plug-in "
                            + className
                            + ", which is not registered (put its jar on the class path, or call"
                            + " HeadKindPlugins.register)");
        }
        return plugin;
    }

    /** The plug-in kinds, in order. */
    static synchronized List<HeadKind> kinds() {
        discover();
        List<HeadKind> out = new ArrayList<>();
        BY_NAME.values().forEach(p -> out.add(p.kind()));
        out.sort(null);
        return out;
    }

    private static void discover() {
        if (!discovered) {
            discovered = true;
            for (HeadKindPlugin plugin : ServiceLoader.load(HeadKindPlugin.class)) {
                add(plugin);
            }
        }
    }

    private static void add(HeadKindPlugin plugin) {
        HeadKind kind = plugin.kind();
        if (kind.builtIn()) {
            throw new IllegalArgumentException(
                    plugin.getClass().getName() + " adds the built-in head kind " + kind);
        }
        HeadKindPlugin known = BY_NAME.get(kind.name());
        if (known != null && known.getClass() != plugin.getClass()) {
            throw new IllegalArgumentException(
                    "the head kind "
                            + kind
                            + " is added by "
                            + known.getClass().getName()
                            + " already; "
                            + plugin.getClass().getName()
                            + " cannot add it too");
        }
        BY_NAME.putIfAbsent(kind.name(), plugin);
    }
}

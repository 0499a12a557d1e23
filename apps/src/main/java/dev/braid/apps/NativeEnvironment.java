package dev.braid.apps;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;

/**
 * Settings the native libraries read from this process's environment, set before they read them.
 * The JVM cannot change its own environment, so the C library's {@code setenv} is called directly;
 * off glibc the libraries keep their defaults.
 */
final class NativeEnvironment {

    /** c10's {@code void c10::initLogging()}: applies {@code TORCH_CPP_LOG_LEVEL}. */
    private static final String C10_INIT_LOGGING = "_ZN3c1011initLoggingEv";

    private NativeEnvironment() {}

    /**
     * Keeps the native libraries' own messages off standard error, unless the user set their
     * levels: they write there directly, not through a logger, and Braid's own messages already say
     * what went wrong. OpenCV drops messages below {@code OPENCV_LOG_LEVEL}, which it reads when it
     * first logs (its {@code imdecode_} errors repeat what Braid's message says). libtorch's c10
     * logging drops messages below {@code TORCH_CPP_LOG_LEVEL}, but only PyTorch's Python module
     * applies that variable; here c10's {@code initLogging} is called once libtorch is loaded. Its
     * warnings (a deprecation notice for {@code AutoNonVariableTypeMode} behind DJL's {@code
     * NDArray.set}, for one) say nothing to a user; errors still show.
     */
    static void quietLibraries() {
        setDefault("OPENCV_LOG_LEVEL", "FATAL");
        setDefault("TORCH_CPP_LOG_LEVEL", "ERROR");
        applyTorchLogLevel();
    }

    /** Applies a {@code TORCH_CPP_LOG_LEVEL} the user set, for {@code --verbose} runs. */
    static void userTorchLogLevel() {
        if (System.getenv("TORCH_CPP_LOG_LEVEL") != null) {
            applyTorchLogLevel();
        }
    }

    private static void applyTorchLogLevel() {
        Engine.getInstance(); // loads libc10
        try {
            NativeLibrary.getInstance("c10")
                    .getFunction(C10_INIT_LOGGING)
                    .invokeVoid(new Object[0]);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // another libtorch build: its warnings show
        }
    }

    /**
     * Sets {@code name} to {@code value} unless the user set it (as they would to see OpenCV's
     * debug output, or to make OpenMP threads spin).
     */
    static void setDefault(String name, String value) {
        if (System.getenv(name) != null) {
            return;
        }
        try {
            NativeLibrary.getInstance("c")
                    .getFunction("setenv")
                    .invokeInt(new Object[] {name, value, 0});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // not a glibc system: keep the library's default
        }
    }
}

package dev.braid.tensor.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A garbage collection that really frees unreachable direct buffers, for tests that check that
 * nothing native still reads a buffer Java has let go of.
 */
public final class ForcedCollection {

    private ForcedCollection() {}

    /** Collects, waits for the buffers' cleaner, and hands the freed memory out again. */
    public static void now() throws InterruptedException {
        System.gc();
        Thread.sleep(20); // the cleaner runs on its own thread
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            reuse.add(ByteBuffer.allocateDirect(4).putFloat(0, 1e30f));
        }
    }
}

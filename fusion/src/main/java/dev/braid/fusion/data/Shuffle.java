package dev.braid.fusion.data;

import java.util.List;
import java.util.SplittableRandom;

/** Fisher–Yates shuffling, drawing only from the generator given. */
final class Shuffle {

    private Shuffle() {}

    /** Shuffles {@code list} in place. */
    static <T> void inPlace(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}

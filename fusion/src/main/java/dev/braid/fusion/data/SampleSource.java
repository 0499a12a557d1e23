package dev.braid.fusion.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a {@link BatchLoader} draws from: the samples of each epoch, in order, as a pure function of
 * (seed, epoch), so an epoch can be replayed or resumed in the middle. One split of one dataset
 * ({@link #of}) or a weighted {@link DatasetMix}.
 */
public interface SampleSource {

    /** The number of samples in every epoch. */
    int epochSize();

    /**
     * The samples of epoch {@code epoch}, {@link #epochSize()} of them.
     *
     * @param seed the run's seed
     * @param epoch the epoch number, from 0
     */
    List<Sample> epoch(long seed, int epoch);

    /**
     * The rows {@code entries} (dataset index 0), in manifest order or shuffled each epoch.
     *
     * @throws IllegalArgumentException if {@code entries} is empty
     */
    static SampleSource of(List<ManifestEntry> entries, Order order) {
        List<Sample> samples = entries.stream().map(e -> new Sample(0, e)).toList();
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("entries must not be empty");
        }
        return new SampleSource() {
            @Override
            public int epochSize() {
                return samples.size();
            }

            @Override
            public List<Sample> epoch(long seed, int epoch) {
                if (order == Order.SEQUENTIAL) {
                    return samples;
                }
                List<Sample> out = new ArrayList<>(samples);
                // position -1: a stream of its own, apart from the samples' augmentation seeds
                Shuffle.inPlace(
                        out, new SplittableRandom(FeatureExtractor.sampleSeed(seed, epoch, -1)));
                return out;
            }
        };
    }
}

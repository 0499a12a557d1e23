package dev.braid.fusion.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Several datasets in one run, each drawn with a sampling weight. An epoch of N samples draws each
 * sample's dataset with probability {@code weight / sum(weights)} from a generator seeded by (seed,
 * epoch), then takes that dataset's next row from a shuffled pool; a pool used up is reshuffled, so
 * within a dataset rows repeat only after all were drawn. The datasets may have different
 * modalities and heads: a sample only has targets for the heads its row labels.
 */
public final class DatasetMix implements SampleSource {

    /**
     * One dataset and its weight.
     *
     * @param dataset the dataset
     * @param weight its relative sampling weight, positive and finite
     */
    public record Part(Dataset dataset, double weight) {
        /** Checks the weight. */
        public Part {
            Objects.requireNonNull(dataset, "dataset");
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException(
                        "weight ("
                                + weight
                                + ") of dataset '"
                                + dataset.name()
                                + "' must be positive and finite");
            }
        }
    }

    private final List<Part> parts;
    private final List<List<Sample>> pools;
    private final double[] cumulative;
    private final int epochSize;

    /**
     * A mix of the {@code split} rows of {@code parts}.
     *
     * @param parts the datasets and weights; the dataset index of a sample is its part's position
     * @param split which rows of each dataset are drawn
     * @param epochSize samples per epoch, positive
     * @throws IllegalArgumentException if {@code parts} is empty, a dataset has no {@code split}
     *     rows, or {@code epochSize} is not positive
     */
    public DatasetMix(List<Part> parts, Split split, int epochSize) {
        this.parts = List.copyOf(parts);
        if (this.parts.isEmpty()) {
            throw new IllegalArgumentException("parts must not be empty");
        }
        if (epochSize < 1) {
            throw new IllegalArgumentException("epochSize (" + epochSize + ") must be positive");
        }
        this.epochSize = epochSize;
        this.pools = new ArrayList<>();
        this.cumulative = new double[this.parts.size()];
        double total = 0;
        for (int d = 0; d < this.parts.size(); d++) {
            Part part = this.parts.get(d);
            int index = d;
            List<Sample> rows =
                    part.dataset().entries(split).stream().map(e -> new Sample(index, e)).toList();
            if (rows.isEmpty()) {
                throw new IllegalArgumentException(
                        "dataset '"
                                + part.dataset().name()
                                + "' has no "
                                + split.manifestValue()
                                + " rows to mix");
            }
            pools.add(rows);
            total += part.weight();
            cumulative[d] = total;
        }
    }

    /** A mix whose epoch has as many samples as the datasets' {@code split} rows together. */
    public static DatasetMix of(List<Part> parts, Split split) {
        int size = 0;
        for (Part part : parts) {
            size += part.dataset().entries(split).size();
        }
        return new DatasetMix(parts, split, Math.max(size, 1));
    }

    /** The parts, in dataset-index order. */
    public List<Part> parts() {
        return parts;
    }

    /** The datasets, in dataset-index order. */
    public List<Dataset> datasets() {
        return parts.stream().map(Part::dataset).toList();
    }

    @Override
    public int epochSize() {
        return epochSize;
    }

    @Override
    public List<Sample> epoch(long seed, int epoch) {
        SplittableRandom random =
                new SplittableRandom(FeatureExtractor.sampleSeed(seed, epoch, -2));
        List<List<Sample>> shuffled = new ArrayList<>();
        int[] next = new int[pools.size()];
        for (List<Sample> pool : pools) {
            List<Sample> copy = new ArrayList<>(pool);
            Shuffle.inPlace(copy, random);
            shuffled.add(copy);
        }
        double total = cumulative[cumulative.length - 1];
        List<Sample> out = new ArrayList<>(epochSize);
        for (int i = 0; i < epochSize; i++) {
            int d = pick(random.nextDouble() * total);
            List<Sample> pool = shuffled.get(d);
            if (next[d] == pool.size()) {
                Shuffle.inPlace(pool, random);
                next[d] = 0;
            }
            out.add(pool.get(next[d]++));
        }
        return out;
    }

    private int pick(double u) {
        for (int d = 0; d < cumulative.length - 1; d++) {
            if (u < cumulative[d]) {
                return d;
            }
        }
        return cumulative.length - 1;
    }
}

package dev.braid.fusion.model;

import dev.braid.fusion.Modality;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Drops whole modalities from training samples, each with probability {@code rate}, so that the
 * model learns to use what it gets. A sample always keeps at least one of the modalities it has.
 */
public final class ModalityDropout {

    private final float rate;

    /**
     * @throws IllegalArgumentException if rate is not in [0, 1)
     */
    public ModalityDropout(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("modalityDropout (" + rate + ") must be in [0, 1)");
        }
        this.rate = rate;
    }

    /**
     * Decides, for each sample, which of its modalities to drop.
     *
     * @param present each sample's modalities
     * @param random the step's generator, derived from the run's seed and the step
     * @return per sample, the modalities to hide from the model
     */
    public List<Set<Modality>> choose(List<Set<Modality>> present, RandomGenerator random) {
        return present.stream()
                .map(
                        has -> {
                            Set<Modality> dropped = new TreeSet<>();
                            for (Modality m : has) {
                                if (random.nextFloat() < rate) {
                                    dropped.add(m);
                                }
                            }
                            if (!has.isEmpty() && dropped.containsAll(has)) {
                                List<Modality> kept = List.copyOf(has);
                                dropped.remove(kept.get(random.nextInt(kept.size())));
                            }
                            return (Set<Modality>) dropped;
                        })
                .toList();
    }
}

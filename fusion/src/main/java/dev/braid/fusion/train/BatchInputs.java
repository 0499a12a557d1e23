package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a collated {@link Batch} into a model's per-modality inputs, hiding dropped modalities. */
final class BatchInputs {

    private BatchInputs() {}

    /**
     * Creates the inputs of {@code modalities} in {@code manager}.
     *
     * @param dropped per sample, the modalities to hide (modality dropout); empty sets for none
     */
    static Map<Modality, NDList> of(
            Batch batch,
            List<Modality> modalities,
            List<Set<Modality>> dropped,
            NDManager manager) {
        Map<Modality, NDList> inputs = new EnumMap<>(Modality.class);
        for (Modality m : modalities) {
            NDList pair =
                    switch (m) {
                        case TEXT -> batch.text(manager);
                        case IMAGE -> batch.image(manager);
                        case AUDIO -> batch.audio(manager);
                    };
            inputs.put(m, hide(m, pair, dropped, manager));
        }
        return inputs;
    }

    private static NDList hide(
            Modality m, NDList pair, List<Set<Modality>> dropped, NDManager manager) {
        boolean[] keep = new boolean[dropped.size()];
        boolean any = false;
        for (int b = 0; b < keep.length; b++) {
            keep[b] = !dropped.get(b).contains(m);
            any |= !keep[b];
        }
        if (!any) {
            return pair;
        }
        NDArray kept = manager.create(keep, new Shape(keep.length)); // (B)
        return switch (m) {
            case TEXT -> new NDList(pair.get(0), pair.get(1).logicalAnd(kept.expandDims(1)));
            case IMAGE -> new NDList(pair.get(0), pair.get(1).logicalAnd(kept));
            case AUDIO ->
                    new NDList(pair.get(0), pair.get(1).mul(kept.toType(DataType.INT32, false)));
        };
    }
}

package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
        Map<Modality, NDList> inputs = new TreeMap<>();
        for (Modality m : modalities) {
            inputs.put(m, hide(m, batch.input(m, manager), dropped, manager));
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
        if (m.equals(Modality.AUDIO)) { // its last array is the lengths, int32 (B)
            return new NDList(pair.get(0), pair.get(1).mul(kept.toType(DataType.INT32, false)));
        }
        // every other modality ends with a boolean mask, (B) or (B, T)
        NDList hidden = pair.subNDList(0, pair.size() - 1);
        NDArray mask = pair.get(pair.size() - 1);
        hidden.add(mask.logicalAnd(mask.getShape().dimension() == 2 ? kept.expandDims(1) : kept));
        return hidden;
    }
}

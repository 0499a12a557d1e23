package dev.braid.spark;

import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.predict.FusionPredictor;
import java.io.Serializable;
import java.util.List;

/** What a transformer computes for a batch of rows that decoded: the values of its columns. */
interface BatchOutputs extends Serializable {

    /**
     * The added columns' values for each sample, in the order of the samples and of the
     * transformer's output fields, in Spark's external types (Scala {@code Seq} and {@code Map}).
     */
    List<Object[]> compute(FusionPredictor predictor, List<SampleFeatures> batch);
}

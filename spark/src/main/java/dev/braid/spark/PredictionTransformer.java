package dev.braid.spark;

import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.Prediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A Spark ML {@code Transformer} that adds a Braid model's predictions to a DataFrame: for each
 * head {@code h}, {@code h_prediction} (the label, as {@link Prediction.HeadPrediction#label()}),
 * {@code h_probability} (its probability, or the value of a regression head) and {@code
 * h_probabilities} (every class's), and the error column, null unless the row's input did not
 * decode. Answers equal {@link FusionPredictor#predict(java.util.Map)}'s for the same row.
 *
 * <pre>{@code
 * Dataset<Row> scored = new PredictionTransformer()
 *         .setModelDir("/shared/runs/support/model")
 *         .setDataDir("/shared/data/support")
 *         .transform(tickets);
 * }</pre>
 *
 * Saved and loaded with a pipeline ({@code PipelineModel.save}/{@code load}), or on its own with
 * {@code write().save(path)} and {@link #load}.
 */
public final class PredictionTransformer extends FusionTransformer {

    private static final long serialVersionUID = 1L;

    public PredictionTransformer() {
        this(Identifiable.randomUID("braidPredict"));
    }

    /** With a given uid: how a saved pipeline is read back. */
    public PredictionTransformer(String uid) {
        super(uid);
    }

    public static MLReader<PredictionTransformer> read() {
        return new DefaultParamsReadable<PredictionTransformer>() {}.read();
    }

    public static PredictionTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public PredictionTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    protected List<StructField> outputFields(ModelDirectory model) {
        List<StructField> fields = new ArrayList<>();
        for (String head : model.schema().heads().keySet()) {
            fields.add(
                    DataTypes.createStructField(head + "_prediction", DataTypes.StringType, true));
            fields.add(
                    DataTypes.createStructField(head + "_probability", DataTypes.DoubleType, true));
            fields.add(
                    DataTypes.createStructField(
                            head + "_probabilities",
                            DataTypes.createMapType(
                                    DataTypes.StringType, DataTypes.DoubleType, false),
                            true));
        }
        return fields;
    }

    @Override
    protected BatchOutputs outputs(ModelDirectory model) {
        List<String> heads = List.copyOf(model.schema().heads().keySet());
        return (FusionPredictor predictor, List<SampleFeatures> batch) -> {
            List<Object[]> rows = new ArrayList<>();
            for (Prediction p : predictor.predict(batch)) {
                Object[] cells = new Object[3 * heads.size()];
                for (int h = 0; h < heads.size(); h++) {
                    Prediction.HeadPrediction answer = p.heads().get(heads.get(h));
                    Map<String, Double> all = new LinkedHashMap<>();
                    answer.scores().forEach(s -> all.put(s.label(), s.probability()));
                    cells[3 * h] = answer.label();
                    cells[3 * h + 1] = answer.value();
                    cells[3 * h + 2] = CollectionConverters.asScala(all);
                }
                rows.add(cells);
            }
            return rows;
        };
    }
}

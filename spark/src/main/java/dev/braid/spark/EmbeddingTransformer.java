package dev.braid.spark;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.predict.Embedding;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A Spark ML {@code Transformer} that adds a Braid model's pooled embeddings to a DataFrame, for
 * search or clustering downstream: {@code fused_embedding} (what the heads read) and, for each
 * modality {@code m} the model reads, {@code m_embedding} (null where the row lacks it), each an
 * array of the fusion's width; and the error column, null unless the row's input did not decode.
 * Values equal {@link FusionPredictor#embed}'s for the same rows.
 */
public final class EmbeddingTransformer extends FusionTransformer {

    private static final long serialVersionUID = 1L;

    public EmbeddingTransformer() {
        this(Identifiable.randomUID("braidEmbed"));
    }

    /** With a given uid: how a saved pipeline is read back. */
    public EmbeddingTransformer(String uid) {
        super(uid);
    }

    public static MLReader<EmbeddingTransformer> read() {
        return new DefaultParamsReadable<EmbeddingTransformer>() {}.read();
    }

    public static EmbeddingTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public EmbeddingTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    protected List<StructField> outputFields(ModelDirectory model) {
        List<StructField> fields = new ArrayList<>();
        fields.add(field("fused_embedding"));
        for (Modality m : model.config().modalities()) {
            fields.add(field(m.field() + "_embedding"));
        }
        return fields;
    }

    private static StructField field(String name) {
        return DataTypes.createStructField(
                name, DataTypes.createArrayType(DataTypes.FloatType, false), true);
    }

    @Override
    protected BatchOutputs outputs(ModelDirectory model) {
        return (FusionPredictor predictor, List<SampleFeatures> batch) -> {
            List<Modality> reads = predictor.modalities(); // the order of outputFields
            List<Object[]> rows = new ArrayList<>();
            for (Embedding e : predictor.embed(batch)) {
                Object[] cells = new Object[1 + reads.size()];
                cells[0] = seq(e.fused());
                for (int m = 0; m < reads.size(); m++) {
                    float[] own = e.modalities().get(reads.get(m));
                    cells[1 + m] = own == null ? null : seq(own);
                }
                rows.add(cells);
            }
            return rows;
        };
    }

    private static Object seq(float[] values) {
        List<Float> boxed = new ArrayList<>(values.length);
        for (float v : values) {
            boxed.add(v);
        }
        return CollectionConverters.asScala(boxed).toSeq();
    }
}

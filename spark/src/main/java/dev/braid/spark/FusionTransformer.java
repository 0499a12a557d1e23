package dev.braid.spark;

import dev.braid.fusion.Modality;
import dev.braid.fusion.predict.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What Braid's Spark ML transformers share: the model, the input columns, the batch size, the error
 * column, saving with a pipeline, and {@link #transform}, which runs a {@link BatchedPartition} on
 * every partition. The model directory must be readable at the same path by the driver (for the
 * output schema) and every executor (a shared file system, or the same copy on every node).
 */
public abstract class FusionTransformer extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelDir;
    private final Param<String> dataDir;
    private final Param<String> textCol;
    private final Param<String> imageCol;
    private final Param<String> audioCol;
    private final Param<String> errorCol;
    private final IntParam batchSize;

    protected FusionTransformer(String uid) {
        this.uid = uid;
        modelDir =
                new Param<>(
                        this, "modelDir", "the Braid model directory (braid train's OUTPUT/model)");
        dataDir =
                new Param<>(
                        this,
                        "dataDir",
                        "the folder that relative image and audio paths start from (empty: the working directory)");
        textCol = new Param<>(this, "textCol", "the text column (string)");
        imageCol = new Param<>(this, "imageCol", "the image column: its bytes, or a path");
        audioCol = new Param<>(this, "audioCol", "the audio column: a WAV file's bytes, or a path");
        errorCol =
                new Param<>(
                        this,
                        "errorCol",
                        "the column naming the modality and the reason when a row's input does not decode");
        batchSize =
                new IntParam(this, "batchSize", "rows per forward pass", ParamValidators.gtEq(1));
        setDefault(dataDir, "");
        setDefault(textCol, "text");
        setDefault(imageCol, "image");
        setDefault(audioCol, "audio");
        setDefault(errorCol, "braid_error");
        setDefault(batchSize, 32);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelDir() {
        return modelDir;
    }

    public Param<String> dataDir() {
        return dataDir;
    }

    public Param<String> textCol() {
        return textCol;
    }

    public Param<String> imageCol() {
        return imageCol;
    }

    public Param<String> audioCol() {
        return audioCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public FusionTransformer setModelDir(String value) {
        set(modelDir, value);
        return this;
    }

    public FusionTransformer setDataDir(String value) {
        set(dataDir, value);
        return this;
    }

    public FusionTransformer setTextCol(String value) {
        set(textCol, value);
        return this;
    }

    public FusionTransformer setImageCol(String value) {
        set(imageCol, value);
        return this;
    }

    public FusionTransformer setAudioCol(String value) {
        set(audioCol, value);
        return this;
    }

    public FusionTransformer setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    public FusionTransformer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** The columns this transformer adds for {@code model}, before the error column. */
    protected abstract List<StructField> outputFields(ModelDirectory model);

    /** What computes those columns' values for a batch. */
    protected abstract BatchOutputs outputs(ModelDirectory model);

    @Override
    public StructType transformSchema(StructType schema) {
        ModelDirectory model = model();
        StructType out = schema;
        for (StructField field : outputFields(model)) {
            out = out.add(field);
        }
        out = out.add(getOrDefault(errorCol), DataTypes.StringType, true);
        List<String> names = Arrays.asList(schema.fieldNames());
        for (String added : Arrays.copyOfRange(out.fieldNames(), schema.size(), out.size())) {
            if (names.contains(added)) {
                throw new IllegalArgumentException(
                        "the DataFrame already has a column '" + added + "', which this adds");
            }
        }
        RowInputs inputs = inputs(schema);
        if (inputs.none()) {
            throw new IllegalArgumentException(
                    "the DataFrame has none of the input columns "
                            + columns()
                            + "; its columns are "
                            + names);
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        ModelDirectory model = model();
        BatchedPartition partition =
                new BatchedPartition(
                        getOrDefault(modelDir),
                        inputs(dataset.schema()),
                        (Integer) getOrDefault(batchSize),
                        outputFields(model).size(),
                        outputs(model));
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(partition);
        return dataset.sparkSession().createDataFrame(rows, out);
    }

    private RowInputs inputs(StructType schema) {
        return new RowInputs(schema, columns(), getOrDefault(dataDir));
    }

    private Map<Modality, String> columns() {
        Map<Modality, String> columns = new TreeMap<>();
        columns.put(Modality.TEXT, getOrDefault(textCol));
        columns.put(Modality.IMAGE, getOrDefault(imageCol));
        columns.put(Modality.AUDIO, getOrDefault(audioCol));
        return columns;
    }

    /** The model's description, read on the driver. */
    protected ModelDirectory model() {
        if (!isDefined(modelDir)) {
            throw new IllegalArgumentException("modelDir is not set: setModelDir(DIR)");
        }
        try {
            return ModelDirectory.read(Path.of(getOrDefault(modelDir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

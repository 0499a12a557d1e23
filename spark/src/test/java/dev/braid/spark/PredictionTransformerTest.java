package dev.braid.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.predict.Embedding;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionTransformerTest {

    @TempDir static Path dir;
    static SparkSession spark;
    static Path data;
    static Path model;
    static List<ManifestEntry> test;
    static FusionPredictor local;

    @BeforeAll
    static void trainAndStart() throws IOException {
        List<String> lines = new ArrayList<>(AvmnistSubset.lines("train", 64));
        lines.addAll(AvmnistSubset.lines("val", 16));
        lines.addAll(AvmnistSubset.lines("test", 40));
        data = dir.resolve("data");
        test = AvmnistSubset.write(data, lines).entries(Split.TEST);
        model = dir.resolve("model");
        AvmnistSubset.trainAndSave(
                dev.braid.fusion.data.Manifest.read(data), dir.resolve("run"), model, 4);
        local = FusionPredictor.load(model);
        spark = LocalSpark.start("PredictionTransformerTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        local.close();
    }

    /** The test rows as (id, image path, audio path), relative to the dataset folder. */
    private static Dataset<Row> byPath(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (ManifestEntry e : test) {
            rows.add(
                    RowFactory.create(
                            e.id(),
                            data.relativize(Path.of(e.inputs().get(Modality.IMAGE))).toString(),
                            data.relativize(Path.of(e.inputs().get(Modality.AUDIO))).toString()));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType)
                        .add("image", DataTypes.StringType)
                        .add("audio", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    private static Map<Modality, byte[]> inputs(ManifestEntry e) throws IOException {
        return Map.of(
                Modality.IMAGE, Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE))),
                Modality.AUDIO, Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO))));
    }

    private static ManifestEntry entry(String id) {
        return test.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    private static void assertSameAsLocal(Row row) throws IOException {
        Prediction.HeadPrediction expected =
                local.predict(inputs(entry(row.getAs("id")))).heads().get("label");
        assertEquals(expected.label(), row.getAs("label_prediction"), "label of " + row);
        assertEquals(expected.value(), (double) row.getAs("label_probability"), 1e-5);
        Map<String, Object> all = row.getJavaMap(row.fieldIndex("label_probabilities"));
        assertEquals(expected.scores().size(), all.size());
        for (Prediction.Scored s : expected.scores()) {
            assertEquals(s.probability(), (double) all.get(s.label()), 1e-5, s.label());
        }
        assertNull(row.getAs("braid_error"));
    }

    @Test
    void predictionsThroughSparkEqualTheLocalPredictors() throws IOException {
        PredictionTransformer predict = new PredictionTransformer();
        predict.setModelDir(model.toString()).setDataDir(data.toString()).setBatchSize(8);
        List<Row> rows = predict.transform(byPath(3)).collectAsList();
        assertEquals(test.size(), rows.size());
        for (Row row : rows) {
            assertSameAsLocal(row);
        }
    }

    @Test
    void aCorruptImageGivesAnErrorAndTheRestOfThePartitionIsPredicted() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ManifestEntry e = test.get(i);
            Map<Modality, byte[]> in = inputs(e);
            byte[] image = i == 5 ? "not a png at all".getBytes() : in.get(Modality.IMAGE);
            rows.add(RowFactory.create(e.id(), image, in.get(Modality.AUDIO)));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType)
                        .add("image", DataTypes.BinaryType)
                        .add("audio", DataTypes.BinaryType);
        Dataset<Row> frame = spark.createDataFrame(rows, schema).coalesce(1);
        PredictionTransformer predict = new PredictionTransformer();
        predict.setModelDir(model.toString()).setBatchSize(4);
        List<Row> out = predict.transform(frame).collectAsList();
        assertEquals(12, out.size());
        for (Row row : out) {
            if (row.getAs("id").equals(test.get(5).id())) {
                String error = row.getAs("braid_error");
                assertTrue(error.startsWith("image: "), error);
                assertNull(row.getAs("label_prediction"));
                assertNull(row.getAs("label_probabilities"));
            } else {
                assertSameAsLocal(row);
            }
        }
    }

    @Test
    void aMissingFileNamesTheModalityAndTheFile() {
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType)
                        .add("image", DataTypes.StringType)
                        .add("audio", DataTypes.StringType);
        Dataset<Row> frame =
                spark.createDataFrame(
                        List.of(RowFactory.create("x", "images/none.png", null)), schema);
        PredictionTransformer predict = new PredictionTransformer();
        predict.setModelDir(model.toString()).setDataDir(data.toString());
        Row row = predict.transform(frame).first();
        String error = row.getAs("braid_error");
        assertTrue(error.startsWith("image: no such file ") && error.contains("none.png"), error);
    }

    @Test
    void thePipelineSavesAndLoads() throws IOException {
        PredictionTransformer predict = new PredictionTransformer();
        predict.setModelDir(model.toString()).setDataDir(data.toString()).setBatchSize(5);
        PipelineModel fitted =
                new Pipeline().setStages(new PipelineStage[] {predict}).fit(byPath(2));
        String saved = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        PredictionTransformer back = (PredictionTransformer) loaded.stages()[0];
        assertEquals(predict.uid(), back.uid());
        assertEquals(5, (int) back.getOrDefault(back.batchSize()));
        assertEquals(data.toString(), back.getOrDefault(back.dataDir()));
        for (Row row : loaded.transform(byPath(2)).collectAsList()) {
            assertSameAsLocal(row);
        }
    }

    @Test
    void embeddingsThroughSparkEqualTheLocalPredictors() throws IOException {
        EmbeddingTransformer embed = new EmbeddingTransformer();
        embed.setModelDir(model.toString()).setDataDir(data.toString()).setBatchSize(8);
        List<Row> rows = embed.transform(byPath(2)).collectAsList();
        assertEquals(test.size(), rows.size());
        for (Row row : rows) {
            ManifestEntry e = entry(row.getAs("id"));
            Embedding expected = local.embed(List.of(local.features(inputs(e)))).get(0);
            assertArrayEquals(expected.fused(), floats(row, "fused_embedding"), 1e-5f);
            assertArrayEquals(
                    expected.modalities().get(Modality.IMAGE),
                    floats(row, "image_embedding"),
                    1e-5f);
            assertArrayEquals(
                    expected.modalities().get(Modality.AUDIO),
                    floats(row, "audio_embedding"),
                    1e-5f);
            assertEquals(32, expected.fused().length);
        }
        Row imageOnly = embed.transform(byPath(1).drop("audio")).collectAsList().get(0);
        assertNull(imageOnly.getAs("audio_embedding"));
        assertNotNull(imageOnly.getAs("image_embedding"));
    }

    private static float[] floats(Row row, String column) {
        List<Object> values = row.getList(row.fieldIndex(column));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) values.get(i);
        }
        return out;
    }
}

package dev.braid.spark;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.predict.FusionPredictor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Runs a transformer over one partition, {@code batchSize} rows at a time, as rows are pulled: each
 * row's inputs are read and preprocessed on their own, so a row that does not decode gets null in
 * the added columns and its reason in the error column ({@code "image: could not be decoded:
 * ..."}), and the rows that do are computed together in one forward pass.
 */
final class BatchedPartition implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    private final String modelDir;
    private final RowInputs inputs;
    private final int batchSize;
    private final int width;
    private final BatchOutputs outputs;

    /**
     * @param width how many columns {@code outputs} adds (the error column comes after them)
     */
    BatchedPartition(
            String modelDir, RowInputs inputs, int batchSize, int width, BatchOutputs outputs) {
        this.modelDir = modelDir;
        this.inputs = inputs;
        this.batchSize = batchSize;
        this.width = width;
        this.outputs = outputs;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        FusionPredictor predictor = ExecutorPredictors.of(modelDir);
        return new Iterator<>() {
            private Iterator<Row> done = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!done.hasNext() && rows.hasNext()) {
                    done = compute(predictor, rows).iterator();
                }
                return done.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return done.next();
            }
        };
    }

    private List<Row> compute(FusionPredictor predictor, Iterator<Row> rows) {
        List<Row> batch = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<SampleFeatures> good = new ArrayList<>();
        while (batch.size() < batchSize && rows.hasNext()) {
            Row row = rows.next();
            batch.add(row);
            try {
                Map<Modality, byte[]> raw = inputs.read(row);
                good.add(predictor.features(raw));
                errors.add(null);
            } catch (IllegalArgumentException e) { // UnreadableInputException names the modality
                errors.add(e.getMessage());
            }
        }
        List<Object[]> values = good.isEmpty() ? List.of() : outputs.compute(predictor, good);
        List<Row> out = new ArrayList<>(batch.size());
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            Object[] cells = new Object[row.length() + width + 1];
            for (int c = 0; c < row.length(); c++) {
                cells[c] = row.get(c);
            }
            if (errors.get(i) == null) {
                System.arraycopy(values.get(next++), 0, cells, row.length(), width);
            } else {
                cells[cells.length - 1] = errors.get(i);
            }
            out.add(RowFactory.create(cells));
        }
        return out;
    }
}

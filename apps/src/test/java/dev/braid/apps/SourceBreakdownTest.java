package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.apps.support.TinySupportModel;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.predict.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceBreakdownTest {

    @Test
    void theGroupsOfATaskPartitionTheTestSetAndAverageToItsAccuracy() throws Exception {
        Path model = TinySupportModel.model();
        Dataset data = Manifest.read(ShippedDatasetTest.repoRoot().resolve("data/support"));
        List<String> tasks = List.of("intent", "product", "urgency");
        List<SourceBreakdown.Row> rows =
                SourceBreakdown.measure(data, Map.of("tiny", model), tasks);
        int testSize = data.entries(Split.TEST).size();
        for (String task : tasks) {
            List<SourceBreakdown.Row> ofTask =
                    rows.stream().filter(r -> r.task().equals(task)).toList();
            assertEquals(SourceBreakdown.ALL, ofTask.get(0).statedIn());
            assertEquals(testSize, ofTask.get(0).tickets());
            int tickets = 0;
            double correct = 0;
            for (SourceBreakdown.Row r : ofTask.subList(1, ofTask.size())) {
                tickets += r.tickets();
                correct += r.tickets() * r.accuracy().get("tiny");
                assertTrue(r.statedIn().matches("(text|photo|voice) only|several|nowhere"));
            }
            assertEquals(testSize, tickets, task + ": every test ticket in one group");
            assertEquals(ofTask.get(0).accuracy().get("tiny"), correct / testSize, 1e-9, task);
        }
        double overall =
                ModelDirectory.read(model)
                        .provenance()
                        .path("testMetrics")
                        .path("intent/accuracy")
                        .asDouble(Double.NaN);
        assertEquals(overall, rows.get(0).accuracy().get("tiny"), 1e-9, "same as the run's test");
        String table = SourceBreakdown.format(rows, List.of("tiny"));
        assertTrue(table.contains("voice only"), table);
    }
}

package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A ticket predicted in a batch gets the answer it gets alone: same labels, probabilities equal to
 * float rounding, whatever its batch-mates carry (longer texts, longer voice notes, modalities it
 * lacks).
 */
class BatchedPredictionTest {

    /** Float32 rounding of a 64-wide model, well below the 3 decimals the page shows. */
    static final double TOLERANCE = 1e-5;

    @Test
    void aBatchAnswersEachTicketAsItIsAnsweredAlone() throws Exception {
        try (FusionPredictor predictor = FusionPredictor.load(TinySupportModel.model())) {
            SplittableRandom random = new SplittableRandom(18);
            List<SampleFeatures> samples = new ArrayList<>();
            for (ManifestEntry e : SupportTickets.test().subList(0, 24)) {
                Map<Modality, byte[]> inputs = new TreeMap<>();
                for (Modality m : e.inputs().keySet()) {
                    // drop a modality now and then, keeping at least one
                    if (inputs.isEmpty() || random.nextInt(3) > 0) {
                        inputs.put(
                                m,
                                m.equals(Modality.TEXT)
                                        ? e.inputs().get(m).getBytes(StandardCharsets.UTF_8)
                                        : SupportTickets.bytes(e, m));
                    }
                }
                samples.add(predictor.features(inputs));
            }
            List<Prediction> batched = predictor.predict(samples);
            double worst = 0;
            for (int i = 0; i < samples.size(); i++) {
                Prediction alone = predictor.predict(List.of(samples.get(i))).get(0);
                for (String head : alone.heads().keySet()) {
                    Prediction.HeadPrediction a = alone.heads().get(head);
                    Prediction.HeadPrediction b = batched.get(i).heads().get(head);
                    assertEquals(a.label(), b.label(), "ticket " + i + ", head " + head);
                    Map<String, Double> byLabel = new TreeMap<>();
                    b.scores().forEach(s -> byLabel.put(s.label(), s.probability()));
                    for (Prediction.Scored s : a.scores()) {
                        worst = Math.max(worst, Math.abs(s.probability() - byLabel.get(s.label())));
                    }
                }
            }
            System.out.printf("batched vs alone: largest probability difference %.3g%n", worst);
            assertTrue(worst <= TOLERANCE, "largest difference " + worst);
        }
    }
}

package dev.braid.apps.support;

import java.util.List;
import java.util.Map;

/**
 * What the app answers for one ticket; the JSON body of {@code POST /api/tickets}.
 *
 * @param intent the department the ticket goes to
 * @param product the product it is about
 * @param urgency low, normal or high
 * @param reply the suggested reply: the intent's template filled with the product and urgency
 * @param language the reply's language ({@code en} or {@code zh}), the message's language
 * @param inputs the parts the model read ({@code text}, {@code image}, {@code audio})
 * @param latencyMs time spent decoding and predicting, in milliseconds
 */
public record RoutedTicket(
        Decision intent,
        Decision product,
        Decision urgency,
        String reply,
        String language,
        List<String> inputs,
        double latencyMs) {

    /**
     * One head's answer.
     *
     * @param label the most likely class
     * @param probability its probability
     * @param probabilities every class's probability, most likely first
     */
    public record Decision(String label, double probability, Map<String, Double> probabilities) {}
}

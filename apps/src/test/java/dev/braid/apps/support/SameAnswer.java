package dev.braid.apps.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether two answers of {@code POST /api/tickets} are the same answer: the same labels, reply and
 * inputs, and probabilities equal up to float rounding (a ticket batched with others is computed in
 * another summation order than alone). The latency and the stored ticket's id are not compared.
 */
final class SameAnswer {

    static final ObjectMapper JSON = new ObjectMapper();

    private SameAnswer() {}

    /** The answer without what differs from call to call. */
    static JsonNode of(String body) {
        try {
            ObjectNode answer = (ObjectNode) JSON.readTree(body);
            answer.remove("latencyMs");
            answer.remove("ticketId");
            return answer;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean same(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return Math.abs(expected.asDouble() - actual.asDouble())
                    <= BatchedPredictionTest.TOLERANCE;
        }
        if (expected.isObject() && actual.isObject()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!actual.has(field.getKey())
                        || !same(field.getValue(), actual.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!same(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }
}

package dev.braid.apps.support.retrain;

import dev.braid.fusion.train.Evaluation;
import java.util.List;

/**
 * The before/after table {@code braid retrain} prints: accuracy per task on the original test split
 * and on the held-back corrections.
 *
 * <pre>
 * accuracy        test split (400)      held-back corrections (24)
 *                  before    after        before    after
 * intent            88.0%    87.8%         70.8%    79.2%
 * </pre>
 */
public final class RetrainTable {

    private RetrainTable() {}

    /** The table of {@code result}, lines ending in a newline. */
    public static String of(Retraining.Result result) {
        List<String> heads =
                CorrectionSet.HEADS.stream()
                        .filter(h -> result.testBefore().metrics().containsKey(h + "/accuracy"))
                        .toList();
        boolean held = result.heldBackBefore() != null;
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        "%-14s%-24s",
                        "accuracy", "test split (" + result.testBefore().samples() + ")"));
        if (held) {
            out.append("held-back corrections (")
                    .append(result.heldBackBefore().samples())
                    .append(')');
        }
        out.append('\n');
        out.append(String.format("%-14s%8s%9s       ", "", "before", "after"));
        if (held) {
            out.append(String.format("%8s%9s", "before", "after"));
        }
        out.append('\n');
        for (String head : heads) {
            String metric = head + "/accuracy";
            out.append(
                    String.format(
                            "%-14s%8s%9s       ",
                            head,
                            percent(result.testBefore(), metric),
                            percent(result.testAfter(), metric)));
            if (held) {
                out.append(
                        String.format(
                                "%8s%9s",
                                percent(result.heldBackBefore(), metric),
                                percent(result.heldBackAfter(), metric)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String percent(Evaluation e, String metric) {
        return String.format("%.1f%%", 100 * e.metric(metric));
    }
}

package dev.braid.fusion.data;

import java.util.List;

/**
 * A manifest is invalid. The message has one line per problem found (the first {@link
 * Manifest#MAX_ERRORS}, then how many more there are), each {@code /path/manifest.jsonl:LINE: field
 * 'FIELD': reason}.
 */
public final class ManifestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One problem: where it is and what is wrong. */
    public record Problem(String manifest, int line, String field, String reason) {
        @Override
        public String toString() {
            return manifest + ":" + line + ": field '" + field + "': " + reason;
        }
    }

    private final List<Problem> problems;

    /**
     * An exception listing {@code problems} (not empty), first one first; it keeps the first {@link
     * Manifest#MAX_ERRORS}.
     */
    public ManifestException(List<Problem> problems) {
        super(message(problems));
        this.problems =
                List.copyOf(problems.subList(0, Math.min(problems.size(), Manifest.MAX_ERRORS)));
    }

    /** An exception for a problem with the manifest as a whole (missing, unreadable, empty). */
    public ManifestException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    private static String message(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems must not be empty");
        }
        int shown = Math.min(problems.size(), Manifest.MAX_ERRORS);
        StringBuilder out = new StringBuilder(problems.get(0).toString());
        for (Problem p : problems.subList(1, shown)) {
            out.append('\n').append(p);
        }
        if (problems.size() > shown) {
            out.append("\n... and ")
                    .append(problems.size() - shown)
                    .append(" more problems; braid inspect lists them all");
        }
        return out.toString();
    }

    /** The problems found, in line order; empty for a problem with the whole file. */
    public List<Problem> problems() {
        return problems;
    }
}

package dev.braid.fusion.data.inspect;

import dev.braid.fusion.data.ManifestEntry;

/**
 * One row with what reading its files found.
 *
 * @param entry the row
 * @param image its image file's facts; null if it has no image
 * @param audio its audio file's facts; null if it has no audio
 */
record RowFacts(ManifestEntry entry, FileFacts image, FileFacts audio) {

    /** Where the row is, for reports: {@code id (file:line)}. */
    String where() {
        return entry.id() + " (" + entry.location() + ")";
    }
}

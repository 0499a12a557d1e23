package dev.braid.fusion.data.layout;

import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestException;
import java.util.List;

/**
 * What a layout made of its files: the rows, as a manifest would hold them, and the problems that
 * kept a file or a column from becoming part of a row.
 *
 * @param rows the rows, in the layout's order
 * @param problems the problems, each naming its file (and line)
 */
record LayoutRows(List<Manifest.SourceRow> rows, List<ManifestException.Problem> problems) {

    LayoutRows {
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }
}

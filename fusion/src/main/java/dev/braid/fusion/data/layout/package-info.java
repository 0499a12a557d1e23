/**
 * The dataset layouts Braid reads besides a {@code manifest.jsonl}: a CSV or TSV table ({@link
 * CsvTable}) and a folder per class ({@link ClassFolders}). Each becomes the rows a manifest would
 * hold, checked by the same code ({@code Manifest.check}); rows without a split get one from {@link
 * StratifiedSplit}. {@link DatasetLayout} tells the three apart.
 */
package dev.braid.fusion.data.layout;

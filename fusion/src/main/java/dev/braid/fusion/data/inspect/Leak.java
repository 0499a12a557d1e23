package dev.braid.fusion.data.inspect;

import java.util.List;

/**
 * One file (by content) used in more than one split: a model tested on it has seen it in training.
 *
 * @param files the file's paths (one or more, if copies were made)
 * @param rows the rows using it, {@code split: id (file:line)}
 */
public record Leak(List<String> files, List<String> rows) {}

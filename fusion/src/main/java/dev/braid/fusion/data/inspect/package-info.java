/**
 * What is in a dataset, before training on it: {@link DatasetInspector} reads every row and file
 * once and reports, per split, the labels, the modalities, the images, the audio and the texts,
 * plus every problem, leakage between splits and duplicate rows ({@link DatasetInspection}); {@link
 * FeatureFit} derives from the training split the feature settings a run leaves out.
 */
package dev.braid.fusion.data.inspect;

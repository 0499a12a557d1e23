/**
 * Multimodal datasets on disk and their way into a training step.
 *
 * <p>A dataset is a folder with a {@code manifest.jsonl} ({@link Manifest} reads and validates it
 * into a {@link Dataset} of {@link ManifestEntry}s). {@link TaskSchema} derives the heads and
 * classes from the training rows; a head kind added from outside Braid is a {@link HeadKindPlugin}
 * ({@link HeadKindPlugins} registers it). {@link FeatureExtractor} turns one entry into {@link
 * SampleFeatures} (token ids, pixels, log-mel), optionally through a {@link FeatureCache}. A {@link
 * SampleSource} (one split, or a weighted {@link DatasetMix}) gives the order of an epoch, and
 * {@link BatchLoader} prepares {@link Batch}es (stacked by {@link Collator}) on worker threads, in
 * order, ahead of the training loop. A {@code Batch} is plain Java arrays; its {@code text}, {@code
 * image}, {@code audio} and {@link HeadTargets#toNDList} methods create the NDArrays in the step's
 * manager.
 */
package dev.braid.fusion.data;

/**
 * Throughput measurements for the vision module, run by hand; see {@link
 * dev.braid.vision.bench.VisionBenchmark}.
 */
package dev.braid.vision.bench;

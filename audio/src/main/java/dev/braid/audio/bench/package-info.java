/**
 * Throughput benchmarks for the audio module, run as programs (see {@link
 * dev.braid.audio.bench.AudioBenchmark}).
 */
package dev.braid.audio.bench;

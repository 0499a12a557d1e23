/** Measurements of the text module, run by hand: {@link dev.braid.text.bench.DecoderBenchmark}. */
package dev.braid.text.bench;

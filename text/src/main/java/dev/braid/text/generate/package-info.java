/**
 * Text generation with a {@link dev.braid.text.decoder.TransformerDecoder}: {@link
 * dev.braid.text.generate.Generator} decodes batches incrementally through the decoder's key/value
 * cache, greedily, by sampling or by beam search ({@link dev.braid.text.generate.Strategy}), as one
 * {@link dev.braid.text.generate.GenerationConfig} says. The logits of every step pass through a
 * chain of small {@link dev.braid.text.generate.LogitsProcessor}s (repetition penalty, no-repeat
 * n-gram, minimum length, temperature, top-k, top-p, min-p), each usable alone; a {@link
 * dev.braid.text.generate.TokenListener} streams the tokens as they are chosen.
 */
package dev.braid.text.generate;

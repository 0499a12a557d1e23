/**
 * Transformer building blocks, written once and shared: multi-head attention (self and cross, with
 * the {@link dev.braid.text.transformer.KeyValues} a decoder caches), additive attention biases
 * (padding, causal, prefix, ALiBi), rotary position embedding, feed-forward variants,
 * LayerNorm/RMSNorm placed Post-LN, Pre-LN or DeepNorm, the Transformer (encoder) layer and the
 * decoder layer. The text encoder and decoder are built from them, and the fusion module reuses
 * them.
 *
 * <p>Letters in shapes: B batch, T (or Tq, Tk) sequence length, D width, H heads, Dh = D/H head
 * width, F feed-forward hidden width.
 */
package dev.braid.text.transformer;

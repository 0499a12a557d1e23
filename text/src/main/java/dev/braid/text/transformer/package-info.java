/**
 * Transformer building blocks, written once and shared: multi-head attention (self and cross),
 * additive attention biases (padding, causal, prefix, ALiBi), rotary position embedding,
 * feed-forward variants, LayerNorm/RMSNorm and the Transformer layer. The text encoder is built
 * from them, and the fusion module reuses them.
 *
 * <p>Letters in shapes: B batch, T (or Tq, Tk) sequence length, D width, H heads, Dh = D/H head
 * width, F feed-forward hidden width.
 */
package dev.braid.text.transformer;

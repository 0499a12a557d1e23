/**
 * The Transformer decoder: token ids in, logits over the vocabulary out, through causal (or prefix)
 * self-attention, optional cross-attention over a memory {@code (tokens [B, S, D], mask [B, S])}
 * such as an encoder's or a fusion model's output, and an output projection tied to the token
 * embedding. {@link dev.braid.text.decoder.DecoderCache} holds the keys and values of incremental
 * decoding; {@link dev.braid.text.decoder.DecoderLoss} and {@link
 * dev.braid.text.decoder.TeacherForcing} train it.
 *
 * <p>Letters in shapes: B batch, T target length, S memory length, D width, V vocabulary size, H
 * heads, Dh = D/H.
 */
package dev.braid.text.decoder;

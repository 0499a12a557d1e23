/**
 * The Transformer text encoder: token ids and a mask in, {@code NDList(tokens [B, T, D], mask [B,
 * T])} out, the contract every Braid encoder keeps. Every variant (positions, norm, norm placement,
 * feed-forward, attention pattern) is one field of {@link
 * dev.braid.text.encoder.TextEncoderConfig}.
 */
package dev.braid.text.encoder;

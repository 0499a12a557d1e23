/**
 * Braid's text modality: tokenizers ({@link dev.braid.text.tokenize}), the Transformer building
 * blocks shared with fusion ({@link dev.braid.text.transformer}), the text encoder ({@link
 * dev.braid.text.encoder}), masked-language-model pre-training ({@link dev.braid.text.pretrain}),
 * the Transformer decoder and its training ({@link dev.braid.text.decoder}) and text generation
 * ({@link dev.braid.text.generate}).
 */
package dev.braid.text;

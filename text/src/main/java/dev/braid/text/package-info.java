/**
 * Braid's text modality: tokenizers ({@link dev.braid.text.tokenize}), the Transformer building
 * blocks shared with fusion ({@link dev.braid.text.transformer}), the text encoder ({@link
 * dev.braid.text.encoder}) and masked-language-model pre-training ({@link
 * dev.braid.text.pretrain}).
 */
package dev.braid.text;

/**
 * Text to token ids: a byte-level BPE tokenizer trained in Java, a wrapper for HuggingFace {@code
 * tokenizer.json} files, and batch encoding with truncation, padding and a mask.
 */
package dev.braid.text.tokenize;

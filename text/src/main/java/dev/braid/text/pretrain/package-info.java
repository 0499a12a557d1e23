/**
 * Masked-language-model pre-training of the text encoder on a user's unlabeled corpus, with the
 * output projection tied to the input embedding, and saving the pre-trained encoder for
 * fine-tuning.
 */
package dev.braid.text.pretrain;

/**
 * Pre-trained audio encoders on disk: {@link dev.braid.audio.pretrain.SavedAudioEncoder}, a
 * spectrogram encoder's configuration, weights and the features it was trained on, as speech
 * pre-training ({@code braid pretrain-audio}) leaves it for fine-tuning.
 */
package dev.braid.audio.pretrain;

/**
 * The audio encoder: {@link dev.braid.audio.encoder.SpectrogramEncoder}, a DJL block turning
 * log-mel spectrograms {@code (B, M, F)} and their lengths into time tokens {@code (B, T', D)} and
 * a mask {@code (B, T')}, configured by {@link dev.braid.audio.encoder.AudioEncoderConfig}.
 */
package dev.braid.audio.encoder;

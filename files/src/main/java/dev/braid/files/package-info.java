/**
 * File helpers every Braid module that writes files shares: {@link dev.braid.files.AtomicFile}
 * replaces a file so that a reader, or the run after a crash, sees the old content or the new,
 * never half of it.
 *
 * <p>A module of its own rather than a class in {@code tensor}: writing a file has nothing to do
 * with tensors, and {@code text}, {@code fusion} and {@code apps} all save files while {@code text}
 * may not depend on {@code fusion}. Here it sits below all of them with no dependency at all, not
 * even DJL, so any module (or a user's code) can take it without pulling in an engine.
 */
package dev.braid.files;

/**
 * How the {@code braid} command logs, the one place that sees Logback: Braid's own warnings on the
 * console, library and engine messages only with {@code --verbose}, and everything in a training
 * run's {@code braid.log}. The levels and the console's format are in {@code logback.xml}.
 */
package dev.braid.apps.logging;

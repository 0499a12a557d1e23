/**
 * The {@code braid} command line and Braid's example apps. No library module depends on this one.
 */
package dev.braid.apps;

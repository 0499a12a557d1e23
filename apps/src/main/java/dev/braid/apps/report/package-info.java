/**
 * The training report: {@link dev.braid.apps.report.HtmlReport} writes {@code report.html}, one
 * self-contained file with the loss and metric curves, the confusion matrix and per-class scores of
 * each classification head, and, for {@code demo}, the comparison and robustness tables, each both
 * as a table and as a picture (PNG charts drawn with JFreeChart, embedded as data URIs).
 *
 * <p>All JFreeChart types stay in this package.
 */
package dev.braid.apps.report;

/**
 * Retraining the customer-service model from the desk's corrections ({@code braid retrain}): the
 * corrected tickets read from the store, some held back, the serving model fine-tuned on the rest
 * mixed with its original training data, and the accuracy before and after.
 */
package dev.braid.apps.support.retrain;

/**
 * One training run as the command line describes it: a YAML {@link dev.braid.apps.run.RunConfig},
 * turned by {@link dev.braid.apps.run.TrainingRun} into datasets, a tokenizer, a model, a trained
 * model directory and a report.
 */
package dev.braid.apps.run;

/**
 * Fusion models: the cross-attention fusions (pairwise, plain or gated, and latent), baselines
 * (early, late, gated multimodal unit), task heads and losses, modality dropout, and {@link
 * dev.braid.fusion.model.FusionModel}, which joins the encoders, a fusion and the heads.
 *
 * <p>Every fusion reads, for each modality of the model in {@link dev.braid.fusion.Modality} order,
 * {@code tokens [B, L_m, D_m]} and {@code mask [B, L_m]}, and returns {@code NDList(vectors [B, K,
 * D], weights [B, K])}: K fused vectors and how much each counts. Heads apply to every vector and
 * average the results by the weights. K is 1 for latent, early and gated-unit fusion; for pairwise
 * (plain or gated) and late fusion the K vectors are one per modality, weighted by which modalities
 * a sample has.
 *
 * <p>Letters in shapes: B batch, L length, D width, M modalities, N latents, C classes.
 */
package dev.braid.fusion.model;

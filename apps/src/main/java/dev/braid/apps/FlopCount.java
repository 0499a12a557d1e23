package dev.braid.apps;

import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.FusionKind;
import dev.braid.vision.encoder.ImageEncoderConfig;

/**
 * An analytic count of the multiply-adds of the AV-MNIST model's forward pass (convolutions, linear
 * layers, attention products), each counted as 2 FLOPs. Elementwise work (norms, activations,
 * softmax) is left out, so the count is a lower bound; a training step is taken as 3× the forward
 * pass (backward ≈ 2× forward), the usual approximation.
 */
final class FlopCount {

    private FlopCount() {}

    /** FLOPs of one sample's forward pass through the image encoder, for an H×W input. */
    static double image(ImageEncoderConfig c, int height, int width) {
        double h = Math.ceil(height / (double) c.stemStride());
        double w = Math.ceil(width / (double) c.stemStride());
        double flops = 2 * h * w * c.inputChannels() * c.stemChannels() * 9;
        int in = c.stemChannels();
        for (int s = 0; s < c.stageChannels().size(); s++) {
            int out = c.stageChannels().get(s);
            if (s > 0) {
                h = Math.ceil(h / 2);
                w = Math.ceil(w / 2);
            }
            for (int b = 0; b < c.stageBlocks().get(s); b++) {
                int blockIn = b == 0 ? in : out;
                flops += 2 * h * w * 9 * (blockIn * out + out * out);
                if (blockIn != out || (b == 0 && s > 0)) {
                    flops += 2 * h * w * blockIn * out; // 1x1 shortcut
                }
            }
            in = out;
        }
        return flops + 2 * h * w * in * c.width(); // projection to D
    }

    /** FLOPs of one sample's forward pass through the audio encoder for M×F log-mels. */
    static double audio(AudioEncoderConfig c, int mels, int frames) {
        double m = mels;
        double f = frames;
        double flops = 0;
        int in = 1;
        for (int l = 0; l < c.convLayers(); l++) {
            m = Math.ceil(m / 2);
            f = Math.ceil(f / 2);
            flops += 2 * m * f * in * c.channels() * 9;
            in = c.channels();
        }
        flops += 2 * f * (in * m) * c.width();
        return flops + c.temporalBlocks() * 2 * f * c.width() * c.width() * c.temporalKernel();
    }

    /** FLOPs of one attention layer (projections, scores, mix, output, 4D feed-forward). */
    static double attentionLayer(int d, double queries, double keys) {
        double projections = 2 * queries * d * d + 2 * keys * d * 2 * d + 2 * queries * d * d;
        double products = 4 * queries * keys * d;
        double feedForward = 2 * 2 * queries * d * 4 * d;
        return projections + products + feedForward;
    }

    /** FLOPs of a fusion over modalities with these token counts and encoder widths. */
    static double fusion(FusionConfig c, double[] tokens, int[] widths) {
        int d = c.width();
        double flops = 0;
        for (int i = 0; i < tokens.length; i++) {
            flops += 2 * tokens[i] * widths[i] * d;
        }
        if (c.kind() == FusionKind.PAIRWISE || c.kind() == FusionKind.GATED) {
            for (int t = 0; t < tokens.length; t++) {
                for (int s = 0; s < tokens.length; s++) {
                    if (s != t) {
                        flops += attentionLayer(d, tokens[t], tokens[s]);
                    }
                }
                flops += c.layers() * attentionLayer(d, tokens[t], tokens[t]);
            }
        } else if (c.kind() == FusionKind.LATENT) {
            double all = 0;
            for (double t : tokens) {
                all += t;
            }
            flops +=
                    attentionLayer(d, c.latents(), all)
                            + c.layers() * attentionLayer(d, c.latents(), c.latents());
        }
        return flops;
    }
}

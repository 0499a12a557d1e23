package dev.braid.vision.image;

import java.util.List;

/**
 * The training augmentations applied to each image, in order; empty for evaluation.
 *
 * @param steps the augmentations; a {@link Augmentation.RandomResizedCrop}, if present, must be the
 *     first (it replaces the resize)
 */
public record ImageAugmentation(List<Augmentation> steps) {

    /** Copies the steps and checks a random resized crop, if any, comes first. */
    public ImageAugmentation {
        steps = List.copyOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i) instanceof Augmentation.RandomResizedCrop) {
                throw new IllegalArgumentException(
                        "RandomResizedCrop must be the first step, found at index " + i);
            }
        }
    }

    /** No augmentation. */
    public static ImageAugmentation none() {
        return new ImageAugmentation(List.of());
    }

    /** The given steps, in order. */
    public static ImageAugmentation of(Augmentation... steps) {
        return new ImageAugmentation(List.of(steps));
    }

    /**
     * A common recipe for photographs: random resized crop, flip, 10 degree rotation, 20%
     * brightness and contrast jitter, slight noise, and a 25% chance of an occlusion.
     */
    public static ImageAugmentation standard() {
        return of(
                Augmentation.RandomResizedCrop.standard(),
                new Augmentation.HorizontalFlip(0.5),
                new Augmentation.Rotation(10),
                new Augmentation.ColorJitter(0.2, 0.2),
                new Augmentation.GaussianNoise(0.02),
                new Augmentation.RandomErasing(0.25, 0.02, 0.2));
    }
}

package dev.braid.vision.image;

/**
 * One random training augmentation. Each draws its randomness only from the generator it is given,
 * so the same seed gives the same pixels. Strengths are on the 0..1 intensity scale.
 */
public sealed interface Augmentation {

    /**
     * Cuts a random window covering {@code minScale..maxScale} of the image area with an aspect
     * ratio (width / height) log-uniform in {@code minRatio..maxRatio}, and stretches it to the
     * output size. Replaces the resize step, so it must come first.
     */
    record RandomResizedCrop(double minScale, double maxScale, double minRatio, double maxRatio)
            implements Augmentation {

        /** Checks {@code 0 < minScale <= maxScale <= 1} and {@code 0 < minRatio <= maxRatio}. */
        public RandomResizedCrop {
            if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
                throw new IllegalArgumentException(
                        "minScale ("
                                + minScale
                                + ") and maxScale ("
                                + maxScale
                                + ") must satisfy 0 < minScale <= maxScale <= 1");
            }
            if (!(minRatio > 0 && minRatio <= maxRatio)) {
                throw new IllegalArgumentException(
                        "minRatio ("
                                + minRatio
                                + ") and maxRatio ("
                                + maxRatio
                                + ") must satisfy 0 < minRatio <= maxRatio");
            }
        }

        /** Scale 0.5..1, aspect ratio 3/4..4/3. */
        public static RandomResizedCrop standard() {
            return new RandomResizedCrop(0.5, 1.0, 3.0 / 4.0, 4.0 / 3.0);
        }
    }

    /** Mirrors the image left to right with the given probability. */
    record HorizontalFlip(double probability) implements Augmentation {

        /** Checks the probability is within 0..1. */
        public HorizontalFlip {
            checkProbability(probability);
        }
    }

    /**
     * Rotates about the centre by an angle uniform in {@code -maxDegrees..maxDegrees}; corners are
     * filled by reflecting the image.
     */
    record Rotation(double maxDegrees) implements Augmentation {

        /** Checks {@code 0 < maxDegrees <= 180}. */
        public Rotation {
            if (!(maxDegrees > 0 && maxDegrees <= 180)) {
                throw new IllegalArgumentException(
                        "maxDegrees (" + maxDegrees + ") must be within (0, 180]");
            }
        }
    }

    /**
     * Multiplies brightness by a factor uniform in {@code 1 +- brightness}, then scales contrast
     * about the image's mean by a factor uniform in {@code 1 +- contrast}.
     */
    record ColorJitter(double brightness, double contrast) implements Augmentation {

        /** Checks both strengths are within 0..1. */
        public ColorJitter {
            if (!(brightness >= 0 && brightness < 1)) {
                throw new IllegalArgumentException(
                        "brightness (" + brightness + ") must be within [0, 1)");
            }
            if (!(contrast >= 0 && contrast < 1)) {
                throw new IllegalArgumentException(
                        "contrast (" + contrast + ") must be within [0, 1)");
            }
        }
    }

    /** Adds independent Gaussian noise of standard deviation {@code std} to every sample. */
    record GaussianNoise(double std) implements Augmentation {

        /** Checks {@code 0 < std <= 1}. */
        public GaussianNoise {
            if (!(std > 0 && std <= 1)) {
                throw new IllegalArgumentException("std (" + std + ") must be within (0, 1]");
            }
        }
    }

    /**
     * With the given probability, paints one rectangle covering {@code minArea..maxArea} of the
     * image (aspect ratio 0.3..3.3) in a random solid colour — an occlusion.
     */
    record RandomErasing(double probability, double minArea, double maxArea)
            implements Augmentation {

        /** Checks the probability and {@code 0 < minArea <= maxArea < 1}. */
        public RandomErasing {
            checkProbability(probability);
            if (!(minArea > 0 && minArea <= maxArea && maxArea < 1)) {
                throw new IllegalArgumentException(
                        "minArea ("
                                + minArea
                                + ") and maxArea ("
                                + maxArea
                                + ") must satisfy 0 < minArea <= maxArea < 1");
            }
        }
    }

    private static void checkProbability(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(
                    "probability (" + probability + ") must be within [0, 1]");
        }
    }
}

package dev.braid.fusion.data.inspect;

import dev.braid.audio.features.LogMelConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.ByteLevelBpeTokenizer;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Derives feature settings from what a training split holds. The rules, each chosen so that the
 * shipped digits and tickets keep what their hand-written configurations say where it matters:
 *
 * <ul>
 *   <li>vocabulary: BPE merges every pair of tokens seen at least twice in the training texts, up
 *       to {@value #MAX_VOCABULARY} tokens; a vocabulary the run gives is kept;
 *   <li>text length: the 95th percentile of the training texts' lengths in tokens of that
 *       vocabulary, rounded up to a multiple of 8, between 8 and {@value #MAX_TEXT_LENGTH};
 *   <li>image size: the median shorter side of the training images, rounded down to a multiple of
 *       4, between 16 and {@value #MAX_IMAGE_SIZE} (image tokens, and attention's cost, grow with
 *       the square of the side);
 *   <li>image channels: colour (3) if at least {@value #COLOUR_SHARE_PERCENT}% of the training
 *       images show colour, gray (1) otherwise;
 *   <li>audio: the 95th percentile of the training clips' lengths, rounded up to half a second,
 *       between 0.5 and {@value #MAX_AUDIO_SECONDS} s, and the log-mel frames of that many seconds.
 * </ul>
 *
 * A modality the split does not have keeps Braid's default ({@link FeatureSettings#defaults()}).
 */
public final class FeatureFit {

    static final int MAX_VOCABULARY = 8000;
    static final int MAX_TEXT_LENGTH = 256;
    static final int MAX_IMAGE_SIZE = 64;
    static final int COLOUR_SHARE_PERCENT = 5;
    static final double MAX_AUDIO_SECONDS = 10;

    private final FittedFeatures features;
    private final Tokenizer tokenizer;

    private FeatureFit(FittedFeatures features, Tokenizer tokenizer) {
        this.features = features;
        this.tokenizer = tokenizer;
    }

    /** The settings. */
    public FittedFeatures features() {
        return features;
    }

    /** The tokenizer the text length was measured with. */
    Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Fits the settings to the training rows.
     *
     * @param train the training split's rows and their files' facts
     * @param givenVocabulary the vocabulary size the run gives, or 0 to derive it too
     */
    static FeatureFit of(List<RowFacts> train, int givenVocabulary) {
        FeatureSettings defaults = FeatureSettings.defaults();
        List<FeatureChoice> choices = new ArrayList<>();
        List<String> texts =
                train.stream()
                        .map(r -> r.entry().inputs().get(Modality.TEXT))
                        .filter(Objects::nonNull)
                        .toList();

        Tokenizer tokenizer;
        int vocabulary;
        if (givenVocabulary > 0) {
            vocabulary = givenVocabulary;
            tokenizer =
                    texts.isEmpty() ? ByteLevelBpeTokenizer.bytesOnly() : bpe(texts, vocabulary);
            choices.add(choice("vocabularySize", vocabulary, "given by the run"));
        } else if (texts.isEmpty()) {
            vocabulary = ByteLevelBpeTokenizer.bytesOnly().vocabularySize();
            tokenizer = ByteLevelBpeTokenizer.bytesOnly();
            choices.add(choice("vocabularySize", vocabulary, "no text in the training split"));
        } else {
            tokenizer = bpe(texts, MAX_VOCABULARY);
            vocabulary = tokenizer.vocabularySize();
            choices.add(
                    choice(
                            "vocabularySize",
                            vocabulary,
                            vocabulary < MAX_VOCABULARY
                                    ? "BPE merged every pair seen twice in "
                                            + texts.size()
                                            + " training texts"
                                    : "the cap; the training texts have more pairs seen twice"));
        }

        int textLength = defaults.textMaxLength();
        if (texts.isEmpty()) {
            choices.add(choice("textMaxLength", textLength, "no text in the training split"));
        } else {
            Distribution tokens = Distribution.of(TextProfile.tokenLengths(texts, tokenizer));
            textLength = clamp(roundUp(tokens.p95(), 8), 8, MAX_TEXT_LENGTH);
            choices.add(
                    choice(
                            "textMaxLength",
                            textLength,
                            String.format(
                                    "95%% of training texts are at most %.0f tokens (longest %.0f)",
                                    tokens.p95(), tokens.max())));
        }

        List<FileFacts> images =
                train.stream().map(RowFacts::image).filter(f -> f != null && f.readable()).toList();
        int imageSize = defaults.image().height();
        int channels = defaults.image().channels();
        if (images.isEmpty()) {
            choices.add(choice("imageSize", imageSize, "no readable image in the training split"));
            choices.add(
                    choice("imageChannels", channels, "no readable image in the training split"));
        } else {
            Distribution side =
                    Distribution.of(
                            images.stream()
                                    .map(
                                            f ->
                                                    Math.min(
                                                            f.image().header().width(),
                                                            f.image().header().height()))
                                    .toList());
            imageSize = clamp(4 * (int) (side.median() / 4), 16, MAX_IMAGE_SIZE);
            choices.add(
                    choice(
                            "imageSize",
                            imageSize,
                            String.format(
                                    "the median shorter side of %d training images is %.0f px%s",
                                    images.size(),
                                    side.median(),
                                    side.median() > MAX_IMAGE_SIZE ? "; capped" : "")));
            long colour = images.stream().filter(f -> f.image().colour()).count();
            channels = 100 * colour >= COLOUR_SHARE_PERCENT * images.size() ? 3 : 1;
            choices.add(
                    choice(
                            "imageChannels",
                            channels,
                            colour + " of " + images.size() + " training images show colour"));
        }

        List<FileFacts> clips =
                train.stream().map(RowFacts::audio).filter(f -> f != null && f.readable()).toList();
        double seconds = defaults.audioLoad().maxSeconds();
        int frames = defaults.audioMaxFrames();
        if (clips.isEmpty()) {
            choices.add(
                    choice("audioMaxSeconds", seconds, "no readable clip in the training split"));
            choices.add(choice("audioMaxFrames", frames, "no readable clip in the training split"));
        } else {
            Distribution length = Distribution.of(clips.stream().map(FileFacts::seconds).toList());
            seconds = Math.max(0.5, Math.min(MAX_AUDIO_SECONDS, Math.ceil(length.p95() * 2) / 2));
            choices.add(
                    choice(
                            "audioMaxSeconds",
                            seconds,
                            String.format(
                                    "95%% of %d training clips are at most %.2f s (longest %.2f s)",
                                    clips.size(), length.p95(), length.max())));
            LogMelConfig logMel = defaults.logMel();
            frames = (int) Math.round(seconds * logMel.sampleRate() / logMel.hop());
            choices.add(
                    choice(
                            "audioMaxFrames",
                            frames,
                            "the log-mel frames of "
                                    + seconds
                                    + " s ("
                                    + logMel.hop()
                                    + "-sample hop)"));
        }
        return new FeatureFit(
                new FittedFeatures(
                        textLength, vocabulary, imageSize, channels, seconds, frames, choices),
                tokenizer);
    }

    private static Tokenizer bpe(List<String> texts, int vocabulary) {
        return new BpeTrainer(new BpeTrainer.Config(vocabulary, 2)).train(texts);
    }

    private static FeatureChoice choice(String field, Object value, String reason) {
        return new FeatureChoice("features." + field, String.valueOf(value), reason);
    }

    private static int roundUp(double value, int multiple) {
        return multiple * (int) Math.ceil(value / multiple);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}

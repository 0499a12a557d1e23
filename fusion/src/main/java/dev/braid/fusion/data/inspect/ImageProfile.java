package dev.braid.fusion.data.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The images of one split.
 *
 * @param count rows with an image
 * @param formats how many of each format (PNG, JPEG, ...)
 * @param width the widths of the readable images, in pixels
 * @param height their heights
 * @param sizes how many of each size, {@code "96x96"}, the most common first (at most five)
 * @param storedChannels how many store {@code gray}, {@code gray+alpha}, {@code colour}, {@code
 *     colour+alpha}
 * @param colour how many show colour (not only gray levels, whatever they store)
 * @param unreadable each image that cannot be read or decoded: the file and why
 */
public record ImageProfile(
        int count,
        Map<String, Integer> formats,
        Distribution width,
        Distribution height,
        Map<String, Integer> sizes,
        Map<String, Integer> storedChannels,
        int colour,
        List<String> unreadable) {

    private static final String[] CHANNEL_NAMES = {
        "", "gray", "gray+alpha", "colour", "colour+alpha"
    };

    static ImageProfile of(List<FileFacts> images) {
        Map<String, Integer> formats = new TreeMap<>();
        Map<String, Integer> sizes = new TreeMap<>();
        Map<String, Integer> channels = new TreeMap<>();
        List<Long> widths = new ArrayList<>();
        List<Long> heights = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int colour = 0;
        for (FileFacts f : images) {
            if (!f.readable()) {
                unreadable.add(f.file() + ": " + f.error());
                continue;
            }
            formats.merge(f.image().header().format().name(), 1, Integer::sum);
            widths.add(f.image().header().width());
            heights.add(f.image().header().height());
            sizes.merge(
                    f.image().header().width() + "x" + f.image().header().height(),
                    1,
                    Integer::sum);
            channels.merge(CHANNEL_NAMES[f.image().storedChannels()], 1, Integer::sum);
            colour += f.image().colour() ? 1 : 0;
        }
        return new ImageProfile(
                images.size(),
                formats,
                Distribution.of(widths),
                Distribution.of(heights),
                Counts.mostCommon(sizes, 5),
                channels,
                colour,
                unreadable);
    }
}

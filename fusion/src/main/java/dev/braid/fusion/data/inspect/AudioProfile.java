package dev.braid.fusion.data.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audio clips of one split.
 *
 * @param count rows with a clip
 * @param seconds the lengths of the readable clips (a clip over {@value FileReading#MAX_SECONDS} s
 *     counts as that long)
 * @param sampleRates how many clips of each sample rate, {@code "16000 Hz"}
 * @param cap the seconds training reads of a clip
 * @param longerThanCap how many clips are longer than {@code cap} (training reads their start)
 * @param unreadable each clip that cannot be read or decoded: the file and why
 */
public record AudioProfile(
        int count,
        Distribution seconds,
        Map<String, Integer> sampleRates,
        double cap,
        int longerThanCap,
        List<String> unreadable) {

    static AudioProfile of(List<FileFacts> clips, double cap) {
        List<Double> seconds = new ArrayList<>();
        Map<String, Integer> rates = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        int longer = 0;
        for (FileFacts f : clips) {
            if (!f.readable()) {
                unreadable.add(f.file() + ": " + f.error());
                continue;
            }
            seconds.add(f.seconds());
            rates.merge(f.sampleRate() + " Hz", 1, Integer::sum);
            longer += f.seconds() > cap + 1e-9 ? 1 : 0;
        }
        return new AudioProfile(
                clips.size(), Distribution.of(seconds), rates, cap, longer, unreadable);
    }
}

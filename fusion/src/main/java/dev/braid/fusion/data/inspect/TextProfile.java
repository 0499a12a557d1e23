package dev.braid.fusion.data.inspect;

import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The texts of one split.
 *
 * @param count rows with a text
 * @param characters their lengths in characters (code points)
 * @param tokens their lengths in tokens of the tokenizer trained on the training split, {@code
 *     [CLS]} and {@code [SEP]} included
 * @param scripts how many texts are mostly in each script ({@code Latin}, {@code Han}, ...; {@code
 *     none} for a text without letters)
 * @param cap the tokens training keeps of a text
 * @param longerThanCap how many texts are longer than {@code cap} (training keeps their start)
 */
public record TextProfile(
        int count,
        Distribution characters,
        Distribution tokens,
        Map<String, Integer> scripts,
        int cap,
        int longerThanCap) {

    static TextProfile of(List<String> texts, Tokenizer tokenizer, int cap) {
        List<Integer> characters = new ArrayList<>();
        List<Integer> tokens = tokenLengths(texts, tokenizer);
        Map<String, Integer> scripts = new TreeMap<>();
        for (String text : texts) {
            characters.add(text.codePointCount(0, text.length()));
            scripts.merge(script(text), 1, Integer::sum);
        }
        int longer = (int) tokens.stream().filter(n -> n > cap).count();
        return new TextProfile(
                texts.size(),
                Distribution.of(characters),
                Distribution.of(tokens),
                scripts,
                cap,
                longer);
    }

    /** Each text's length in tokens of {@code tokenizer}, with {@code [CLS]} and {@code [SEP]}. */
    static List<Integer> tokenLengths(List<String> texts, Tokenizer tokenizer) {
        return texts.stream().map(t -> tokenizer.encode(t).length + 2).toList();
    }

    /**
     * The script most of the text's letters are in, {@code Latin}; {@code none} without letters.
     */
    private static String script(String text) {
        Map<Character.UnicodeScript, Integer> letters = new TreeMap<>();
        text.codePoints()
                .filter(Character::isLetter)
                .forEach(c -> letters.merge(Character.UnicodeScript.of(c), 1, Integer::sum));
        return letters.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(e -> title(e.getKey().name()))
                .orElse("none");
    }

    private static String title(String name) {
        String lower = name.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}

package dev.braid.text.tokenize;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises text (Unicode NFKC) and cuts it into the pieces that BPE merges never cross.
 *
 * <p>The pieces partition the normalised text exactly, so joining them gives it back: that is what
 * makes the tokenizer lossless. A piece is a run of letters (with a leading space, as GPT-2 does),
 * a run of digits, a run of other symbols (punctuation, emoji with their joiners and variation
 * selectors), a run of whitespace, or a single Han, Hiragana or Katakana character; with {@link
 * #split(String, boolean) single digits}, every digit is a piece of its own, with no space joined
 * to it (as LLaMA's tokenizer does), so a number is the same tokens wherever it is written and a
 * decoder can copy it digit by digit. CJK text has no spaces between words; cutting it per
 * character, as BERT does, keeps one unseen word from becoming one huge piece, while BPE still
 * learns each character as one token. Pieces longer than {@link #MAX_PIECE_CHARS} are cut, so a
 * text without spaces cannot make merging quadratic.
 */
final class PreTokenizer {

    static final int MAX_PIECE_CHARS = 64;

    private static final String CJK = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}";
    private static final Pattern PIECE = pieces(" ?\\p{N}+");
    private static final Pattern PIECE_SINGLE_DIGITS = pieces("\\p{N}");

    private static Pattern pieces(String digits) {
        return Pattern.compile(
                "["
                        + CJK
                        + "]"
                        + "| ?[\\p{L}\\p{M}&&[^"
                        + CJK
                        + "]]+"
                        + "|"
                        + digits
                        + "| ?[^\\s\\p{L}\\p{N}]+"
                        + "|\\s+(?!\\S)"
                        + "|\\s+");
    }

    private PreTokenizer() {}

    /**
     * Returns {@code text} in Unicode NFKC form: full-width forms, ligatures and the like folded.
     */
    static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC);
    }

    /** Cuts already normalised text into pieces whose concatenation is the text. */
    static List<String> split(String normalized) {
        return split(normalized, false);
    }

    /**
     * Cuts already normalised text into pieces whose concatenation is the text.
     *
     * @param singleDigits whether each digit is a piece of its own, rather than a run of digits
     *     with the space before it
     */
    static List<String> split(String normalized, boolean singleDigits) {
        List<String> pieces = new ArrayList<>();
        Matcher m = (singleDigits ? PIECE_SINGLE_DIGITS : PIECE).matcher(normalized);
        int end = 0;
        while (m.find()) {
            if (m.start() > end) {
                addCapped(pieces, normalized.substring(end, m.start()));
            }
            addCapped(pieces, m.group());
            end = m.end();
        }
        if (end < normalized.length()) {
            addCapped(pieces, normalized.substring(end));
        }
        return pieces;
    }

    private static void addCapped(List<String> pieces, String piece) {
        int start = 0;
        while (piece.length() - start > MAX_PIECE_CHARS) {
            int cut = start + MAX_PIECE_CHARS;
            if (Character.isLowSurrogate(piece.charAt(cut))) {
                cut--; // never split a surrogate pair
            }
            pieces.add(piece.substring(start, cut));
            start = cut;
        }
        pieces.add(piece.substring(start));
    }
}

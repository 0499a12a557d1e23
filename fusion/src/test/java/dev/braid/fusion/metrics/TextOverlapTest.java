package dev.braid.fusion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextOverlapTest {

    /**
     * By hand, orders 1..2: unigrams P 2/2, R 2/3; bigrams {ab} vs {ab, bc}: P 1, R 1/2; mean P 1,
     * R 7/12; F2 = 5 * 7/12 / (4 + 7/12) = 35/55.
     */
    @Test
    void chrFOfAHandWorkedPair() {
        assertEquals(
                100 * 35.0 / 55, TextOverlap.chrF(List.of("ab"), List.of("a b c"), 2, 2.0), 1e-9);
    }

    /**
     * "the cat sat on the mat" vs "the cat sat on a mat": clipped precisions 5/6, 3/5, 2/4, 1/3,
     * equal lengths so no brevity penalty: (1/12)^(1/4).
     */
    @Test
    void bleuOfAHandWorkedPair() {
        assertEquals(
                100 * Math.pow(1 / 12.0, 0.25),
                TextOverlap.bleu(
                        List.of("the cat sat on the mat"), List.of("the cat sat on a mat")),
                1e-9);
    }

    @Test
    void identicalTextsScoreHundredAndDisjointOnesZero() {
        List<String> texts = List.of("We will reply within one business day.", "已为您取消电脑的订单。");
        assertEquals(100, TextOverlap.chrF(texts, texts), 1e-9);
        assertEquals(100, TextOverlap.bleu(texts, texts), 1e-9);
        assertEquals(0, TextOverlap.chrF(List.of("xyz"), List.of("abc")), 1e-9);
        assertEquals(0, TextOverlap.bleu(List.of("xyz"), List.of("abc")), 1e-9);
    }

    @Test
    void chineseCharactersAndPunctuationAreWordsOfTheirOwn() {
        assertEquals(
                List.of("订", "单", "(", "order", "301749", ")", "."),
                TextOverlap.words("订单 (order 301749)."));
    }

    @Test
    void listsOfDifferentLengthsAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TextOverlap.chrF(List.of("a"), List.of("a", "b")));
    }
}

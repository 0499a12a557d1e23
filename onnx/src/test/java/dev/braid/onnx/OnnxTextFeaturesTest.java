package dev.braid.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.data.TextFeaturesSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ready-made models, run by ONNX Runtime: shapes, script choice, refusals. */
class OnnxTextFeaturesTest {

    private static OnnxTextFeatures bilingual;

    @BeforeAll
    static void open() throws IOException {
        bilingual = OnnxTextFeatures.named("bilingual");
    }

    @AfterAll
    static void close() {
        bilingual.close();
    }

    @Test
    void eachModelGivesOneVectorOfItsWidthPerToken() throws IOException {
        try (OnnxTextFeatures minilm = OnnxTextFeatures.named("minilm-en")) {
            assertEquals(384, minilm.width());
            float[][] v = minilm.vectors("my parcel is late", 64);
            assertEquals(6, v.length, "[CLS] my parcel is late [SEP]");
            for (float[] row : v) {
                assertEquals(384, row.length);
            }
            assertEquals(3, minilm.vectors("my parcel is late", 3).length, "truncated");
            assertTrue(Math.abs(v[1][0] - v[2][0]) > 0, "tokens differ");
        }
        assertEquals(384 + 512, bilingual.width(), "the Chinese model is 512 wide");
    }

    @Test
    void theSameTextGivesTheSameBitsWhatEverRanBefore() {
        float[][] first = bilingual.vectors("the screen is cracked", 64);
        bilingual.vectors("something else entirely, and longer than the first", 64);
        float[][] again = bilingual.vectors("the screen is cracked", 64);
        for (int t = 0; t < first.length; t++) {
            assertArrayEquals(first[t], again[t]);
        }
    }

    @Test
    void byScriptAMessageGoesToOneModelInItsOwnColumns() {
        float[][] english = bilingual.vectors("refund please", 64);
        float[][] chinese = bilingual.vectors("我要退款", 64);
        assertTrue(nonZero(english, 0, 384) && !nonZero(english, 384, 896));
        assertTrue(!nonZero(chinese, 0, 384) && nonZero(chinese, 384, 896));
    }

    @Test
    void concatenatedEveryModelReadsTheMessage() throws IOException {
        try (OnnxTextFeatures both = OnnxTextFeatures.named("bilingual-both");
                OnnxTextFeatures minilm = OnnxTextFeatures.named("minilm-en")) {
            float[][] v = both.vectors("refund", 64);
            int english = minilm.vectors("refund", 64).length;
            assertTrue(v.length > english);
            assertArrayEquals(minilm.vectors("refund", 64)[0], java.util.Arrays.copyOf(v[0], 384));
            assertTrue(nonZero(new float[][] {v[english]}, 384, 896));
        }
    }

    @Test
    void aRecordedSpecOpensTheSameModel() throws IOException {
        TextFeaturesSpec spec = bilingual.spec();
        try (TextFeatures reopened = spec.open()) {
            assertEquals(bilingual.cacheKey(), reopened.cacheKey());
            assertArrayEquals(bilingual.vectors("我要退款", 64)[1], reopened.vectors("我要退款", 64)[1]);
        }
    }

    @Test
    void aMissingModelFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.onnx");
        IOException e =
                assertThrows(IOException.class, () -> OnnxTextFeatures.named(missing.toString()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aCorruptModelFileIsNamed(@TempDir Path dir) throws IOException {
        Path corrupt = dir.resolve("corrupt.onnx");
        Files.write(corrupt, "not a protobuf at all".repeat(50).getBytes());
        Files.write(
                dir.resolve(OnnxTextFeatures.TOKENIZER_FILE), ReadyTextModel.MINILM_EN.tokenizer());
        IOException e =
                assertThrows(IOException.class, () -> OnnxTextFeatures.named(corrupt.toString()));
        assertTrue(e.getMessage().contains(corrupt.toString()), e.getMessage());
    }

    @Test
    void aModelFileWhoseBytesChangedIsRefusedByName(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("model.onnx");
        Files.write(onnx, ReadyTextModel.MINILM_EN.model());
        Files.write(
                dir.resolve(OnnxTextFeatures.TOKENIZER_FILE), ReadyTextModel.MINILM_EN.tokenizer());
        TextFeaturesSpec spec;
        try (OnnxTextFeatures file = OnnxTextFeatures.named(onnx.toString())) {
            assertEquals(384, file.width());
            spec = file.spec();
        }
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length - 1] ^= 1;
        Files.write(onnx, bytes);
        IOException e = assertThrows(IOException.class, spec::open);
        assertTrue(e.getMessage().contains(onnx.toString()) && e.getMessage().contains("SHA-256"));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OnnxTextFeatures.named("gpt-9"));
        assertTrue(e.getMessage().contains("minilm-en"), e.getMessage());
    }

    private static boolean nonZero(float[][] v, int from, int to) {
        for (float[] row : v) {
            for (int i = from; i < to; i++) {
                if (row[i] != 0) {
                    return true;
                }
            }
        }
        return false;
    }
}

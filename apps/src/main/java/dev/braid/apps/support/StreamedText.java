package dev.braid.apps.support;

import dev.braid.text.generate.TokenListener;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the tokens of one generated reply, as they are chosen, into pieces of text: after each
 * token the reply so far is decoded and what is new since the last piece is passed on. A byte-level
 * token may end inside a UTF-8 character (a Chinese one spans several); its half character decodes
 * to U+FFFD and is held back until the character is complete, so no piece holds a broken character.
 * The end token is not text. One reply (row 0) only.
 */
public final class StreamedText implements TokenListener {

    private final Tokenizer tokenizer;
    private final Consumer<String> pieces;
    private final List<Integer> tokens = new ArrayList<>();
    private String sent = "";

    /** Passes {@code pieces} the new text of each token {@code tokenizer} decodes. */
    public StreamedText(Tokenizer tokenizer, Consumer<String> pieces) {
        this.tokenizer = tokenizer;
        this.pieces = pieces;
    }

    @Override
    public void onToken(int row, int token) {
        if (row != 0 || token == tokenizer.specialTokens().sep()) {
            return;
        }
        tokens.add(token);
        String text = tokenizer.decode(tokens.stream().mapToInt(Integer::intValue).toArray());
        if (!text.endsWith("\uFFFD") && text.startsWith(sent) && text.length() > sent.length()) {
            pieces.accept(text.substring(sent.length()));
            sent = text;
        }
    }

    /** Sends whatever of {@code full} (the generator's final text) was not sent yet; returns it. */
    public String finish(String full) {
        if (full.startsWith(sent) && full.length() > sent.length()) {
            pieces.accept(full.substring(sent.length()));
            sent = full;
        }
        return full;
    }
}

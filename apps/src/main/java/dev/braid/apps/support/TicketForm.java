package dev.braid.apps.support;

import dev.braid.fusion.Modality;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the multipart form of {@code POST /api/tickets} into a {@link Ticket}: parts {@code text},
 * {@code image} and {@code audio}, each optional, at least one. Limits are enforced while the body
 * is parsed, and every part is held in memory: nothing a customer uploads touches the disk.
 *
 * <p>What a part contains is judged by decoding it later, never by its file name or declared
 * content type, so those are ignored here. An empty part counts as absent: a browser sends an empty
 * file part for a file input left blank.
 */
final class TicketForm {

    /** The part of each modality, named as {@link FusionTicketRouter#partName} names it. */
    static final List<String> PARTS =
            Stream.of(Modality.TEXT, Modality.IMAGE, Modality.AUDIO)
                    .map(FusionTicketRouter::partName)
                    .toList();

    /** The request attribute through which Jetty takes a multipart configuration. */
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    /**
     * Jetty spools a part to this directory only if it outgrows the in-memory threshold, which is
     * set above the part limit; the directory does not exist, so a spool would fail loudly rather
     * than leave a customer's photo on disk.
     */
    private static final String NO_SPOOL = "/nonexistent/braid-uploads-stay-in-memory";

    private final ServerSettings settings;

    TicketForm(ServerSettings settings) {
        this.settings = settings;
    }

    /**
     * Reads the ticket of one request.
     *
     * @throws RejectedRequest 415 if the body is not multipart, 413 if it or a part is too large,
     *     400 if a part is unknown, repeated or not valid text, or if no part is given
     */
    Ticket read(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new RejectedRequest(
                    415,
                    null,
                    "send multipart/form-data with the parts text, image and audio (got "
                            + (contentType == null ? "no content type" : contentType)
                            + ")");
        }
        long declared = request.getContentLengthLong();
        if (declared > settings.maxRequestBytes()) {
            throw new RejectedRequest(
                    413,
                    null,
                    "the request is "
                            + declared
                            + " bytes; at most "
                            + settings.maxRequestBytes()
                            + " are accepted");
        }
        // A body of declared length (within the request limit) is read to its end before a part
        // is judged too large: a server that answers and closes while the client is still sending
        // resets the connection, and the client sees the reset instead of the 413. A body of
        // unknown length (chunked) may never end, so Jetty stops it at the first byte over.
        long partLimit = declared >= 0 ? settings.maxRequestBytes() : settings.maxPartBytes();
        request.setAttribute(
                MULTIPART_CONFIG,
                new MultipartConfigElement(
                        NO_SPOOL,
                        partLimit,
                        settings.maxRequestBytes(),
                        (int) Math.min(Integer.MAX_VALUE, partLimit + 1)));
        Map<String, byte[]> parts = new HashMap<>();
        for (Part part : parts(request)) {
            String name = part.getName();
            if (!PARTS.contains(name)) {
                throw new RejectedRequest(
                        400, name, "unknown part '" + name + "'; the parts are " + PARTS);
            }
            if (parts.containsKey(name)) {
                throw new RejectedRequest(400, name, "the part '" + name + "' is given twice");
            }
            byte[] bytes;
            try (InputStream in = part.getInputStream()) {
                bytes = in.readAllBytes();
            }
            if (bytes.length > settings.maxPartBytes()) {
                throw new RejectedRequest(
                        413,
                        name,
                        "the part '"
                                + name
                                + "' is "
                                + bytes.length
                                + " bytes; at most "
                                + settings.maxPartBytes()
                                + " are accepted");
            }
            parts.put(name, bytes);
        }
        String text = text(parts.get("text"));
        byte[] image = nonEmpty(parts.get("image"));
        byte[] audio = nonEmpty(parts.get("audio"));
        if (text == null && image == null && audio == null) {
            throw new RejectedRequest(
                    400, null, "the ticket is empty: send at least one of the parts " + PARTS);
        }
        return new Ticket(text, image, audio);
    }

    private Collection<Part> parts(HttpServletRequest request) throws IOException {
        try {
            return request.getParts();
        } catch (IllegalStateException | ServletException | IOException e) {
            throw tooLargeOrMalformed(e);
        }
    }

    /**
     * Jetty fails the parse with an {@code IllegalStateException("max file size exceeded: N")} (or
     * "max length exceeded", or "Form is larger than max length" for plain fields) at the first
     * byte over a limit, wrapped in other exceptions; anything else is a malformed body.
     */
    private RejectedRequest tooLargeOrMalformed(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = String.valueOf(root.getMessage());
        if (root instanceof IllegalStateException && reason.startsWith("max ")
                || reason.contains("larger than max")) {
            return new RejectedRequest(
                    413,
                    null,
                    "a part is over "
                            + settings.maxPartBytes()
                            + " bytes, or the request over "
                            + settings.maxRequestBytes()
                            + " ("
                            + reason
                            + "); the rest of the request was not read");
        }
        return new RejectedRequest(400, null, "not a valid multipart body: " + reason);
    }

    private String text(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString()
                            .strip();
        } catch (CharacterCodingException e) {
            throw new RejectedRequest(400, "text", "the message is not valid UTF-8 text");
        }
        if (text.isEmpty()) {
            return null;
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > settings.maxTextChars()) {
            throw new RejectedRequest(
                    413,
                    "text",
                    "the message has "
                            + chars
                            + " characters; at most "
                            + settings.maxTextChars()
                            + " are accepted");
        }
        return text;
    }

    private static byte[] nonEmpty(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? null : bytes;
    }
}

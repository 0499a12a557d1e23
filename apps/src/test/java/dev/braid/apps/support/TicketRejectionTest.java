package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a ticket request can be wrong, and what the server answers. */
class TicketRejectionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long MAX_PART = 256 * 1024;
    static final int MAX_TEXT = 500;

    static ServedModel served;
    static HttpClient client;
    static URI tickets;

    @BeforeAll
    static void start() throws Exception {
        served =
                ServedModel.start(
                        new ServerSettings(
                                "127.0.0.1",
                                0,
                                MAX_PART,
                                MAX_TEXT,
                                java.time.Duration.ofSeconds(5)));
        client = served.client;
        tickets = served.uri("/api/tickets");
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    /** Posts the body and checks the status, the part named and a word of the reason. */
    static void rejected(MultipartBody body, int status, String part, String reason)
            throws Exception {
        HttpResponse<String> response = body.post(client, tickets);
        checkError(response, status, part, reason);
    }

    static void checkError(HttpResponse<String> response, int status, String part, String reason)
            throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(
                response.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("application/json"),
                "errors are JSON");
        JsonNode error = JSON.readTree(response.body());
        assertEquals(status, error.get("status").asInt());
        assertEquals(part, error.get("part").isNull() ? null : error.get("part").asText());
        assertTrue(
                error.get("error").asText().contains(reason),
                "'" + reason + "' in " + error.get("error"));
    }

    @Test
    void bytesThatAreNoImageAreRefusedNamingTheImagePart() throws Exception {
        rejected(
                new MultipartBody()
                        .text("text", "my phone is broken")
                        .file("image", "photo.png", "image/png", "not a png".getBytes()),
                400,
                "image",
                "could not be decoded");
    }

    @Test
    void aVoiceNoteSentAsThePhotoIsRefusedWhateverItsName() throws Exception {
        ManifestEntry entry = SupportTickets.complete();
        rejected(
                new MultipartBody()
                        .file(
                                "image",
                                "photo.png",
                                "image/png",
                                SupportTickets.bytes(entry, Modality.AUDIO)),
                400,
                "image",
                "could not be decoded");
    }

    @Test
    void bytesThatAreNoWavAreRefusedNamingTheAudioPart() throws Exception {
        ManifestEntry entry = SupportTickets.complete();
        rejected(
                new MultipartBody()
                        .file(
                                "audio",
                                "voice.wav",
                                "audio/wav",
                                SupportTickets.bytes(entry, Modality.IMAGE)),
                400,
                "audio",
                "could not be decoded");
        byte[] wav = SupportTickets.bytes(entry, Modality.AUDIO);
        rejected(
                new MultipartBody().file("audio", "voice.wav", "audio/wav", Arrays.copyOf(wav, 30)),
                400,
                "audio",
                "could not be decoded");
    }

    @Test
    void textThatIsNotUtf8IsRefused() throws Exception {
        rejected(
                new MultipartBody().part("text", null, null, new byte[] {'o', 'k', (byte) 0xC3}),
                400,
                "text",
                "UTF-8");
    }

    @Test
    void aMessageOverTheCharacterLimitGets413() throws Exception {
        rejected(new MultipartBody().text("text", "退".repeat(MAX_TEXT + 1)), 413, "text", "501");
        // A long message is refused by its length whatever its size in bytes: the message part
        // has the same byte limit as a photo (Jetty's own 200 kB cap on fields does not apply).
        rejected(new MultipartBody().text("text", "a".repeat(250_000)), 413, "text", "250000");
        HttpResponse<String> atLimit =
                new MultipartBody().text("text", "退".repeat(MAX_TEXT)).post(client, tickets);
        assertEquals(200, atLimit.statusCode(), atLimit.body());
    }

    @Test
    void unknownAndRepeatedPartsAreRefusedByName() throws Exception {
        rejected(new MultipartBody().text("photo", "x"), 400, "photo", "unknown part");
        rejected(new MultipartBody().text("text", "one").text("text", "two"), 400, "text", "twice");
    }

    @Test
    void anEmptyTicketIsRefused() throws Exception {
        rejected(new MultipartBody().text("text", "   "), 400, null, "at least one");
        rejected(
                new MultipartBody()
                        .file("image", "", "application/octet-stream", new byte[0])
                        .file("audio", "", "application/octet-stream", new byte[0]),
                400,
                null,
                "at least one");
    }

    @Test
    void aBodyThatIsNotMultipartGets415AndAMalformedOne400() throws Exception {
        HttpResponse<String> json =
                client.send(
                        HttpRequest.newBuilder(tickets)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        checkError(json, 415, null, "multipart/form-data");
        HttpResponse<String> garbage =
                client.send(
                        HttpRequest.newBuilder(tickets)
                                .header("Content-Type", MultipartBody.contentType())
                                .POST(HttpRequest.BodyPublishers.ofString("garbage"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        checkError(garbage, 400, null, "not a valid multipart body");
    }

    @Test
    void aDeleteOnTheApiIsNotAllowed() throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(tickets).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
    }

    @Test
    void aPartOverTheLimitGets413AndOneJustUnderIsReadInMemory() throws Exception {
        byte[] noise = new byte[(int) MAX_PART + 1];
        new Random(1).nextBytes(noise);
        rejected(
                new MultipartBody().file("image", "big.png", "image/png", noise),
                413,
                "image",
                "at most " + MAX_PART);
        // At the limit the part is taken (and kept in memory: the server has nowhere to spool
        // it), then judged by decoding.
        rejected(
                new MultipartBody()
                        .file(
                                "image",
                                "big.png",
                                "image/png",
                                Arrays.copyOf(noise, (int) MAX_PART)),
                400,
                "image",
                "could not be decoded");
    }

    @Test
    void aDeclaredLengthOverTheLimitGets413BeforeTheBodyIsSent() throws Exception {
        try (Socket socket = postHeaders("Content-Length: 1000000000")) {
            // Not one byte of the body is sent: the answer has to come without it.
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("\"status\":413"), response);
        }
    }

    @Test
    void aStreamedPartOverTheLimitGets413WithoutTheRestOfTheBody() throws Exception {
        try (Socket socket = postHeaders("Transfer-Encoding: chunked")) {
            String head =
                    "--"
                            + MultipartBody.BOUNDARY
                            + "\r\nContent-Disposition: form-data; name=\"image\";"
                            + " filename=\"x.png\"\r\n\r\n";
            byte[] chunk = new byte[(int) MAX_PART * 2];
            System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, chunk, 0, head.length());
            OutputStream out = socket.getOutputStream();
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes());
            out.write(chunk);
            out.write("\r\n".getBytes());
            out.flush();
            // The body is left unfinished (no closing boundary, no last chunk): a server that
            // read on would wait here, and the read below would time out.
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("max file size exceeded"), response);
        }
    }

    /** Opens a raw connection and sends the head of a multipart POST, with one more header. */
    private static Socket postHeaders(String header) throws Exception {
        Socket socket = new Socket("127.0.0.1", served.server.port());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(
                ("POST /api/tickets HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                + MultipartBody.contentType()
                                + "\r\n"
                                + header
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads the status line, the headers and the JSON body of one response. */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            seen.write(b);
            String text = seen.toString(StandardCharsets.UTF_8);
            if (text.contains("\r\n\r\n") && text.trim().endsWith("}")) {
                break;
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }
}

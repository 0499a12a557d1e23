package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid serve} as a user runs it: its own process, stopped by a signal. */
class ServeProcessTest {

    static final Pattern SERVING = Pattern.compile("Serving (http://\\S+/) ");

    @Test
    void servesUntilSigtermThenStopsCleanly(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Output goes to a file: a pipe read while the process exits can lose its last lines.
        Path log = dir.resolve("serve.log");
        Process braid =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "dev.braid.apps.Braid",
                                "serve",
                                "--model",
                                TinySupportModel.model().toString(),
                                "--port",
                                "0",
                                "--db",
                                "jdbc:sqlite:" + dir.resolve("desk.db"))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            URI page = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (page == null && braid.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                Matcher m = SERVING.matcher(Files.readString(log));
                if (m.find()) {
                    page = URI.create(m.group(1));
                }
            }
            assertNotNull(page, "no 'Serving' line in:\n" + Files.readString(log));
            HttpResponse<String> health =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(page.resolve("/health")).build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());

            // A photo under the minimum side is refused naming the flag that admits it.
            MultipartBody tiny =
                    new MultipartBody().file("image", "dot.png", "image/png", onePixelPng());
            HttpResponse<String> refused =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(page.resolve("/api/tickets"))
                                            .header("Content-Type", MultipartBody.contentType())
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofByteArray(
                                                            tiny.bytes()))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode());
            assertTrue(
                    refused.body()
                            .contains(
                                    "image is 1x1 pixels, smaller than the minimum side of 8"
                                            + " (lower --image-min-side to accept it)"),
                    refused.body());

            braid.destroy(); // SIGTERM, as Ctrl-C or a service manager would
            assertTrue(braid.waitFor(30, TimeUnit.SECONDS), "stops within 30 s");
        } finally {
            braid.destroyForcibly();
        }
        // Its own lines only: no engine, Jetty or Javalin messages without --verbose.
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(SERVING.matcher(lines.get(0)).find(), lines.get(0));
        assertEquals("Stopping: finishing requests in flight", lines.get(1));
        assertEquals("Stopped.", lines.get(2));
    }

    static byte[] onePixelPng() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", png);
        return png.toByteArray();
    }
}

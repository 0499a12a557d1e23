package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void theRequestLimitIsThreeFullPartsAndFraming() {
        ServerSettings oneMib = ServerSettings.defaults().withMaxPartBytes(1024 * 1024);
        assertEquals(3_211_264, oneMib.maxRequestBytes()); // 3 × 1 048 576 + 65 536
    }

    @Test
    void aValueOutOfRangeIsNamedWithTheValue() {
        assertEquals(
                "port (70000) must be in 0..65535",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ServerSettings.defaults().withPort(70000))
                        .getMessage());
        assertEquals(
                "maxPartBytes (10) must be at least 1024",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ServerSettings.defaults().withMaxPartBytes(10))
                        .getMessage());
        assertEquals(
                "maxTextChars (0) must be positive",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ServerSettings("127.0.0.1", 0, 4096, 0, Duration.ZERO))
                        .getMessage());
    }
}

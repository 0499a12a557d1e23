package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} and {@code chromium-driver} (which {@code .ci/run} installs) for the
 * page tests. Where they are missing the tests skip, unless {@code BRAID_REQUIRE_BROWSER} is set
 * (CI sets it): then a missing browser fails.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    static void skipUnlessInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && System.getenv("BRAID_REQUIRE_BROWSER") != null) {
            fail(
                    "BRAID_REQUIRE_BROWSER is set but "
                            + CHROMIUM
                            + " or "
                            + CHROMEDRIVER
                            + " is missing (apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(installed, "Chromium and ChromeDriver are not installed");
    }

    /** A headless browser with its profile in {@code profile}. */
    static WebDriver open(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                // The machine has no internet: without these Chromium keeps dialling out.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // A microphone that plays a tone, allowed without a prompt, for recording.
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--window-size=900,1300",
                "--user-data-dir=" + profile);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }
}

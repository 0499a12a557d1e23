package dev.braid.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The test JVM has every flag Spark's own launcher would give it on Java 17. */
class SparkJavaOptionsTest {

    @Test
    void surefireCarriesTheFlagsOfSparksLauncher() {
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : JavaModuleOptions.defaultModuleOptions().split(" ")) {
            assertTrue(given.contains(flag), flag + " is missing from surefire's argLine");
        }
    }
}

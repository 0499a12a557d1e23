package dev.braid.apps.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void numbersHaveThreeDecimalsAndAccuracyAPercentage() {
        assertEquals("0.613", Html.decimal(0.6129));
        assertEquals("1.000", Html.decimal(1));
        assertEquals("NaN", Html.decimal(Double.NaN));
        assertEquals("0.613 (61.3%)", Html.accuracy(0.6129));
        assertEquals("0.050 (5.0%)", Html.accuracy(0.05));
    }

    @Test
    void textAndAttributesAreEscaped() {
        String html = new Html().element("td", "<b>&\"x\"", "title", "a\"b<c>").toString();
        assertEquals("<td title=\"a&quot;b&lt;c&gt;\">&lt;b&gt;&amp;&quot;x&quot;</td>\n", html);
    }

    @Test
    void durationsReadAsHoursMinutesSeconds() {
        assertEquals("1h 02m 03s", SummarySection.duration(Duration.ofSeconds(3723)));
        assertEquals("4m 05s", SummarySection.duration(Duration.ofSeconds(245)));
        assertEquals("6.5s", SummarySection.duration(Duration.ofMillis(6500)));
    }
}

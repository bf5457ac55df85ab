package com.membersync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTests {

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final ProgressBar bar = new ProgressBar(new PrintStream(terminal, true, StandardCharsets.UTF_8));

    @Test
    void deliveringRedrawsOneLineInPlaceWithCountsRateAndTimeLeft() {
        bar.delivering("members", 1_500, 3_000, 50.0, "sent");

        assertThat(shown()).isEqualTo("\r\033[Kmembers [############............] 1,500/3,000 sent, 50.0/s, 30 s left");
    }

    @Test
    void theLastStepIsAlwaysDrawnAndClearingLeavesACleanLine() {
        bar.delivering("members", 1, 3_000, 50.0, "sent");
        bar.delivering("members", 3_000, 3_000, 50.0, "sent"); // within the redraw interval, but the end

        assertThat(shown()).endsWith("[########################] 3,000/3,000 sent, 50.0/s, 0 s left");
        terminal.reset();
        bar.clear();
        assertThat(shown()).isEqualTo("\r\033[K");
    }

    @Test
    void withoutATerminalNothingIsDrawn() {
        ProgressBar none = new ProgressBar(null);

        none.planning("members", 10_000, 5_000.0);
        none.delivering("members", 1, 2, 1.0, "sent");
        none.clear();

        assertThat(shown()).isEmpty();
    }

    private String shown() {
        return terminal.toString(StandardCharsets.UTF_8);
    }
}

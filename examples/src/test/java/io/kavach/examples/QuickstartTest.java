package io.kavach.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {
    @TempDir
    Path dir;

    @Test
    void theQuickstartShowsAllowedDeniedDelegatedRevokedAndAuditedCalls() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Quickstart.run(dir.resolve("quickstart.db"), Clock.fixed(Instant.parse("2026-03-10T10:00:00Z"), ZoneOffset.UTC),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("read mcp:github:repos:kavach", "ALLOWED")
                .contains("PERMISSION_DENIED")
                .contains("RATE_LIMITED")
                .contains("rejected: delegating ** [*] back")
                .contains("AGENT_REVOKED")
                .contains("agent.created", "agent.revoked");
        assertThat(output.lines().filter(l -> l.contains("call api:search")).filter(l -> l.contains("ALLOWED"))).hasSize(3);
        assertThat(dir.resolve("quickstart.db")).exists();
    }
}

package io.kavach.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentRedactorTest {
    @Test
    void defaultKeysAreRedactedAtAnyDepthCaseInsensitively() {
        Map<String, Object> args = Map.of(
                "Prompt", "secret",
                "model", "gpt-4o",
                "history", List.of(Map.of("messages", List.of("hi")), "plain"),
                "nested", Map.of("response_text", "answer", "n", 3));
        Map<String, Object> redacted = ArgumentRedactor.defaults().redact(args);
        assertThat(redacted).containsEntry("Prompt", ArgumentRedactor.REDACTED).containsEntry("model", "gpt-4o");
        assertThat(redacted.get("history")).isEqualTo(List.of(Map.of("messages", ArgumentRedactor.REDACTED), "plain"));
        assertThat(redacted.get("nested")).isEqualTo(Map.of("response_text", ArgumentRedactor.REDACTED, "n", 3));
        assertThat(args).containsEntry("Prompt", "secret");
    }

    @Test
    void theKeysAreConfigurable() {
        ArgumentRedactor custom = ArgumentRedactor.of(Set.of("ssn"));
        assertThat(custom.redact(Map.of("ssn", "123", "prompt", "p"))).containsEntry("ssn", ArgumentRedactor.REDACTED)
                .containsEntry("prompt", "p");
        assertThat(ArgumentRedactor.of(Set.of()).redact(Map.of("prompt", "p"))).containsEntry("prompt", "p");
        assertThatThrownBy(() -> ArgumentRedactor.of(Set.of(" "))).hasMessageContaining("redactedArgumentKeys");
    }

    @Test
    void auditFiltersRejectBadLimitsAndRanges() {
        assertThatThrownBy(() -> AuditFilter.all().withLimit(0)).hasMessageContaining("limit");
        java.time.Instant t = java.time.Instant.EPOCH;
        assertThatThrownBy(() -> AuditFilter.all().between(t, t)).hasMessageContaining("until");
    }
}

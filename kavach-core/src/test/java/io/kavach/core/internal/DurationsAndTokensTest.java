package io.kavach.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsAndTokensTest {
    @Test
    void durationsParseTheUsualUnits() {
        assertThat(Durations.parse("expiresIn", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("expiresIn", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("expiresIn", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("expiresIn", "7d")).isEqualTo(Duration.ofDays(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "h", "0m", "1w", "-1h", "1.5h", "10000000000d"})
    void malformedDurationsNameTheField(String text) {
        assertThatThrownBy(() -> Durations.parse("expiresIn", text)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("expiresIn"));
    }

    @Test
    void tokensAreRandomWellFormedAndHashedStably() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = Tokens.newToken();
            assertThat(Tokens.isWellFormed(token)).isTrue();
            tokens.add(token);
        }
        assertThat(tokens).hasSize(1000);
        String token = tokens.iterator().next();
        assertThat(Tokens.hash(token)).hasSize(64).isEqualTo(Tokens.hash(token)).isNotEqualTo(Tokens.hash(Tokens.newToken()));
        assertThat(Tokens.shownPrefix(token)).hasSize(11).startsWith("kv_");
        assertThat(Tokens.isWellFormed("kv_short")).isFalse();
        assertThat(Tokens.isWellFormed("kv_" + "=".repeat(43))).isFalse();
    }
}

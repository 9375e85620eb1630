package io.kavach.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.spi.AuditQuery.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The opaque page cursor, and the filter that carries it. */
class AuditCursorTest {

    @Test
    void aCursorDecodesToTheLastEntrysTimestampAndId() {
        AuditEntry last = TestEntries.chain(3).get(2);
        String cursor = AuditCursor.encode(last);
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(AuditCursor.decode(cursor)).isEqualTo(new Position(last.timestamp(), last.id()));
        assertThat(AuditFilter.all().after(cursor).cursor()).isEqualTo(cursor);
    }

    @Test
    void timestampsBefore1970AndIdsWithColonsSurvive() {
        AuditEntry old = new AuditEntry("aud:odd:id", Instant.parse("1969-12-31T23:59:59.999Z"), null, null, null, "x",
                "y", AuditResult.ALLOWED, null, null, null, 0, null, null, null, null, null, null, null);
        assertThat(AuditCursor.decode(AuditCursor.encode(old))).isEqualTo(new Position(old.timestamp(), old.id()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!", "bm8tc2VwYXJhdG9y", "OmF1ZF8x", "MTIzOg", "YWJjOmF1ZF8x", "MTIzNA=="})
    void aMalformedCursorIsRejectedNamingTheField(String cursor) {
        assertThatThrownBy(() -> AuditCursor.decode(cursor)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("cursor"));
        assertThatThrownBy(() -> AuditFilter.all().after(cursor)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("cursor"));
    }

    @Test
    void theTestsMalformedCursorsAreWhatTheyClaim() {
        assertThat(decoded("bm8tc2VwYXJhdG9y")).isEqualTo("no-separator");
        assertThat(decoded("OmF1ZF8x")).isEqualTo(":aud_1");
        assertThat(decoded("MTIzOg")).isEqualTo("123:");
        assertThat(decoded("YWJjOmF1ZF8x")).isEqualTo("abc:aud_1");
    }

    @Test
    void everyWitherChangesOnlyItsFieldAndTheFilterChecksItsBounds() {
        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        Instant until = Instant.parse("2026-02-01T00:00:00Z");
        AuditFilter f = AuditFilter.all().withAgent("agt_1").withUser("u").withTenant("t").withActions("execute", "read")
                .withResults(AuditResult.DENIED).withCodes("RATE_LIMITED").withResourcePrefix("llm:").between(since, until)
                .withLimit(7);
        assertThat(f).isEqualTo(new AuditFilter("agt_1", "u", "t", Set.of("execute", "read"), Set.of(AuditResult.DENIED),
                Set.of("RATE_LIMITED"), "llm:", since, until, 7, null));
        assertThat(AuditFilter.all().limit()).isEqualTo(AuditFilter.DEFAULT_LIMIT);
        assertThat(AuditFilter.forAgent("a").agentId()).isEqualTo("a");
        assertThat(new AuditFilter(null, null, null, null, null, null, null, null, null, 1, null).actions()).isEmpty();
        assertThat(AuditFilter.all().withLimit(AuditFilter.MAX_LIMIT).limit()).isEqualTo(10_000);
        assertThatThrownBy(() -> AuditFilter.all().withLimit(AuditFilter.MAX_LIMIT + 1)).hasMessageContaining("limit");
        assertThatThrownBy(() -> AuditFilter.all().between(until, since)).hasMessageContaining("until");
        assertThat(AuditFilter.all().between(since, null).since()).isEqualTo(since);
    }

    private static String decoded(String cursor) {
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    }
}

package io.kavach.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Errors")
class InvalidInputExceptionTest {

    @Test
    @DisplayName("the message names the code, the field, the value and the problem")
    void messageNamesFieldAndValue() {
        InvalidInputException e = new InvalidInputException("agent.name", "bad name", "must not contain spaces");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.field()).isEqualTo("agent.name");
        assertThat(e.getMessage())
                .isEqualTo("INVALID_INPUT: agent.name=\"bad name\": must not contain spaces");
        assertThat(e.violations()).containsExactly(new Violation("agent.name", "\"bad name\"", "must not contain spaces"));
        assertThat(e).isInstanceOf(KavachException.class).isInstanceOf(RuntimeException.class);
    }

    @Test
    @DisplayName("a null value is shown as null, other values through toString")
    void nullAndNonStringValues() {
        assertThat(new InvalidInputException("f", null, "must not be null").getMessage()).contains("f=null");
        assertThat(new InvalidInputException("maxCallsPerHour", -3, "must not be negative").getMessage())
                .contains("maxCallsPerHour=\"-3\"");
    }

    @Test
    @DisplayName("long values are shortened to 80 characters and their length")
    void longValuesShortened() {
        String value = "x".repeat(79) + "Y" + "z".repeat(5_000);
        InvalidInputException e = new InvalidInputException("resource", value, "too long");
        String shown = e.violations().get(0).value();
        assertThat(shown).isEqualTo("\"" + "x".repeat(79) + "Y...(5080 chars)\"");
        assertThat(e.getMessage()).doesNotContain("z").hasSizeLessThan(200);
        String exactly80 = "a".repeat(80);
        assertThat(Violation.of("f", exactly80, "p").value()).isEqualTo('"' + exactly80 + '"');
    }

    @Test
    @DisplayName("several violations are all reported, in order")
    void severalViolations() {
        InvalidInputException e = new InvalidInputException(List.of(
                Violation.of("a", "1", "first"), Violation.of("b", null, "second")));
        assertThat(e.field()).isEqualTo("a");
        assertThat(e.violations()).extracting(Violation::field).containsExactly("a", "b");
        assertThat(e.getMessage()).isEqualTo("INVALID_INPUT: a=\"1\": first; b=null: second");
        assertThatThrownBy(() -> e.violations().add(Violation.of("c", "", "")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new InvalidInputException(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("every exception carries its stable code")
    void codes() {
        IOException cause = new IOException("disk");
        StoreException store = new StoreException("write failed", cause);
        assertThat(store.code()).isEqualTo(ErrorCode.STORE_FAILURE);
        assertThat(store.getCause()).isSameAs(cause);
        assertThat(store.getMessage()).isEqualTo("STORE_FAILURE: write failed");

        NotFoundException notFound = new NotFoundException("agent", "agt_X");
        assertThat(notFound.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(notFound.kind()).isEqualTo("agent");
        assertThat(notFound.id()).isEqualTo("agt_X");
        assertThat(notFound.getMessage()).contains("agent").contains("agt_X");

        DelegationRejectedException rejected = new DelegationRejectedException("cycle: a -> b -> a");
        assertThat(rejected.code()).isEqualTo(ErrorCode.DELEGATION_REJECTED);
        assertThat(rejected.reason()).isEqualTo("cycle: a -> b -> a");

        AgentLimitExceededException limit = new AgentLimitExceededException("user-1", 10);
        assertThat(limit.code()).isEqualTo(ErrorCode.AGENT_LIMIT_EXCEEDED);
        assertThat(limit.ownerId()).isEqualTo("user-1");
        assertThat(limit.limit()).isEqualTo(10);
        assertThat(limit.getMessage()).contains("user-1").contains("10");

        InvalidStateException state = new InvalidStateException("agt_X", "revoked", "cannot rotate");
        assertThat(state.code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(state.getMessage()).isEqualTo("INVALID_STATE: cannot rotate (agt_X is revoked)");

        assertThatThrownBy(() -> new KavachException(null, "x")).isInstanceOf(NullPointerException.class);
    }
}

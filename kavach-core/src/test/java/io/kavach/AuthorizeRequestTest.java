package io.kavach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import io.kavach.model.DecisionCode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AuthorizeRequestTest {
    @Test
    void aRequestIsImmutableAndDefaultsItsOptionalParts() {
        Map<String, Object> args = new HashMap<>(Map.of("q", "x"));
        AuthorizeRequest request = AuthorizeRequest.builder("read", "a:b").arguments(args).build();
        args.put("later", "change");
        assertThat(request.arguments()).containsOnlyKeys("q");
        assertThat(request.client()).isEqualTo(ClientContext.NONE);
        assertThat(request.tokensCost()).isNull();
        assertThatThrownBy(() -> request.arguments().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "1read", "re ad", "read!"})
    void malformedActionsAreRejectedNamingTheField(String action) {
        assertThatThrownBy(() -> AuthorizeRequest.of(action, "a")).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("action"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:*", "a:**", "a::b", ":a", "a b"})
    void resourcesMustBeConcrete(String resource) {
        assertThatThrownBy(() -> AuthorizeRequest.of("read", resource)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("resource"));
    }

    @Test
    void tooManyArgumentsOrANullKeyAreRejected() {
        Map<String, Object> many = new HashMap<>();
        for (int i = 0; i <= AuthorizeRequest.MAX_ARGUMENTS; i++) {
            many.put("k" + i, i);
        }
        assertThatThrownBy(() -> AuthorizeRequest.builder("read", "a").arguments(many).build()).hasMessageContaining("arguments");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> AuthorizeRequest.builder("read", "a").arguments(nullKey).build()).hasMessageContaining("null");
    }

    @Test
    void theClientIpMustBeALiteralAddress() {
        assertThat(ClientContext.ip("::1").ip()).isEqualTo("::1");
        assertThatThrownBy(() -> ClientContext.ip("localhost")).hasMessageContaining("client.ip").hasMessageContaining("localhost");
    }

    @Test
    void aDecisionCannotContradictItsCode() {
        assertThatThrownBy(() -> new Decision(true, DecisionCode.PERMISSION_DENIED, "x", null, null, null, null,
                List.of(), List.of(), null, null, null, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Permission")
class PermissionTest {

    @ParameterizedTest(name = "accepts action \"{0}\"")
    @ValueSource(strings = {"*", "read", "Read", "tools.search", "a-b_c.d", "R2D2", "x", "lëse"})
    void acceptsValidActions(String action) {
        assertThat(Permission.actionProblem(action)).isNull();
        assertThat(Permission.of("a", action).actions()).containsExactly(action);
    }

    @Test
    @DisplayName("accepts an action of 64 characters")
    void accepts64Characters() {
        assertThat(Permission.actionProblem("a".repeat(Permission.MAX_ACTION_LENGTH))).isNull();
    }

    @ParameterizedTest(name = "rejects action \"{0}\"")
    @ValueSource(strings = {"", "1read", "re ad", "read!", "_read", "-read", ".read", "**", "read*", "*read", " read",
        "read\n", "re:ad"})
    void rejectsInvalidActions(String action) {
        assertThat(Permission.actionProblem(action)).isNotNull();
        assertThatThrownBy(() -> Permission.of("a", action))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("actions");
                    assertThat(e.getMessage()).contains('"' + action + '"');
                });
    }

    @Test
    @DisplayName("rejects an action of 65 characters, and null")
    void rejectsTooLongAndNull() {
        String tooLong = "a".repeat(Permission.MAX_ACTION_LENGTH + 1);
        assertThat(Permission.actionProblem(tooLong)).contains("64");
        assertThatThrownBy(() -> Permission.of("a", tooLong)).isInstanceOf(InvalidInputException.class);
        assertThat(Permission.actionProblem(null)).isNotNull();
    }

    @Test
    @DisplayName("rejects a missing resource or an empty action set")
    void rejectsMissingParts() {
        assertThatThrownBy(() -> new Permission(null, Set.of("read"), null))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("resource"));
        assertThatThrownBy(() -> new Permission(ResourcePattern.of("a"), Set.of(), null))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("actions"));
        assertThatThrownBy(() -> new Permission(ResourcePattern.of("a"), null, null))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Permission.of("a::b", "read"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("resource"));
    }

    @Test
    @DisplayName("actions are sorted and unmodifiable; constraints default to NONE")
    void actionsSortedAndImmutable() {
        Permission permission = Permission.of("tools:*", List.of("write", "read", "delete"));
        assertThat(permission.actions()).containsExactly("delete", "read", "write");
        assertThatThrownBy(() -> permission.actions().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(permission.constraints()).isSameAs(Constraints.NONE);
        assertThat(permission.key()).isEqualTo("tools:*|delete,read,write");
    }

    @ParameterizedTest(name = "{0} {1} grants {2} on {3}: {4}")
    @CsvSource({
        "tools:*,  read,       read,   tools:search,   true",
        "tools:*,  read,       write,  tools:search,   false",
        "tools:*,  read,       read,   tools:a:b,      false",
        "tools:*,  read,       read,   tools,          false",
        "tools:**, read,       read,   tools:a:b,      true",
        "tools:*,  *,          delete, tools:search,   true",
        "tools:*,  *,          delete, other:search,   false",
        "**,       read,       read,   anything:at:all, true",
        "**,       read,       Read,   x,              false",
        "tools:*,  read,       read,   tools:*,        false",
    })
    void grants(String resource, String action, String requested, String requestedResource, boolean expected) {
        assertThat(Permission.of(resource, action).grants(requested, requestedResource)).isEqualTo(expected);
    }

    @Test
    @DisplayName("coversActions: * covers everything, named actions only named subsets")
    void coversActions() {
        Permission readWrite = Permission.of("a", "read", "write");
        assertThat(readWrite.coversActions(Set.of("read"))).isTrue();
        assertThat(readWrite.coversActions(Set.of("read", "write"))).isTrue();
        assertThat(readWrite.coversActions(Set.of("read", "delete"))).isFalse();
        assertThat(readWrite.coversActions(Set.of("*"))).isFalse();
        assertThat(readWrite.coversActions(Set.of())).isTrue();
        Permission any = Permission.of("a", "*");
        assertThat(any.coversActions(Set.of("*"))).isTrue();
        assertThat(any.coversActions(Set.of("read", "anything"))).isTrue();
        Permission anyAndRead = Permission.of("a", "*", "read");
        assertThat(anyAndRead.coversActions(Set.of("delete"))).isTrue();
    }

    @Test
    @DisplayName("withConstraints replaces the constraints only")
    void withConstraints() {
        Permission plain = Permission.of("a:*", "read");
        Constraints limited = Constraints.builder().maxCallsPerHour(5).build();
        Permission constrained = plain.withConstraints(limited);
        assertThat(constrained.constraints()).isEqualTo(limited);
        assertThat(constrained.resource()).isEqualTo(plain.resource());
        assertThat(constrained.actions()).isEqualTo(plain.actions());
        assertThat(constrained).isNotEqualTo(plain);
        assertThat(constrained.withConstraints(null)).isEqualTo(plain);
    }

    @Test
    @DisplayName("equal permissions are equal whatever the order actions were given in")
    void equality() {
        assertThat(Permission.of("a", "write", "read")).isEqualTo(Permission.of("a", "read", "write"))
                .hasSameHashCodeAs(Permission.of("a", "read", "write"));
    }
}

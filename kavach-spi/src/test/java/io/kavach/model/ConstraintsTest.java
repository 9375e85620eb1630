package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Constraints")
class ConstraintsTest {

    @Test
    @DisplayName("NONE is empty and equals an empty builder's result")
    void none() {
        assertThat(Constraints.NONE.isEmpty()).isTrue();
        assertThat(Constraints.builder().build()).isEqualTo(Constraints.NONE);
        assertThat(new Constraints(null, null, false, null, null)).isEqualTo(Constraints.NONE);
        assertThat(Constraints.NONE.window()).isEmpty();
    }

    @Test
    @DisplayName("the builder sets every constraint")
    void builderSetsEverything() {
        Constraints c = Constraints.builder()
                .maxCallsPerHour(100)
                .allowedArgPatterns("*.csv", "report-??")
                .requireApproval(true)
                .timeWindow("09:00-17:00", "Europe/Berlin")
                .ipAllowlist("10.0.0.0/8", "2001:db8::/32")
                .build();
        assertThat(c.maxCallsPerHour()).isEqualTo(100);
        assertThat(c.allowedArgPatterns()).extracting(Glob::toString).containsExactly("*.csv", "report-??");
        assertThat(c.requireApproval()).isTrue();
        assertThat(c.timeWindow()).isEqualTo(TimeWindow.parse("09:00-17:00", "Europe/Berlin"));
        assertThat(c.window()).contains(c.timeWindow());
        assertThat(c.ipAllowlist()).extracting(IpRange::toString).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(c.isEmpty()).isFalse();
    }

    @Test
    @DisplayName("a builder time window without a zone is UTC")
    void builderWindowDefaultsToUtc() {
        Constraints c = Constraints.builder().timeWindow("22:00-06:00").build();
        assertThat(c.timeWindow()).isEqualTo(TimeWindow.parse("22:00-06:00", null));
    }

    @Test
    @DisplayName("each single constraint makes the constraints non-empty")
    void singleConstraintsAreNotEmpty() {
        assertThat(Constraints.builder().maxCallsPerHour(0).build().isEmpty()).isFalse();
        assertThat(Constraints.builder().requireApproval(true).build().isEmpty()).isFalse();
        assertThat(Constraints.builder().allowedArgPatterns("x").build().isEmpty()).isFalse();
        assertThat(Constraints.builder().ipAllowlist("::1").build().isEmpty()).isFalse();
        assertThat(Constraints.builder().timeWindow("01:00-02:00").build().isEmpty()).isFalse();
    }

    @Test
    @DisplayName("negative maxCallsPerHour is rejected by the builder and the constructor; zero is allowed")
    void negativeMaxCallsRejected() {
        assertThatThrownBy(() -> Constraints.builder().maxCallsPerHour(-1))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("maxCallsPerHour");
                    assertThat(e.getMessage()).contains("-1");
                });
        assertThatThrownBy(() -> new Constraints(-5, List.of(), false, null, List.of()))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("maxCallsPerHour"));
        assertThat(Constraints.builder().maxCallsPerHour(0).build().maxCallsPerHour()).isZero();
    }

    @Test
    @DisplayName("builder errors name the indexed field")
    void builderErrorsNameIndexedField() {
        assertThatThrownBy(() -> Constraints.builder().ipAllowlist("10.0.0.0/8", "example.com"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("ipAllowlist[1]"));
        assertThatThrownBy(() -> Constraints.builder().allowedArgPatterns("ok", ""))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("allowedArgPatterns[1]"));
        assertThatThrownBy(() -> Constraints.builder().timeWindow("9-5"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("timeWindow"));
    }

    @Test
    @DisplayName("lists are immutable copies")
    void listsAreCopies() {
        List<Glob> globs = new ArrayList<>(List.of(Glob.parse("g", "a*")));
        Constraints c = new Constraints(null, globs, false, null, null);
        globs.add(Glob.parse("g", "b*"));
        assertThat(c.allowedArgPatterns()).hasSize(1);
        assertThat(c.ipAllowlist()).isEmpty();
        assertThatThrownBy(() -> c.allowedArgPatterns().add(Glob.parse("g", "c")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("null entries and more than 256 entries are rejected")
    void entryChecks() {
        List<IpRange> withNull = Arrays.asList(IpRange.parse("ip", "::1"), null);
        assertThatThrownBy(() -> new Constraints(null, null, false, null, withNull))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("ipAllowlist[1]"));
        List<Glob> many = Collections.nCopies(Constraints.MAX_ENTRIES + 1, Glob.parse("g", "x"));
        assertThatThrownBy(() -> new Constraints(null, many, false, null, null))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("allowedArgPatterns"));
        List<Glob> enough = Collections.nCopies(Constraints.MAX_ENTRIES, Glob.parse("g", "x"));
        assertThat(new Constraints(null, enough, false, null, null).allowedArgPatterns()).hasSize(256);
    }
}

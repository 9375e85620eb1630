package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.ErrorCode;
import io.kavach.error.InvalidInputException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ResourcePattern")
class ResourcePatternTest {

    private static ResourcePattern p(String pattern) {
        return ResourcePattern.of(pattern);
    }

    @Nested
    @DisplayName("matches")
    class Matches {

        @ParameterizedTest(name = "{0} matches {1}: {2}")
        @CsvSource({
            // literal
            "a:b:c,   a:b:c,      true",
            "a:b:c,   a:b,        false",
            "a:b:c,   a:b:c:d,    false",
            "a:b:c,   a:b:x,      false",
            "tools,   tools,      true",
            "tools,   tool,       false",
            "tools,   toolsx,     false",
            // '*' is exactly one segment
            "*,       a,          true",
            "*,       a:b,        false",
            "a:*:c,   a:b:c,      true",
            "a:*:c,   a:xyz:c,    true",
            "a:*:c,   a:b:x:c,    false",
            "a:*:c,   a:c,        false",
            "a:*,     a:b,        true",
            "a:*,     a:b:c,      false",
            "a:*,     a,          false",
            "*:*,     a:b,        true",
            "*:*,     a,          false",
            "*:*,     a:b:c,      false",
            // '**' is one or more trailing segments
            "a:**,    a:b,        true",
            "a:**,    a:b:c,      true",
            "a:**,    a:b:c:d:e,  true",
            "a:**,    a,          false",
            "a:**,    b:c,        false",
            "a:**,    ab:c,       false",
            "a:*:**,  a:b,        false",
            "a:*:**,  a:b:c,      true",
            "*:**,    x:y:z,      true",
            "*:**,    x,          false",
            // '**' alone matches every resource
            "**,      a,          true",
            "**,      a:b:c:d,    true",
            // case-sensitive
            "Tools:search, tools:search, false",
            "tools:SEARCH, tools:search, false",
            "tools:search, tools:search, true",
        })
        void examples(String pattern, String resource, boolean expected) {
            assertThat(p(pattern).matches(resource)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "no pattern matches invalid resource \"{0}\"")
        @ValueSource(strings = {"a::b", ":a", "a:", ":", "a:*", "*", "**", "a b", "a:\tb", "a:b\n"})
        void invalidResourcesMatchNothing(String resource) {
            for (String pattern : new String[] {"**", "*", "a:**", "a:*", "a:*:b", "*:**"}) {
                assertThat(p(pattern).matches(resource)).as("%s matches %s", pattern, resource).isFalse();
            }
        }

        @ParameterizedTest
        @NullAndEmptySource
        void nullAndEmptyResourcesMatchNothing(String resource) {
            assertThat(p("**").matches(resource)).isFalse();
        }

        @Test
        @DisplayName("a resource longer than the limits is invalid and matches nothing, even for **")
        void overLongResourcesMatchNothing() {
            String tooManySegments = "a" + ":a".repeat(ResourcePattern.MAX_SEGMENTS);
            String tooLong = "a".repeat(ResourcePattern.MAX_LENGTH + 1);
            assertThat(ResourcePattern.resourceProblem(tooManySegments)).isNotNull();
            assertThat(ResourcePattern.resourceProblem(tooLong)).isNotNull();
            assertThat(p("**").matches(tooManySegments)).isFalse();
            assertThat(p("a:**").matches(tooManySegments)).isFalse();
            assertThat(p("**").matches(tooLong)).isFalse();
            assertThat(p("*").matches(tooLong)).isFalse();
        }

        @Test
        @DisplayName("segment-boundary: a literal prefix does not match a longer segment")
        void literalSegmentsCompareWhole() {
            assertThat(p("a:bc").matches("a:b")).isFalse();
            assertThat(p("a:b").matches("a:bc")).isFalse();
            assertThat(p("ab:**").matches("a:b:c")).isFalse();
        }
    }

    @Nested
    @DisplayName("parse")
    class Parse {

        @ParameterizedTest(name = "accepts \"{0}\"")
        @ValueSource(strings = {"a", "a:b:c", "*", "**", "a:*", "a:**", "*:*:**", "tools.search:v-1_2", "a:*:c",
            "ünïcödé:ok"})
        void acceptsValidPatterns(String pattern) {
            ResourcePattern parsed = p(pattern);
            assertThat(parsed.toString()).isEqualTo(pattern);
            assertThat(parsed.segments()).containsExactly(pattern.split(":"));
        }

        @ParameterizedTest(name = "rejects \"{0}\"")
        @ValueSource(strings = {"", "a::b", ":a", "a:", ":", "::", "a:**:b", "**:a", "**:**", "a*", "*b", "a:b*:c",
            "***", "a:***", "a b", " a", "a ", "a:\tb", "a\nb", "a\u0000b"})
        void rejectsInvalidPatterns(String pattern) {
            assertThatThrownBy(() -> ResourcePattern.parse("permissions[0].resource", pattern))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                        assertThat(e.field()).isEqualTo("permissions[0].resource");
                        assertThat(e.violations().get(0).value()).isEqualTo('"' + pattern + '"');
                        assertThat(e.getMessage()).contains("permissions[0].resource");
                    });
        }

        @Test
        @DisplayName("the error message names the field and the value")
        void messageNamesFieldAndValue() {
            assertThatThrownBy(() -> ResourcePattern.parse("grant.resource", "a:**:b"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("grant.resource")
                    .hasMessageContaining("a:**:b")
                    .hasMessageContaining("last segment");
            assertThatThrownBy(() -> ResourcePattern.parse("grant.resource", "a*"))
                    .hasMessageContaining("grant.resource")
                    .hasMessageContaining("a*");
        }

        @Test
        @DisplayName("of() reports against the field 'resource'; null is rejected")
        void ofUsesResourceField() {
            assertThatThrownBy(() -> ResourcePattern.of(null))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.field()).isEqualTo("resource"));
        }

        @Test
        @DisplayName("length limit: 512 characters accepted, 513 rejected")
        void lengthLimit() {
            assertThat(p("a".repeat(ResourcePattern.MAX_LENGTH)).toString()).hasSize(512);
            String tooLong = "a".repeat(ResourcePattern.MAX_LENGTH + 1);
            assertThatThrownBy(() -> ResourcePattern.parse("resource", tooLong))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                        assertThat(e.field()).isEqualTo("resource");
                        assertThat(e.getMessage()).contains("512").contains("aaaa");
                    });
        }

        @Test
        @DisplayName("segment limit: 64 segments accepted, 65 rejected")
        void segmentLimit() {
            String sixtyFour = "a" + ":a".repeat(ResourcePattern.MAX_SEGMENTS - 1);
            assertThat(p(sixtyFour).segments()).hasSize(64);
            assertThat(p(sixtyFour).matches(sixtyFour)).isTrue();
            String sixtyFive = sixtyFour + ":a";
            assertThatThrownBy(() -> ResourcePattern.parse("resource", sixtyFive))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("64 segments");
        }

        @Test
        @DisplayName("resourceProblem rejects wildcards and accepts concrete resources")
        void resourceProblem() {
            assertThat(ResourcePattern.resourceProblem("a:b:c")).isNull();
            assertThat(ResourcePattern.resourceProblem("a:*")).isNotNull();
            assertThat(ResourcePattern.resourceProblem("**")).isNotNull();
            assertThat(ResourcePattern.resourceProblem("a::b")).isNotNull();
            assertThat(ResourcePattern.resourceProblem(null)).isNotNull();
        }

        @Test
        @DisplayName("segments() is a defensive copy")
        void segmentsIsACopy() {
            ResourcePattern pattern = p("a:b");
            pattern.segments()[0] = "z";
            assertThat(pattern.segments()).containsExactly("a", "b");
            assertThat(pattern.matches("a:b")).isTrue();
        }

        @Test
        @DisplayName("equality is by the written pattern")
        void equality() {
            assertThat(p("a:*")).isEqualTo(p("a:*")).hasSameHashCodeAs(p("a:*"));
            assertThat(p("a:*")).isNotEqualTo(p("a:**"));
        }
    }

    @Nested
    @DisplayName("covers")
    class Covers {

        @ParameterizedTest(name = "{0} covers {1}: {2}")
        @CsvSource({
            "x,        x,         true",
            // escalation defect: a parent holding only x must not hand out x:* or x:**
            "x,        x:*,       false",
            "x,        x:**,      false",
            "x,        **,        false",
            "x,        *,         false",
            "x:**,     x:a:b,     true",
            "x:**,     x:a,       true",
            "x:**,     x,         false",
            "x:**,     x:*,       true",
            "x:**,     x:*:*,     true",
            "x:**,     x:*:**,    true",
            "x:**,     x:**,      true",
            "x:**,     y:a,       false",
            "x:*,      x:a,       true",
            "x:*,      x:*,       true",
            "x:*,      x:**,      false",
            "x:*,      x:a:b,     false",
            "x:*,      x,         false",
            "**,       a,         true",
            "**,       a:b:c,     true",
            "**,       *,         true",
            "**,       *:*,       true",
            "**,       a:**,      true",
            "**,       **,        true",
            "*:**,     **,        false",
            "*:**,     a:**,      true",
            "*,        **,        false",
            "a:**,     **,        false",
            "a:*:c,    a:**,      false",
            "a:*:c,    a:b:c,     true",
            "a:*:c,    a:*:c,     true",
            "a:*:c,    a:b:x:c,   false",
            "a:b:c,    a:*:c,     false",
            "*:b,      a:b,       true",
            "a:b:**,   a:**,      false",
            "a:**,     a:b:**,    true",
            "a:*:**,   a:**,      false",
            "a:**,     a:*:**,    true",
            "a:b:**,   a:*:c,     false",
            "a:*:**,   a:b:c,     true",
        })
        void examples(String a, String b, boolean expected) {
            assertThat(p(a).covers(p(b))).isEqualTo(expected);
        }
    }
}

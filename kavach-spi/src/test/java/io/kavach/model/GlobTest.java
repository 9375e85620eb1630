package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

@DisplayName("Glob")
class GlobTest {

    private static Glob glob(String pattern) {
        return Glob.parse("allowedArgPatterns[0]", pattern);
    }

    @ParameterizedTest(name = "\"{0}\" matches \"{1}\": {2}")
    @CsvSource(emptyValue = "", value = {
        // * is any run, also none
        "*,          '',            true",
        "*,          anything,      true",
        "**,         '',            true",
        "**,         abc,           true",
        "*.txt,      notes.txt,     true",
        "*.txt,      .txt,          true",
        "*.txt,      notes.txt.exe, false",
        "*.txt,      notes.TXT,     false",
        "a*c,        ac,            true",
        "a*c,        abbbc,         true",
        "a*c,        ab,            false",
        "a*c,        acb,           false",
        "*a*,        bab,           true",
        "*a*,        bbb,           false",
        // ? is exactly one character
        "?,          a,             true",
        "?,          '',            false",
        "?,          ab,            false",
        "a?c,        abc,           true",
        "a?c,        ac,            false",
        "a?c,        abbc,          false",
        "?*,         x,             true",
        "?*,         '',            false",
        "*?,         '',            false",
        // literal
        "abc,        abc,           true",
        "abc,        ABC,           false",
        "abc,        abcd,          false",
        "abc,        ab,            false",
        "abc,        '',            false",
        // wildcard characters in the value are plain characters
        "*,          *,             true",
        "?,          *,             true",
        "a,          *,             false",
        "a*,         a*?,           true",
        // mixed
        "/data/*/?.csv, /data/x/1.csv,   true",
        "/data/*/?.csv, /data/x/y/1.csv, true",
        "/data/*/?.csv, /data/x/12.csv,  false",
    })
    void examples(String pattern, String value, boolean expected) {
        assertThat(glob(pattern).matches(value)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a pathological backtracking input finishes (the matcher is not exponential)")
    void pathologicalInputFinishes() {
        // With a backtracking regex engine, (a*)*b-like patterns against a long run of 'a's blow up.
        String pattern = "a*".repeat(Glob.MAX_LENGTH / 2 - 1) + "b";
        String value = "a".repeat(20_000);
        assertThat(glob(pattern).matches(value)).isFalse();
        assertThat(glob(pattern).matches(value + "b")).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @DisplayName("rejects null and empty patterns, naming the field")
    void rejectsEmpty(String pattern) {
        assertThatThrownBy(() -> Glob.parse("allowedArgPatterns[3]", pattern))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("allowedArgPatterns[3]"));
    }

    @Test
    @DisplayName("accepts 256 characters, rejects 257")
    void lengthLimit() {
        assertThat(glob("x".repeat(Glob.MAX_LENGTH)).matches("x".repeat(256))).isTrue();
        assertThatThrownBy(() -> glob("x".repeat(Glob.MAX_LENGTH + 1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("allowedArgPatterns[0]")
                .hasMessageContaining("256");
    }

    @Test
    @DisplayName("isLiteral is true only without * and ?")
    void isLiteral() {
        assertThat(glob("abc").isLiteral()).isTrue();
        assertThat(glob("a*").isLiteral()).isFalse();
        assertThat(glob("a?").isLiteral()).isFalse();
    }

    @Test
    @DisplayName("equality and text are by pattern")
    void equality() {
        assertThat(glob("a*")).isEqualTo(glob("a*")).hasSameHashCodeAs(glob("a*")).hasToString("a*");
        assertThat(glob("a*")).isNotEqualTo(glob("a?"));
    }
}

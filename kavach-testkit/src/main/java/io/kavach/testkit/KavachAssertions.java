package io.kavach.testkit;

import io.kavach.Decision;

/** Entry point for Kavach's AssertJ assertions; import statically beside {@code Assertions.*}. */
public final class KavachAssertions {
    private KavachAssertions() {
    }

    public static DecisionAssert assertThat(Decision decision) {
        return new DecisionAssert(decision);
    }
}

package io.kavach.testkit;

import io.kavach.Decision;
import io.kavach.model.DecisionCode;
import org.assertj.core.api.AbstractObjectAssert;

/** AssertJ assertions on a {@link Decision}: {@code assertThat(decision).isDenied().hasCode(RATE_LIMITED)}. */
public final class DecisionAssert extends AbstractObjectAssert<DecisionAssert, Decision> {

    DecisionAssert(Decision actual) {
        super(actual, DecisionAssert.class);
    }

    public DecisionAssert isAllowed() {
        isNotNull();
        if (!actual.allowed()) {
            failWithMessage("Expected the decision to allow, but it denied with %s: %s", actual.code(), actual.reason());
        }
        return this;
    }

    public DecisionAssert isDenied() {
        isNotNull();
        if (actual.allowed()) {
            failWithMessage("Expected the decision to deny, but it allowed: %s", actual.reason());
        }
        return this;
    }

    public DecisionAssert hasCode(DecisionCode expected) {
        isNotNull();
        if (actual.code() != expected) {
            failWithMessage("Expected code %s but was %s (%s)", expected, actual.code(), actual.reason());
        }
        return this;
    }

    public DecisionAssert hasReasonContaining(String text) {
        isNotNull();
        if (!actual.reason().contains(text)) {
            failWithMessage("Expected the reason to contain <%s> but it was <%s>", text, actual.reason());
        }
        return this;
    }

    /** The decision was audited: it carries an audit id. */
    public DecisionAssert isAudited() {
        isNotNull();
        if (actual.auditId() == null || !actual.auditId().startsWith("aud_")) {
            failWithMessage("Expected an audit id but was <%s>", actual.auditId());
        }
        return this;
    }

    public DecisionAssert usedDelegationChain(String chainId) {
        isNotNull();
        if (!chainId.equals(actual.delegationChainId())) {
            failWithMessage("Expected delegation chain %s but was %s", chainId, actual.delegationChainId());
        }
        return this;
    }
}

package io.kavach.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.model.Constraints;
import org.junit.jupiter.api.Test;

class TighteningTest {
    private static final Constraints HELD = Constraints.builder().maxCallsPerHour(10).timeWindow("09:00-17:00")
            .ipAllowlist("10.0.0.0/8").allowedArgPatterns("/data/*").build();

    @Test
    void unsetRequestedConstraintsInheritTheHeldOnes() {
        assertThat(Tightening.tighten(HELD, Constraints.NONE).constraints()).isEqualTo(HELD);
        assertThat(Tightening.tighten(Constraints.NONE, Constraints.NONE).constraints()).isEqualTo(Constraints.NONE);
    }

    @Test
    void narrowerRequestsAreKept() {
        Constraints narrower = Constraints.builder().maxCallsPerHour(20).timeWindow("10:00-11:00")
                .ipAllowlist("10.9.0.0/16").allowedArgPatterns("/data/report.csv").requireApproval(true).build();
        Constraints result = Tightening.tighten(HELD, narrower).constraints();
        assertThat(result.maxCallsPerHour()).isEqualTo(10);
        assertThat(result.timeWindow().text()).isEqualTo("10:00-11:00");
        assertThat(result.ipAllowlist()).hasToString("[10.9.0.0/16]");
        assertThat(result.allowedArgPatterns()).hasToString("[/data/report.csv]");
        assertThat(result.requireApproval()).isTrue();
    }

    @Test
    void widerRequestsAreRefusedWithTheReason() {
        assertThat(Tightening.tighten(HELD, Constraints.builder().timeWindow("08:00-12:00").build()).widening())
                .contains("08:00-12:00").contains("09:00-17:00");
        assertThat(Tightening.tighten(HELD, Constraints.builder().timeWindow("16:00-10:00").build()).ok()).isFalse();
        assertThat(Tightening.tighten(HELD, Constraints.builder().ipAllowlist("11.0.0.0/8").build()).widening()).contains("11.0.0.0/8");
        assertThat(Tightening.tighten(HELD, Constraints.builder().allowedArgPatterns("/data/**").build()).ok()).isFalse();
        assertThat(Tightening.tighten(HELD, Constraints.builder().allowedArgPatterns("/etc/passwd").build()).ok()).isFalse();
    }

    @Test
    void approvalIsNeverDropped() {
        Constraints held = Constraints.builder().requireApproval(true).build();
        assertThat(Tightening.tighten(held, Constraints.NONE).constraints().requireApproval()).isTrue();
    }
}

package io.kavach.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import io.kavach.model.Microdollars;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ModelPricingTest {
    @Test
    void theBundledTableCoversTheFourProvidersAndIsDated() {
        ModelPricing table = ModelPricing.defaults();
        assertThat(table.effectiveDate()).isEqualTo(LocalDate.of(2025, 6, 1));
        assertThat(table.prices().values()).extracting(ModelPrice::provider)
                .contains("openai", "anthropic", "google", "mistral");
        // gpt-4o: $2.50 per million input, $10.00 per million output.
        assertThat(table.cost("gpt-4o", 1_000, 500)).isEqualTo(Microdollars.of(2_500 + 5_000));
        assertThat(table.cost("GPT-4o", 1_000_000, 0)).isEqualTo(Microdollars.parse("x", "2.50"));
    }

    @Test
    void anUnknownModelIsAnErrorOrTheConfiguredDefaultNeverZero() {
        assertThatThrownBy(() -> ModelPricing.defaults().cost("my-finetune", 10, 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("my-finetune");
        ModelPricing withDefault = ModelPricing.builder().defaultPrice("1.00", "2.00").build();
        assertThat(withDefault.cost("my-finetune", 1_000_000, 1_000_000)).isEqualTo(Microdollars.parse("x", "3"));
    }

    @Test
    void pricesCanBeOverriddenAndExtended() {
        ModelPricing custom = ModelPricing.builder().price("openai", "gpt-4o", "2.00", "8.00")
                .price("acme", "acme-1", "0.50", "0.50").effectiveDate(LocalDate.of(2026, 1, 1)).build();
        assertThat(custom.cost("gpt-4o", 1_000_000, 0)).isEqualTo(Microdollars.parse("x", "2"));
        assertThat(custom.cost("acme-1", 2_000_000, 0)).isEqualTo(Microdollars.parse("x", "1"));
        assertThat(ModelPricing.defaults().cost("gpt-4o", 1_000_000, 0)).isEqualTo(Microdollars.parse("x", "2.5"));
    }

    @Test
    void costsRoundHalfUpOnceOnTheExactTotal() {
        ModelPrice price = new ModelPrice("p", "m", Microdollars.parse("x", "0.15"), Microdollars.parse("x", "0.60"));
        assertThat(price.cost(1, 0)).isEqualTo(Microdollars.ZERO);        // 0.15 micro
        assertThat(price.cost(4, 0)).isEqualTo(Microdollars.of(1));       // 0.6 micro
        assertThat(price.cost(10, 0)).isEqualTo(Microdollars.of(2));      // 1.5 micro, half up
        assertThatThrownBy(() -> price.cost(-1, 0)).hasMessageContaining("inputTokens");
        ModelPrice dear = new ModelPrice("p", "m", Microdollars.parse("x", "10"), Microdollars.parse("x", "10"));
        assertThatThrownBy(() -> dear.cost(Long.MAX_VALUE, 0)).hasMessageContaining("microdollars");
    }

    @Test
    void microdollarsAreExact() {
        Microdollars sum = Microdollars.ZERO;
        for (int i = 0; i < 10; i++) {
            sum = sum.plus(Microdollars.parse("cost", "0.10"));
        }
        assertThat(sum).isEqualTo(Microdollars.of(1_000_000));
        assertThat(sum.toDollars()).isEqualByComparingTo(new BigDecimal("1.000000"));
        assertThat(sum).hasToString("$1.000000");
        assertThatThrownBy(() -> Microdollars.parse("cost", "0.0000001")).hasMessageContaining("precision");
        assertThatThrownBy(() -> Microdollars.parse("cost", "NaN")).hasMessageContaining("cost");
        assertThatThrownBy(() -> Microdollars.parse("cost", "Infinity")).hasMessageContaining("cost");
        assertThatThrownBy(() -> Microdollars.parse("cost", "1e30")).hasMessageContaining("too large");
        assertThat(Microdollars.of(-5)).hasToString("-$0.000005");
    }
}

package io.kavach.core.internal;

import io.kavach.cost.ModelPricing;
import io.kavach.model.Microdollars;
import java.time.Duration;

/**
 * The cost attribution options of a Kavach instance.
 *
 * @param pricing   the model price table
 * @param warn      the rolling-24-hour spend that raises a warn alert, or null for none
 * @param critical  the rolling-24-hour spend that raises a critical alert, or null for none
 * @param cooldown  the least time between two warn (or two critical) alerts for one agent
 * @param retention how long {@code cleanup()} keeps cost events
 */
public record CostSettings(ModelPricing pricing, Microdollars warn, Microdollars critical, Duration cooldown,
                           Duration retention) {
}

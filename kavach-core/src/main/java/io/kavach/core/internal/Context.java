package io.kavach.core.internal;

import io.kavach.model.Ids;
import io.kavach.spi.KavachStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the services of one Kavach instance share. Thread-safe.
 *
 * @param commits the group commit that runs the units of the hot path (authorize, usage, costs):
 *                use it rather than {@code store().write} for units that run on every call, so
 *                that they share transactions and keep the decision cache valid
 */
public record Context(KavachStore store, Clock clock, Ids ids, Settings settings, Auditor auditor, Notifier notifier,
                      GroupCommit commits) {

    public static Context create(KavachStore store, Clock clock, Settings settings) {
        Ids ids = Ids.generator(clock);
        return new Context(store, clock, ids, settings, new Auditor(ids, settings.redactor()),
                new Notifier(settings.listeners()), new GroupCommit(store));
    }

    /** The current time at the millisecond precision that Kavach stores. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}

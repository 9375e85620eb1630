package io.kavach.core.internal;

import io.kavach.model.Ids;
import io.kavach.spi.KavachStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What the services of one Kavach instance share. Immutable and thread-safe. */
public record Context(KavachStore store, Clock clock, Ids ids, Settings settings, Auditor auditor, Notifier notifier) {

    public static Context create(KavachStore store, Clock clock, Settings settings) {
        Ids ids = Ids.generator(clock);
        return new Context(store, clock, ids, settings, new Auditor(ids, settings.redactor()),
                new Notifier(settings.listeners()));
    }

    /** The current time at the millisecond precision that Kavach stores. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}

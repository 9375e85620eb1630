package io.kavach.store.sqlite;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.AuditContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Audit log behaviour on the SQLite store. */
class SqliteAuditContractTest extends AuditContract {
    private static final AtomicInteger FILES = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    protected KavachStore newStore() {
        return SqliteStore.open(dir.resolve("audit-" + FILES.incrementAndGet() + ".db"));
    }
}

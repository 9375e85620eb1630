package io.kavach.store.sqlite;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.KavachContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Kavach's behaviour on the SQLite store. Surefire runs it twice: in UTC and in a non-UTC default zone. */
class SqliteKavachContractTest extends KavachContract {
    private static final AtomicInteger FILES = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    protected KavachStore newStore() {
        return SqliteStore.open(dir.resolve("kavach-" + FILES.incrementAndGet() + ".db"));
    }
}

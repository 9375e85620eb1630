package io.kavach.store.sqlite;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.CostContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Cost attribution behaviour on the SQLite store. */
class SqliteCostContractTest extends CostContract {
    private static final AtomicInteger FILES = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    protected KavachStore newStore() {
        return SqliteStore.open(dir.resolve("costs-" + FILES.incrementAndGet() + ".db"));
    }
}

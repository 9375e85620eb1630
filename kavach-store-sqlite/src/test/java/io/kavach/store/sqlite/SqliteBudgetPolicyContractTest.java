package io.kavach.store.sqlite;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.BudgetPolicyContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Budget policy behaviour on the SQLite store. */
class SqliteBudgetPolicyContractTest extends BudgetPolicyContract {
    private static final AtomicInteger FILES = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    protected KavachStore newStore() {
        return SqliteStore.open(dir.resolve("budget-" + FILES.incrementAndGet() + ".db"));
    }
}

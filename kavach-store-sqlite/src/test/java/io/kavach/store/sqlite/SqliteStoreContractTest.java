package io.kavach.store.sqlite;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.KavachStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract, run against a new SQLite file for each test. */
class SqliteStoreContractTest extends KavachStoreContract {
    @TempDir
    Path dir;

    @Override
    protected KavachStore newStore() {
        return SqliteStore.open(dir.resolve("kavach.db"));
    }
}

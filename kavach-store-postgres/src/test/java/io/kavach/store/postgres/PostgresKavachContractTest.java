package io.kavach.store.postgres;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.KavachContract;

/** The testkit's KavachContract, run against a new, empty schema of the shared PostgreSQL server for each store. */
class PostgresKavachContractTest extends KavachContract {
    @Override
    protected KavachStore newStore() {
        return PgServer.get().openFresh();
    }
}

package io.kavach.store.postgres;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.KavachStoreContract;

/** The testkit's KavachStoreContract, run against a new, empty schema of the shared PostgreSQL server for each store. */
class PostgresStoreContractTest extends KavachStoreContract {
    @Override
    protected KavachStore newStore() {
        return PgServer.get().openFresh();
    }
}

package io.kavach.store.postgres;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.CostContract;

/** The testkit's CostContract, run against a new, empty schema of the shared PostgreSQL server for each store. */
class PostgresCostContractTest extends CostContract {
    @Override
    protected KavachStore newStore() {
        return PgServer.get().openFresh();
    }
}

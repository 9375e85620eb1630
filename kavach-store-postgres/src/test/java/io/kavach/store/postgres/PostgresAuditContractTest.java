package io.kavach.store.postgres;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.AuditContract;

/** The testkit's AuditContract, run against a new, empty schema of the shared PostgreSQL server for each store. */
class PostgresAuditContractTest extends AuditContract {
    @Override
    protected KavachStore newStore() {
        return PgServer.get().openFresh();
    }
}

package io.kavach.store.postgres;

import io.kavach.spi.KavachStore;
import io.kavach.testkit.BudgetPolicyContract;

/** The testkit's BudgetPolicyContract, run against a new, empty schema of the shared PostgreSQL server for each store. */
class PostgresBudgetPolicyContractTest extends BudgetPolicyContract {
    @Override
    protected KavachStore newStore() {
        return PgServer.get().openFresh();
    }
}

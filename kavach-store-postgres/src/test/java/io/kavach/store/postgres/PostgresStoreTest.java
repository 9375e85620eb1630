package io.kavach.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import io.kavach.error.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** PostgresStore's own guarantees: opening, migrating at once from many instances, errors. */
class PostgresStoreTest {

    @Test
    void eightInstancesOpeningANewDatabaseAtOnceMigrateItExactlyOnce() throws Exception {
        PgServer server = PgServer.get();
        String url = server.freshSchema();
        int instances = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<PostgresStore>> opened = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                Callable<PostgresStore> open = () -> {
                    go.await();
                    return PostgresStore.builder(url, server.user(), server.password()).poolSize(2).build();
                };
                opened.add(pool.submit(open));
            }
            go.countDown();
            for (Future<PostgresStore> store : opened) {
                store.get().close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM kavach_schema_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getInt(2)).isEqualTo(2);
        }
    }

    @Test
    void theDataSourceVariantOpensTheSameSchema() {
        PgServer server = PgServer.get();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(server.freshSchema());
        dataSource.setUser(server.user());
        dataSource.setPassword(server.password());
        try (PostgresStore store = PostgresStore.open(dataSource)) {
            java.util.Optional<io.kavach.model.Agent> found = store.read(session -> session.agents().find("agt_nope"));
            assertThat(found).isEmpty();
        }
    }

    @Test
    void aSchemaNewerThanThisCodeIsRefused() throws Exception {
        PgServer server = PgServer.get();
        String url = server.freshSchema();
        PostgresStore.open(url, server.user(), server.password()).close();
        try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO kavach_schema_version (version, description, applied_at) VALUES (99, 'future', 0)");
        }
        assertThatThrownBy(() -> PostgresStore.open(url, server.user(), server.password()))
                .isInstanceOf(StoreException.class).hasMessageContaining("newer");
    }

    @Test
    void badArgumentsAndUnreachableServersAreKavachExceptions() {
        assertThatThrownBy(() -> PostgresStore.open("jdbc:sqlite:x.db", "u", "p")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PostgresStore.open(null, "u", "p")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PostgresStore.builder("jdbc:postgresql://localhost/x", "u", "p").poolSize(0))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PostgresStore.builder("jdbc:postgresql://localhost/x", "u", "p")
                .connectionTimeout(Duration.ofMillis(10))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PostgresStore.builder("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2", "u", "secret")
                .connectionTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(StoreException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void aWriteInAReadUnitIsRefusedAsAStoreException() {
        PgServer server = PgServer.get();
        try (PostgresStore store = PostgresStore.open(server.freshSchema(), server.user(), server.password())) {
            assertThatThrownBy(() -> store.read(session -> {
                session.agents().touch("agt_x", java.time.Instant.EPOCH);
                return null;
            })).isInstanceOf(StoreException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void aRoleWithOnlyDataPrivilegesCanUseAMigratedSchema() throws Exception {
        PgServer server = PgServer.get();
        String url = server.freshSchema();
        PostgresStore.open(url, server.user(), server.password()).close();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        String role = schema + "_app";
        try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'app'");
            s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
        }
        try (io.kavach.Kavach kavach = io.kavach.Kavach.builder()
                .store(PostgresStore.open(url, role, "app")).build()) {
            useAs(kavach);
        } finally {
            try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
                 Statement s = c.createStatement()) {
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    private static void useAs(io.kavach.Kavach kavach) {
        String agent = kavach.agents().create(io.kavach.agent.CreateAgentRequest.builder("alice", "bot")
                .permission("llm:**", "execute").build()).agent().id();
        assertThat(kavach.authorize(agent, "execute", "llm:x").code()).isEqualTo(io.kavach.model.DecisionCode.ALLOWED);
        assertThat(kavach.audit().verify().ok()).isTrue();
    }
}

package io.kavach.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.store.jdbi.StatementCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** {@link StatementCache} on a real SQLite file: reuse across handles, nesting, and its bound. */
class StatementCacheTest {
    @TempDir
    Path dir;

    private Jdbi jdbi;

    @BeforeEach
    void open() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("cache.db"));
        jdbi = Jdbi.create(dataSource);
        jdbi.setStatementBuilderFactory(new StatementCache());
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE t (n INTEGER NOT NULL)");
            for (int n = 1; n <= 5; n++) {
                h.execute("INSERT INTO t (n) VALUES (?)", n);
            }
        });
    }

    @Test
    void aStatementUsedAgainWithOtherArgumentsGivesFreshResults() {
        try (Handle handle = jdbi.open()) {
            for (int n = 1; n <= 5; n++) {
                assertThat(handle.createQuery("SELECT n * 10 FROM t WHERE n = :n").bind("n", n).mapTo(Integer.class).one())
                        .isEqualTo(n * 10);
            }
        }
    }

    @Test
    void theSameStatementRunInsideItsOwnOpenResultGetsASeparateOne() {
        List<String> pairs = new ArrayList<>();
        try (Handle handle = jdbi.open()) {
            String sql = "SELECT n FROM t WHERE n <= :max ORDER BY n";
            handle.createQuery(sql).bind("max", 3).mapTo(Integer.class).forEach(outer ->
                    handle.createQuery(sql).bind("max", outer).mapTo(Integer.class)
                            .forEach(inner -> pairs.add(outer + "/" + inner)));
        }
        assertThat(pairs).containsExactly("1/1", "2/1", "2/2", "3/1", "3/2", "3/3");
    }

    @Test
    void cachedStatementsOutliveTheirHandleAndServeTheNextOne() {
        for (int round = 0; round < 3; round++) {
            int expected = round;
            jdbi.useHandle(h -> {
                h.execute("INSERT INTO t (n) VALUES (?)", 100 + expected);
                assertThat(h.createQuery("SELECT COUNT(*) FROM t WHERE n >= 100").mapTo(Integer.class).one())
                        .isEqualTo(expected + 1);
            });
        }
    }

    @Test
    void moreDistinctStatementsThanTheCacheKeepsStillRunCorrectly() {
        try (Handle handle = jdbi.open()) {
            for (int i = 0; i < 300; i++) {
                assertThat(handle.createQuery("SELECT " + i + " + COUNT(*) FROM t").mapTo(Integer.class).one())
                        .isEqualTo(i + 5);
            }
            for (int i = 0; i < 300; i++) {
                assertThat(handle.createQuery("SELECT " + i + " + COUNT(*) FROM t").mapTo(Integer.class).one())
                        .isEqualTo(i + 5);
            }
        }
    }

    @Test
    void aBatchThroughAPlainJdbcStatementIsWrittenAndTheStatementReused() throws Exception {
        try (Handle handle = jdbi.open()) {
            String insert = "INSERT INTO t (n) VALUES (?)";
            for (int round = 0; round < 2; round++) {
                var statement = StatementCache.prepare(handle, insert);
                for (int n = 0; n < 10; n++) {
                    statement.setInt(1, 1000 + n);
                    statement.addBatch();
                }
                statement.executeBatch();
                StatementCache.release(handle, insert, statement);
                assertThat(statement.isClosed()).as("kept for the next use").isFalse();
            }
            assertThat(handle.createQuery("SELECT COUNT(*) FROM t WHERE n >= 1000").mapTo(Integer.class).one())
                    .isEqualTo(20);
        }
    }
}

package io.kavach.store.sqlite.internal;

import io.kavach.error.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Brings a database's schema up to date. Each migration is a resource
 * {@code migrations/V<version>__<description>.sql}; the versions applied are recorded in
 * {@code kavach_schema_version}. The caller runs {@link #migrate} inside one {@code BEGIN IMMEDIATE}
 * transaction, so two processes opening a new file at once apply each migration exactly once.
 */
final class Migrator {
    /** Every migration this code knows, in order. Append only; never edit a released one. */
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "identity"),
            new Migration(2, "delegation"),
            new Migration(3, "rate_limits"),
            new Migration(4, "approvals"),
            new Migration(5, "audit"),
            new Migration(6, "budget_policies"),
            new Migration(7, "audit_chain"),
            new Migration(8, "costs"),
            new Migration(9, "write_sequence"));

    private Migrator() {
    }

    /** The schema version this code creates and understands. */
    static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Applies the migrations the database lacks, in order; returns how many were applied.
     *
     * @throws StoreException when the database's schema is newer than this code knows
     */
    static int migrate(Handle handle) {
        handle.execute("""
                CREATE TABLE IF NOT EXISTS kavach_schema_version (
                    version     INTEGER PRIMARY KEY,
                    description TEXT    NOT NULL,
                    applied_at  INTEGER NOT NULL
                )""");
        int current = handle.createQuery("SELECT COALESCE(MAX(version), 0) FROM kavach_schema_version")
                .mapTo(Integer.class)
                .one();
        if (current > latestVersion()) {
            throw new StoreException("the database has schema version " + current + ", newer than version "
                    + latestVersion() + " that this version of Kavach knows; upgrade Kavach to open it", null);
        }
        int applied = 0;
        for (Migration migration : MIGRATIONS) {
            if (migration.version() <= current) {
                continue;
            }
            handle.createScript(migration.sql()).executeAsSeparateStatements();
            handle.createUpdate("INSERT INTO kavach_schema_version (version, description, applied_at)"
                            + " VALUES (:version, :description, :appliedAt)")
                    .bind("version", migration.version())
                    .bind("description", migration.description())
                    // Bookkeeping for people reading the file; no Kavach data depends on it.
                    .bind("appliedAt", System.currentTimeMillis())
                    .execute();
            applied++;
        }
        return applied;
    }

    /** One schema change: its version and the name that, with it, names its resource file. */
    record Migration(int version, String description) {

        String resource() {
            return "/io/kavach/store/sqlite/migrations/V" + version + "__" + description + ".sql";
        }

        String sql() {
            try (InputStream in = Migrator.class.getResourceAsStream(resource())) {
                if (in == null) {
                    throw new IllegalStateException("migration resource missing: " + resource());
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read migration " + resource(), e);
            }
        }
    }
}

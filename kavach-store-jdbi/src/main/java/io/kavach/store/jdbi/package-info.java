/**
 * The parts of the SQL stores that are the same for SQLite and PostgreSQL: the session, SqlObject
 * DAOs, row mappers, the dynamic WHERE builder, the batched writes of authorize, and the stores
 * whose SQL differs by at most a fragment, which each dialect supplies as a Jdbi define
 * ({@link io.kavach.store.jdbi.JdbiDialect#defines()}). Each store module keeps its own
 * transactions, migrations and dialect-specific stores. Not a public API.
 */
package io.kavach.store.jdbi;

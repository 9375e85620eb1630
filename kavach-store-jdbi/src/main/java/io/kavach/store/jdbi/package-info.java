/**
 * The parts of the SQL stores that are the same for SQLite and PostgreSQL: SqlObject DAOs, row
 * mappers, the dynamic WHERE builder and the stores whose SQL needs no dialect. Each store module
 * keeps its own transactions, migrations and dialect-specific stores. Not a public API.
 */
package io.kavach.store.jdbi;

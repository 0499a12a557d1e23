/**
 * The support desk's database: answered tickets, agents' corrections, agents and their sessions. An
 * embedded SQLite file by default, PostgreSQL through a JDBC URL, the same SQL for both; the schema
 * is migrated by Flyway, rows are read and written through JDBI. All JDBC types stay here.
 */
package dev.braid.apps.support.store;

-- One row counting the write units committed to the database, by every instance: each write unit
-- adds one inside its transaction, so a cache that saw unit n can tell whether anything else was
-- committed before unit n + 1.
CREATE TABLE kavach_write_sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT  NOT NULL
);
INSERT INTO kavach_write_sequence (id, value) VALUES (1, 0);

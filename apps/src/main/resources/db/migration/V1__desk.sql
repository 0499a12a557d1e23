-- The support desk's tables. ${blob} is BLOB on SQLite and BYTEA on PostgreSQL; times are epoch
-- milliseconds (BIGINT) so both databases compare and page them alike.

CREATE TABLE tickets (
    id                  VARCHAR(36) PRIMARY KEY,
    received_at         BIGINT NOT NULL,
    text                TEXT,
    image               ${blob},
    audio               ${blob},
    had_image           BOOLEAN NOT NULL,
    had_audio           BOOLEAN NOT NULL,
    language            VARCHAR(8) NOT NULL,
    inputs              TEXT NOT NULL,
    intent              VARCHAR(64) NOT NULL,
    intent_probability  DOUBLE PRECISION NOT NULL,
    product             VARCHAR(64) NOT NULL,
    product_probability DOUBLE PRECISION NOT NULL,
    urgency             VARCHAR(64) NOT NULL,
    urgency_probability DOUBLE PRECISION NOT NULL,
    probabilities       TEXT NOT NULL,
    reply               TEXT NOT NULL,
    model               VARCHAR(64) NOT NULL
);
CREATE INDEX tickets_newest_first ON tickets (received_at DESC, id DESC);

CREATE TABLE corrections (
    id           VARCHAR(36) PRIMARY KEY,
    ticket_id    VARCHAR(36) NOT NULL REFERENCES tickets (id),
    agent        VARCHAR(64) NOT NULL,
    corrected_at BIGINT NOT NULL,
    intent       VARCHAR(64) NOT NULL,
    product      VARCHAR(64) NOT NULL,
    urgency      VARCHAR(64) NOT NULL,
    reply        TEXT NOT NULL,
    reply_edited BOOLEAN NOT NULL
);
CREATE INDEX corrections_of_ticket ON corrections (ticket_id, corrected_at);

CREATE TABLE agents (
    name          VARCHAR(64) PRIMARY KEY,
    password_hash VARCHAR(100) NOT NULL,
    created_at    BIGINT NOT NULL
);

-- A signed-in agent: a page session (cookie) or an API token, kept as the token's SHA-256 so a
-- copy of the database does not sign anyone in.
CREATE TABLE sessions (
    token_hash VARCHAR(64) PRIMARY KEY,
    agent      VARCHAR(64) NOT NULL REFERENCES agents (name),
    csrf       VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- News: post batches (reserve-then-send log), feed items, release reminders, article FTS.

-- One message the bot owes a channel. Rows are written BEFORE sending (state 'pending'),
-- then marked 'sent' with the message id. After a crash, a pending batch is reconciled by
-- looking for its marker in the channel's recent messages before anything is re-sent.
CREATE TABLE post_batches (
    id          INTEGER PRIMARY KEY,
    guild       INTEGER NOT NULL,
    channel     INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual', 'feed')),
    marker      TEXT NOT NULL UNIQUE,            -- shown in the message footer
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    message_id  INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX post_batches_pending ON post_batches(state, guild);

ALTER TABLE posts ADD COLUMN batch_id INTEGER REFERENCES post_batches(id) ON DELETE CASCADE;
CREATE INDEX posts_batch ON posts(batch_id);

ALTER TABLE guild_settings ADD COLUMN last_error_at TEXT;

-- What each feed has delivered; keys are 'id:<guid>', 'link:<url>', 'title:<normalised>'.
CREATE TABLE feed_items (
    feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    item_key   TEXT NOT NULL,
    article_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (feed_id, item_key)
);
CREATE INDEX feed_items_article ON feed_items(article_id);

ALTER TABLE feeds ADD COLUMN added_at TEXT;
ALTER TABLE feeds ADD COLUMN last_ok TEXT;

-- A release reminder follows the title's release rows: the date is read at fire time.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    guild       INTEGER NOT NULL,
    channel     INTEGER NOT NULL,
    title_id    INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    region      TEXT NOT NULL DEFAULT '',
    days_before INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    UNIQUE (guild, channel, title_id, region, days_before)
);
CREATE INDEX reminders_active ON reminders(done);

CREATE TABLE reminder_subscribers (
    reminder_id INTEGER NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    PRIMARY KEY (reminder_id, user_id)
);

-- One row per (reminder, release date, days before): a moved date is a new occurrence.
-- Reserved before sending, like post_batches.
CREATE TABLE reminder_fires (
    reminder_id  INTEGER NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
    release_date TEXT NOT NULL,
    offset_days  INTEGER NOT NULL,
    marker       TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    created_at   TEXT NOT NULL,
    message_id   INTEGER,
    PRIMARY KEY (reminder_id, release_date, offset_days)
);

-- Full-text search over articles for /news search (kept in step by triggers).
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, body, content='articles', content_rowid='rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts(rowid, headline, body) SELECT rowid, coalesce(headline, ''), body FROM articles;

CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, headline, body)
    VALUES (new.rowid, coalesce(new.headline, ''), new.body);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, body)
    VALUES ('delete', old.rowid, coalesce(old.headline, ''), old.body);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF headline, body ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, body)
    VALUES ('delete', old.rowid, coalesce(old.headline, ''), old.body);
    INSERT INTO articles_fts(rowid, headline, body)
    VALUES (new.rowid, coalesce(new.headline, ''), new.body);
END;

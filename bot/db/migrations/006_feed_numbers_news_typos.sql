-- Feeds are numbered per server (feed 1, 2, ... in each), so admins never see global ids.
ALTER TABLE feeds ADD COLUMN number INTEGER;
UPDATE feeds SET number = (SELECT count(*) FROM feeds f WHERE f.guild = feeds.guild AND f.id <= feeds.id);
CREATE UNIQUE INDEX feeds_guild_number ON feeds(guild, number);

-- /news search forgives typos with the catalog's symmetric-delete machinery
-- (bot/catalog/search.py): the words come from the articles' own FTS index, and their
-- one-letter deletions are kept here, brought up to date when the articles change.
CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab(articles_fts, 'row');
CREATE TABLE news_typo_words (
    word TEXT PRIMARY KEY,
    n    INTEGER NOT NULL   -- articles holding it
) WITHOUT ROWID;
CREATE TABLE news_typo_deletes (
    variant TEXT NOT NULL,
    word    TEXT NOT NULL,
    PRIMARY KEY (variant, word)
) WITHOUT ROWID;

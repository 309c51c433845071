"""Running the bot as several processes over one PostgreSQL store (`marquee cluster`)."""

"""TMDB as a live source: the client (one session, one token bucket), parsing of its JSON,
its cache in the store merged with the catalog by external ids, and the service that
decides when to ask it."""

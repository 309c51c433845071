import dataclasses

from bot.app import MovieBot, ShardedMovieBot, bot_class


def test_sharding_settings_pick_the_auto_sharded_bot(settings):
    assert bot_class(settings) is MovieBot
    sharded = dataclasses.replace(settings, shard_count=2, shard_ids=(0, 1))
    assert bot_class(sharded) is ShardedMovieBot
    assert issubclass(ShardedMovieBot, MovieBot)

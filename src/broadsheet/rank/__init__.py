"""Ranking: top stories, picks and For you."""

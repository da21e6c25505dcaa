"""Sync APIs that existing news apps speak: a Miniflux-compatible subset and the Google Reader API
(the flavour FreshRSS and FeedHQ serve). Both show every source the service carries, with each
reader's own read and starred (saved) state."""

"""Sync APIs that existing news apps speak: a Miniflux-compatible subset, the Google Reader API
(the flavours FreshRSS and FeedHQ serve) and Fever. All show every source the service carries,
with each reader's own read and starred (saved) state."""

"""Sync with a feed server that speaks the Google Reader API (FreshRSS, Miniflux, Inoreader)."""

"""Whole-article reading: coreference, quotes, claims and places."""

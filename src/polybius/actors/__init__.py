"""Actors: the knowledge base and the resolver that turns noun phrases into coded actors."""

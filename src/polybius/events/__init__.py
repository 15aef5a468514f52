"""Event coding: the CAMEO/PLOVER ontology, the verb lexicon and the extraction stage."""

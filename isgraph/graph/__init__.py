"""The knowledge graph itself: building it, ingesting and removing cases, dumping and
restoring it, counting what it holds, and generating synthetic cases."""

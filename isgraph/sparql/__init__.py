"""The SPARQL 1.1 language, read before any store sees a request: isgraph's own parser of
the W3C grammar (:mod:`~isgraph.sparql.parser`), the policy a server or a shapes file
applies to what it read (:mod:`~isgraph.sparql.policy`), and the protocol's dataset
written into an update's parse tree (:mod:`~isgraph.sparql.update_dataset`)."""

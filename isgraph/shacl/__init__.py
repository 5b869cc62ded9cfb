"""Validation: SHACL shapes compiled to SPARQL (:mod:`~isgraph.shacl.compiler`), the
engine that runs them (:mod:`~isgraph.shacl.engine`), reports in the steward's language
(:mod:`~isgraph.shacl.report`), and validating files, folders or the store
(:mod:`~isgraph.shacl.api`)."""

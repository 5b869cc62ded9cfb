"""Reasoning: consistency and unsatisfiable classes with HermiT
(:mod:`~isgraph.reason.hermit`), the classification of cases under the definition
profiles (:mod:`~isgraph.reason.classification`) and its reports."""

"""Other observatories: their sources, fetching from them, harvesting their cases with
provenance, federated queries, and matching the actors they share."""

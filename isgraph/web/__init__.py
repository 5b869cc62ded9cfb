"""isgraph on the web: a SPARQL 1.1 Protocol endpoint, linked-data pages, the query
catalogue as an HTTP API and a dataset description, over any :class:`isgraph.store.Store`.

:func:`isgraph.web.app.create_app` makes the ASGI application; ``isgraph serve`` runs it
with uvicorn.
"""

"""The data observatories already have, taken in: the ESSGLOBAL "standard" CSV of the
Solidarity Economy Association, TransforMap/SSEDAS GeoJSON, the Co-operatives UK open
data files. Each format reads its file into records (:mod:`isgraph.imports.records`);
one pipeline validates them, writes each into a named graph of its own under the
source's, with the provenance of its row, and reports what was added, changed and
removed (:mod:`isgraph.imports.pipeline`)."""

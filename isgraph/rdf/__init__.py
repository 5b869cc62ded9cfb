"""Reading and writing RDF and case forms: files parsed safely (no network, no DTD,
errors with their file, line and column), YAML read with the line of every field,
case forms turned into RDF and back, and which file goes to which named graph."""

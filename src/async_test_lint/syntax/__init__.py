"""Facts read from one syntax tree alone: the walk, names and bindings, reads, def shapes."""

"""Results to tables and charts: house style, Dutch and English labels, files. Never runs the model."""

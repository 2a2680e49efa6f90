"""Language-model data for tonggeo: the one text format of states, auxiliary clauses and value labels
(`format`), and the dataset builder that turns proposing output into training records (`dataset`)."""

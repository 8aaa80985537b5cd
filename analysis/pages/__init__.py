"""The page layer: what the notebooks call (report and one module per chapter), charts and style."""

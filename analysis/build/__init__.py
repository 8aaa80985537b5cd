"""The build: papermill on warm kernels (execute), the render and the site (render), PDFs (pdf)."""

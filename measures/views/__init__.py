"""The pages of shared measurement, one module per noun (see measures/urls.py)."""

"""Helpers the pages share: labels of stored codes, Jinja filters, text highlighting, navigation."""

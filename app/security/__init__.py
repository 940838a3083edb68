"""Passwords, credential encryption, roles and brand isolation."""

"""Domain actions as plain functions taking a keyword-only session; callers commit."""

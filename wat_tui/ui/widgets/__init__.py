"""Widgets of the workspace, one idea per file."""

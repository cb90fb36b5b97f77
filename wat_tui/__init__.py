"""wat-tui: facilitate AWS Well-Architected reviews offline, from a terminal."""

__version__ = "0.1.0"

"""impactkg's composition root: the CLI, the settings table and the wiring."""

__version__ = "0.1.0"

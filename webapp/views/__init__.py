"""Blueprints by area; each view parses its arguments, calls one data function, renders."""

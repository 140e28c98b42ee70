"""Exports from the window: code to the clipboard, handout figures, step-through animations."""

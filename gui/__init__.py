"""Kernelscope's Qt window. Everything here calls `engine` for every number it shows."""

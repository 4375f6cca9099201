"""The record vocabulary and data classes, defined once and reused by every layer."""

"""HTTP handlers shared by every capability."""

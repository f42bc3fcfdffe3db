"""A stateful Posit Connect fake held to the part of Connect's published API reference we use."""

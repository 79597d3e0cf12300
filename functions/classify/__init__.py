"""The classify function: labels every received comment."""

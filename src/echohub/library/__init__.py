"""The knowledge library: recordings, transcripts, tools and versioned protocols, and search."""

"""Chinese full-text search and similar-text detection."""

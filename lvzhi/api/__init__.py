"""The HTTP API (django-ninja) that phones and other systems use."""

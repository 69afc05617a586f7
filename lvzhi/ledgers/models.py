"""Task breakdowns with milestones; city-to-district assignments and checklists.

Empty until its issue lands.
"""

"""民主监督 and rectification ledgers.

Empty until its issue lands; the app exists so the layout in docs/layout.md holds from day one.
"""

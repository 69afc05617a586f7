"""提案: the 提、立、办、督 cycle.

Empty until its issue lands; the app exists so the layout in docs/layout.md holds from day one.
"""

"""社情民意信息: public-opinion reports.

Empty until its issue lands; the app exists so the layout in docs/layout.md holds from day one.
"""

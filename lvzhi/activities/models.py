"""协商议政: plans, activities, registration, leave, check-in, outcomes and feedback.

Empty until its issue lands; the app exists so the layout in docs/layout.md holds from day one.
"""

"""协商议政: plans, activities, registration, leave, check-in, outcomes and feedback."""

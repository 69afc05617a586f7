"""社情民意信息: public-opinion reports."""

"""履职档案: duty facts, rule sets and the yearly evaluation."""

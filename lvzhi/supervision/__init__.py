"""民主监督 and rectification ledgers."""

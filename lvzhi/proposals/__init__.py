"""提案: the 提、立、办、督 cycle."""

"""The LA's strategy action plan (issue 14): its AP strategy's actions with their owner, due date, status, RAG rating
and evidence, kept up to date by its officers and reported in the committee pack. An LA starts from the ten actions
of seed 004's strategy (data/strategy_actions.toml) or adds its own; every change is in the access log."""

"""The data protection officer's tools: the access log in words (who saw which child's record) and a child's
subject access export (UK GDPR Art. 15). They read every app's records, so they sit above every app
(docs/decisions/0022-layers.md); the logs they read are written by `aphub.audit`, which every app calls, below them.
Their templates stay in audit/templates/audit/ and their URLs keep the "audit" namespace."""

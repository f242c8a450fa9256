"""The signed-in home page: every role's work for today, read from every app, so it sits above them all
(docs/decisions/0022-layers.md). Its template stays in organisations/templates/organisations/home.html."""

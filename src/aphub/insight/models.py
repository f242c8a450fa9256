# Models arrive with the issue that builds this bounded context (DESIGN.md section 4).

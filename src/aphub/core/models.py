# core holds no models of the domain (DESIGN.md section 4).

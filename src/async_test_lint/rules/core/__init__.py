"""ATL0xx: findings about the file itself."""

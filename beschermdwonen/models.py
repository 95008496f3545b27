"""Models of this app (filled by later issues; see ROADMAP.md)."""

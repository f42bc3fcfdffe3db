"""Real-enough stand-ins for remote services: git over smart HTTP, and a GitLab held to its spec."""

"""HTTP blueprints: set-up and login, the facilitator's rooms, and the player's pages."""

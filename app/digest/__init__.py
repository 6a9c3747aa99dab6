"""The daily e-mail of what needs each user, and the demo's mail catcher."""

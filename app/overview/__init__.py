"""The agency overview (every company a user holds) and the portal's navigation."""

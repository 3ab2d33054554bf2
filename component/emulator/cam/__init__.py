"""CAM (2019-01-16): roles, as far as ``enableRoleAuth`` uses them."""

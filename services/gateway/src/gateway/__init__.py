"""The gateway: the one API frontend teams build on."""

"""Administration of the people and machines that may call the API."""

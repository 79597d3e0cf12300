"""AWS adapters: each takes its boto3 client (or makes one on first use) and speaks the domain's ports."""
